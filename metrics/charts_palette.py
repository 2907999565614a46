"""One colour per call type, the same in every chart and every week."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# Okabe & Ito's colour-blind-safe set, reordered so the first call types get the colours
# that stay apart best when stacked next to each other; yellow and black come last.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
UNCONFIGURED_COLOUR = "#999999"


@dataclass(frozen=True)
class CallTypeStyle:
    key: str
    label: str
    colour: str


def call_type_colours(call_type_keys: Sequence[str]) -> dict[str, str]:
    """Map call type keys, in their configured order, to fixed colours.

    The colour depends only on a key's position in the configuration, so a call type keeps
    its colour in weeks where other types have no calls. Past eight call types the palette
    repeats: two types then share a colour and only the legend tells them apart.
    """
    if len(call_type_keys) > len(OKABE_ITO):
        logger.warning(
            "%d call types configured but only %d distinct chart colours; colours repeat",
            len(call_type_keys),
            len(OKABE_ITO),
        )
    return {key: OKABE_ITO[index % len(OKABE_ITO)] for index, key in enumerate(call_type_keys)}


def call_type_styles(
    present: Iterable[str], call_types: Sequence[tuple[str, str]]
) -> list[CallTypeStyle]:
    """Styles for the call types that appear in a chart, in configured order.

    A key that is not configured (say, a type removed from app.yaml that old entries still
    carry) is drawn last, in grey, under its raw key.
    """
    present_keys = set(present)
    colours = call_type_colours([key for key, _ in call_types])
    styles = [
        CallTypeStyle(key, label, colours[key]) for key, label in call_types if key in present_keys
    ]

    unknown = sorted(present_keys - set(colours))
    if unknown:
        logger.warning("charting call types missing from the configuration: %s", unknown)
    return styles + [CallTypeStyle(key, key, UNCONFIGURED_COLOUR) for key in unknown]
