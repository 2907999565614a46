"""The weekly report's trend chart: a team's calls over its last eight weeks against target."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from metrics.charts_render import (
    LABEL_SIZE,
    MUTED_COLOUR,
    TEXT_SIZE,
    Chart,
    add_title,
    as_counts,
    empty_chart,
    new_figure,
    percent,
    plural,
    render,
    require_columns,
    slug,
    style_axes,
)

logger = logging.getLogger(__name__)

COLUMNS = ("week", "calls")
WEEKS_SHOWN = 8
WEEK_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")
PAST_COLOUR = "#BBBBBB"
CURRENT_COLOUR = "#555555"
TARGET_COLOUR = "#D55E00"
HEIGHT_IN = 4.5
HEADROOM = 1.18  # room above the tallest bar for its label
MIN_SLOTS = 4  # a short history is centred at normal bar width instead of two fat bars


def trend_chart(weekly: pd.DataFrame, *, team: str, week: str, target: float | None) -> Chart:
    """Bars of weekly calls for up to eight weeks ending with `week`, target dashed.

    `weekly` has columns week ("2026-W48") and calls. The chart starts at the earliest week
    the frame has inside the window, so a new team shows fewer bars rather than invented
    zeros; a week missing between two present ones is drawn as 0.
    """
    require_columns(weekly, COLUMNS, "weekly")
    title = f"{team} — weekly calls, {WEEKS_SHOWN} weeks to {week}"
    filename = f"{slug(team)}-{week}-trend.png"

    window = _weeks_ending(week, WEEKS_SHOWN)
    calls = as_counts(weekly, ["calls"], "weekly").groupby("week")["calls"].sum()
    present = [label for label in window if label in calls.index]
    if not present:
        message = f"No calls logged in the {WEEKS_SHOWN} weeks to {week}"
        return empty_chart(filename=filename, title=title, message=message)

    shown = calls.reindex(window[window.index(present[0]) :], fill_value=0)

    figure = new_figure(min_height_in=HEIGHT_IN)
    add_title(figure, title)
    axes = figure.add_subplot()
    if len(shown) < WEEKS_SHOWN:
        note = f"History starts {shown.index[0]}: {plural(len(shown), 'week')} so far"
        axes.set_title(note, fontsize=TEXT_SIZE, color=MUTED_COLOUR, loc="left")
    _draw_bars(axes, shown, target)
    if target is not None:
        figure.legend(loc="outside lower center", frameon=False, fontsize=TEXT_SIZE)
    return render(
        figure, filename=filename, title=title, alt_text=_alt_text(shown, target, team, week)
    )


def _weeks_ending(week: str, count: int) -> list[str]:
    """ISO week labels, oldest first, for `count` weeks ending with `week`."""
    match = WEEK_LABEL.match(week)
    if match is None:
        raise ValueError(f"week label {week!r} is not an ISO week such as '2026-W48'")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"week label {week!r} names a week that does not exist") from None

    mondays = [monday - timedelta(weeks=back) for back in range(count - 1, -1, -1)]
    return [f"{day.isocalendar().year}-W{day.isocalendar().week:02d}" for day in mondays]


def _draw_bars(axes: Axes, shown: pd.Series, target: float | None) -> None:
    positions = np.arange(len(shown))
    colours = [PAST_COLOUR] * (len(shown) - 1) + [CURRENT_COLOUR]
    bars = axes.bar(positions, shown.to_numpy(dtype=float), color=colours, width=0.65)
    labels = axes.bar_label(bars, [f"{calls:,}" for calls in shown], padding=3, fontsize=TEXT_SIZE)
    for label in labels:  # keep the numbers readable where the target line crosses them
        label.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1})
        label.set_zorder(3)

    if target is not None:
        axes.axhline(
            target,
            color=TARGET_COLOUR,
            linestyle="--",
            linewidth=2,
            label=f"target: {target:,.0f} calls a week",
        )

    top = max(float(shown.max()), target or 0.0, 1.0)
    axes.set_ylim(0, top * HEADROOM)
    axes.set_xticks(positions, list(shown.index))
    pad = max(0, MIN_SLOTS - len(shown)) / 2
    axes.set_xlim(-0.6 - pad, len(shown) - 0.4 + pad)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("calls", fontsize=LABEL_SIZE)
    style_axes(axes, value_axis="y")


def _alt_text(shown: pd.Series, target: float | None, team: str, week: str) -> str:
    current = int(shown.iloc[-1])
    if target is None:
        against = "No target is set."
    else:
        share = percent(current, target)
        against = f"Target: {target:,.0f} calls a week" + (f" ({share} reached)." if share else ".")
    weeks = ", ".join(f"{label} {calls:,}" for label, calls in shown.items())
    return (
        f"Bar chart of {team}'s calls per week for the {plural(len(shown), 'week')} "
        f"to {week}. This week: {plural(current, 'call')}. {against} "
        f"Average {shown.mean():,.0f} calls a week. By week: {weeks}."
    )
