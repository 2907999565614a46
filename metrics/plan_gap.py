"""Split the gap between planned and implied revenue among the links of the plan's chain."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

logger = logging.getLogger(__name__)


def attribute_gap(
    planned_total: float, implied_total: float, ratios: Mapping[str, float]
) -> dict[str, float]:
    """Each link's share of implied_total - planned_total, in the same units.

    `ratios` maps each link, in funnel order, to actual / planned, and implied_total is
    planned_total times their product. So log(implied / planned) is the sum of the links'
    log ratios, and each link gets the gap in proportion to its log ratio (the
    logarithmic-mean Divisia split): the shares add up to the whole gap, and a link on
    plan gets exactly zero.

    When a link's ratio is zero or undefined (no connects, so no meeting rate), logs do not
    exist; the whole gap then goes to the first such link in funnel order, since the funnel
    stops there and no later link could have made up for it.
    """
    gap = implied_total - planned_total
    broken = [link for link, ratio in ratios.items() if not (math.isfinite(ratio) and ratio > 0)]
    if broken:
        logger.debug("The funnel breaks at %s; the whole gap goes there", broken[0])
        return {link: (gap if link == broken[0] else 0.0) for link in ratios}

    weight = _log_mean(implied_total, planned_total)
    return {link: weight * math.log(ratio) for link, ratio in ratios.items()}


def _log_mean(a: float, b: float) -> float:
    """(a - b) / (ln a - ln b), which tends to a as b approaches a."""
    if math.isclose(a, b, rel_tol=1e-12):
        return a
    return (a - b) / (math.log(a) - math.log(b))
