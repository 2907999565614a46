"""Shared plumbing for the report charts: the Chart result, figure sizes, PNG output, empty states.

Every chart draws on its own `Figure` with an Agg canvas, never on pyplot's global state, so
charts can be rendered from a background job without leaking figures.
"""

from __future__ import annotations

import io
import logging
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

logger = logging.getLogger(__name__)

DPI = 120
WIDTH_IN = 8.0
MIN_HEIGHT_IN = 3.0
MAX_HEIGHT_IN = 16.0  # 1920 px; past about 40 reps the rows get tighter, see new_figure
ROW_HEIGHT_IN = 0.36
FRAME_HEIGHT_IN = 1.8  # title, axis label and legend around the rows
MIN_ROW_SLOTS = 3  # one or two reps still get bars of normal thickness

TITLE_SIZE = 13
LABEL_SIZE = 11
TEXT_SIZE = 10
EMPTY_MESSAGE_SIZE = 16

ALT_TEXT_LIMIT = 1000
NAME_WIDTH = 24  # characters per line of a wrapped rep name
NAME_LINES = 2
TITLE_WIDTH = 70

GRID_COLOUR = "#DDDDDD"
MUTED_COLOUR = "#555555"


@dataclass(frozen=True)
class Chart:
    """A rendered chart ready to upload to Slack, with the words a screen reader needs."""

    filename: str
    title: str
    alt_text: str
    png: bytes = field(repr=False)


def new_figure(rows: float = 0, min_height_in: float = MIN_HEIGHT_IN) -> Figure:
    """A report-width figure that grows taller with the number of labelled rows (reps).

    The height stops at MAX_HEIGHT_IN: beyond about 40 reps the rows share that height, and
    past about 65 reps two-line names start to touch.
    """
    height = min(MAX_HEIGHT_IN, max(min_height_in, FRAME_HEIGHT_IN + ROW_HEIGHT_IN * rows))
    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def add_title(figure: Figure, title: str) -> None:
    figure.suptitle(wrap_title(title), fontsize=TITLE_SIZE, fontweight="bold")


def style_axes(axes: Axes, value_axis: Literal["x", "y"]) -> None:
    """Quiet frame: no top/right spines, light grid along the axis that carries the numbers."""
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=TEXT_SIZE)
    axes.set_axisbelow(True)
    axes.grid(axis=value_axis, color=GRID_COLOUR, linewidth=0.8)


def set_row_limits(axes: Axes, rows: int) -> None:
    """First row at the top; fewer than MIN_ROW_SLOTS rows are centred at normal thickness."""
    pad = max(0, MIN_ROW_SLOTS - rows) / 2
    axes.set_ylim(rows - 0.5 + pad, -0.5 - pad)


def render(figure: Figure, *, filename: str, title: str, alt_text: str) -> Chart:
    draw_text_as_typed(figure)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    png = buffer.getvalue()
    logger.debug("rendered chart %s (%d bytes)", filename, len(png))
    return Chart(filename=filename, title=title, alt_text=fit_alt_text(alt_text), png=png)


def draw_text_as_typed(figure: Figure) -> None:
    """Turn mathtext off for every text on the figure, so "$" is drawn as a dollar sign.

    Rep names come from Slack profiles and team and call type labels from app.yaml; with
    mathtext on, a name such as "Cash $$" makes savefig raise. The switch is per text, not
    the global rcParams, so charts rendered at the same time in other threads are unaffected.
    Texts made during drawing (the numeric ticks of an automatic axis) hold only numbers.
    """
    for text in figure.findobj(Text):
        text.set_parse_math(False)


def empty_chart(*, filename: str, title: str, message: str) -> Chart:
    """A chart that says plainly there is nothing to show, so the report never has a hole."""
    figure = new_figure()
    add_title(figure, title)
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        fontsize=EMPTY_MESSAGE_SIZE,
        color=MUTED_COLOUR,
        transform=axes.transAxes,
    )
    logger.debug("chart %s has no data: %s", filename, message)
    return render(figure, filename=filename, title=title, alt_text=f"{title}. {message}.")


def require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Fail with the missing column names rather than a KeyError deep inside pandas."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(
            f"the {name} frame is missing column(s) {', '.join(missing)}; "
            f"it needs {', '.join(columns)}"
        )


def as_counts(frame: pd.DataFrame, columns: Sequence[str], name: str) -> pd.DataFrame:
    """The frame with count columns as whole numbers (blanks become 0)."""
    counts = frame.copy()
    for column in columns:
        try:
            numbers = pd.to_numeric(counts[column])
        except (TypeError, ValueError):
            raise ValueError(f"the {name} frame's {column} column must hold numbers") from None
        counts[column] = numbers.fillna(0).round().astype("int64")
    return counts


def wrap_name(name: str) -> str:
    """A rep name on at most two short lines so long names do not squeeze the bars."""
    lines = textwrap.wrap(str(name), NAME_WIDTH, max_lines=NAME_LINES, placeholder="…")
    return "\n".join(lines) or "(no name)"


def wrap_title(title: str) -> str:
    return "\n".join(textwrap.wrap(title, TITLE_WIDTH)) or title


def fit_alt_text(text: str) -> str:
    """Alt text within Slack's limit; sentences are ordered so the cut falls on the details."""
    return textwrap.shorten(text, ALT_TEXT_LIMIT, placeholder=" …")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "team"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def percent(part: float, whole: float) -> str | None:
    """A rounded percentage, or None when there is nothing to divide by."""
    return f"{part / whole:.0%}" if whole else None
