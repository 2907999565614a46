"""The weekly report's activity chart: calls per rep, stacked by call type."""

from __future__ import annotations

import logging
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
    set_row_limits,
    slug,
    style_axes,
    wrap_name,
)

logger = logging.getLogger(__name__)

COLUMNS = ("rep_name", "call_type", "calls")
BAR_HEIGHT = 0.7
TOTAL_MARGIN = 1.15  # room right of the longest bar for its total


def activity_by_rep_chart(
    activity: pd.DataFrame,
    *,
    team: str,
    week: str,
    call_types: Sequence[tuple[str, str]],
) -> Chart:
    """Horizontal stacked bars, one per rep, busiest rep on top, with each rep's total.

    `activity` has columns rep_name, call_type, calls (several rows per pair are summed);
    `call_types` is the configured (key, label) list that fixes order and colours.
    """
    require_columns(activity, COLUMNS, "activity")
    title = f"{team} — calls by rep and call type, {week}"
    filename = f"{slug(team)}-{week}-activity.png"

    table = _calls_by_rep(as_counts(activity, ["calls"], "activity"))
    if table.to_numpy().sum() == 0:
        return empty_chart(filename=filename, title=title, message=f"No calls logged in {week}")

    styles = call_type_styles(table.columns, call_types)
    table = table[[style.key for style in styles]]

    figure = new_figure(rows=len(table))
    add_title(figure, title)
    axes = figure.add_subplot()
    _draw_bars(axes, table, styles)
    figure.legend(
        loc="outside lower center", ncols=min(len(styles), 5), frameon=False, fontsize=TEXT_SIZE
    )
    return render(
        figure, filename=filename, title=title, alt_text=_alt_text(table, styles, team, week)
    )


def _calls_by_rep(activity: pd.DataFrame) -> pd.DataFrame:
    """Reps x call types, busiest rep first (ties by name)."""
    table = activity.pivot_table(
        index="rep_name", columns="call_type", values="calls", aggfunc="sum", fill_value=0
    )
    order = (
        table.sum(axis=1)
        .rename("total")
        .reset_index()
        .sort_values(["total", "rep_name"], ascending=[False, True])
    )
    return table.loc[order["rep_name"]]


def _draw_bars(axes: Axes, table: pd.DataFrame, styles: list[CallTypeStyle]) -> None:
    positions = np.arange(len(table))
    left = np.zeros(len(table))
    for style in styles:
        values = table[style.key].to_numpy(dtype=float)
        last = axes.barh(
            positions, values, left=left, height=BAR_HEIGHT, color=style.colour, label=style.label
        )
        left = left + values

    totals = table.sum(axis=1)
    axes.bar_label(last, labels=[f"{total:,}" for total in totals], padding=4, fontsize=TEXT_SIZE)

    axes.set_yticks(positions, [wrap_name(name) for name in table.index])
    set_row_limits(axes, len(table))
    axes.set_xlim(0, totals.max() * TOTAL_MARGIN)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("calls", fontsize=LABEL_SIZE)
    style_axes(axes, value_axis="x")


def _alt_text(table: pd.DataFrame, styles: list[CallTypeStyle], team: str, week: str) -> str:
    totals = table.sum(axis=1)
    by_type = ", ".join(f"{style.label} {table[style.key].sum():,}" for style in styles)
    per_rep = ", ".join(f"{name} {total:,}" for name, total in totals.items())
    return (
        f"Horizontal bar chart of calls per rep in {team} for {week}, stacked by call type. "
        f"{plural(len(table), 'rep')} logged {plural(int(totals.sum()), 'call')}. "
        f"Top rep: {totals.index[0]} with {plural(int(totals.iloc[0]), 'call')}. "
        f"By call type: {by_type}. Per rep: {per_rep}."
    )
