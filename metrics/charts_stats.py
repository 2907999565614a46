"""The compact chart for on-demand /stats: calls per day, stacked by call type."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from metrics.charts_palette import CallTypeStyle, call_type_styles
from metrics.charts_render import (
    LABEL_SIZE,
    TEXT_SIZE,
    Chart,
    add_title,
    as_counts,
    empty_chart,
    new_figure,
    plural,
    render,
    require_columns,
    slug,
    style_axes,
)

logger = logging.getLogger(__name__)

COLUMNS = ("day", "call_type", "calls")
HEIGHT_IN = 4.0
MAX_DAY_LABELS = 10
MAX_TOTAL_LABELS = 16  # past this many days the totals above the bars would collide
HEADROOM = 1.15


def stats_chart(daily: pd.DataFrame, *, title: str, call_types: Sequence[tuple[str, str]]) -> Chart:
    """Stacked bars of calls per day, by call type, for the range the frame covers.

    `daily` has columns day (datetime64), call_type, calls. Days between the first and last
    day in the frame with no rows are drawn as empty bars, so gaps show.
    """
    require_columns(daily, COLUMNS, "daily")
    filename = f"stats-{slug(title)}.png"

    table = _calls_by_day(as_counts(daily, ["calls"], "daily"))
    if table.to_numpy().sum() == 0:
        return empty_chart(filename=filename, title=title, message="No calls logged")

    styles = call_type_styles(table.columns, call_types)
    table = table[[style.key for style in styles]]

    figure = new_figure(min_height_in=HEIGHT_IN)
    add_title(figure, title)
    axes = figure.add_subplot()
    _draw_bars(axes, table, styles)
    figure.legend(
        loc="outside lower center", ncols=min(len(styles), 5), frameon=False, fontsize=TEXT_SIZE
    )
    return render(figure, filename=filename, title=title, alt_text=_alt_text(table, styles, title))


def _calls_by_day(daily: pd.DataFrame) -> pd.DataFrame:
    """Days x call types, every day from the first to the last present."""
    table = daily.assign(day=pd.to_datetime(daily["day"]).dt.normalize()).pivot_table(
        index="day", columns="call_type", values="calls", aggfunc="sum", fill_value=0
    )
    if table.empty:
        return table
    days = pd.date_range(table.index.min(), table.index.max(), freq="D", name="day")
    return table.reindex(days, fill_value=0)


def _day_name(day: pd.Timestamp) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _tick_label(day: pd.Timestamp, short: bool) -> str:
    return f"{day.day} {day:%b}" if short else f"{day:%a}\n{day.day} {day:%b}"


def _draw_bars(axes: Axes, table: pd.DataFrame, styles: list[CallTypeStyle]) -> None:
    positions = np.arange(len(table))
    bottom = np.zeros(len(table))
    for style in styles:
        values = table[style.key].to_numpy(dtype=float)
        last = axes.bar(
            positions, values, bottom=bottom, width=0.7, color=style.colour, label=style.label
        )
        bottom = bottom + values

    if len(table) <= MAX_TOTAL_LABELS:
        labels = [f"{total:,}" if total else "" for total in table.sum(axis=1)]
        axes.bar_label(last, labels=labels, padding=3, fontsize=TEXT_SIZE)

    step = math.ceil(len(table) / MAX_DAY_LABELS)
    short = len(table) > 7
    axes.set_xticks(positions[::step], [_tick_label(day, short) for day in table.index[::step]])
    axes.set_ylim(0, max(bottom.max(), 1) * HEADROOM)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("calls", fontsize=LABEL_SIZE)
    style_axes(axes, value_axis="y")


def _alt_text(table: pd.DataFrame, styles: list[CallTypeStyle], title: str) -> str:
    totals = table.sum(axis=1)
    days = pd.DatetimeIndex(totals.index)
    busiest = days[int(totals.to_numpy().argmax())]
    by_type = ", ".join(f"{style.label} {table[style.key].sum():,}" for style in styles)
    per_day = ", ".join(
        f"{_day_name(day)} {total:,}" for day, total in zip(days, totals, strict=True)
    )
    return (
        f"{title}: stacked bar chart of calls per day by call type, "
        f"{_day_name(days[0])} to {_day_name(days[-1])} {days[-1].year}. "
        f"{plural(int(totals.sum()), 'call')} in total; busiest day {_day_name(busiest)} "
        f"with {int(totals.max()):,}. By call type: {by_type}. Per day: {per_day}."
    )
