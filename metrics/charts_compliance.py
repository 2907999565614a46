"""The weekly report's check-in chart: the share of expected workdays each rep checked in."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, PercentFormatter

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
    set_row_limits,
    slug,
    style_axes,
    wrap_name,
)

logger = logging.getLogger(__name__)

COLUMNS = ("rep_name", "checked_in", "expected")
BAR_COLOUR = "#666666"  # neutral: blue would read as the first call type
BAR_HEIGHT = 0.7
NOT_EXPECTED = "n/a (no workdays expected)"
X_LIMIT = 135  # percent; room right of a full bar for its "5/5 (100%)" label


def compliance_chart(compliance: pd.DataFrame, *, team: str, week: str) -> Chart:
    """Horizontal bars of check-in rate per rep, lowest rate on top, labelled "4/5 (80%)".

    `compliance` has columns rep_name, checked_in, expected. A rep with no expected workdays
    (on leave, joined after the week) shows "n/a" instead of a misleading 0%; a rep who
    checked in on more days than expected is labelled with the true counts, bar capped at 100%.
    """
    require_columns(compliance, COLUMNS, "compliance")
    title = f"{team} — check-in rate by rep, {week}"
    filename = f"{slug(team)}-{week}-checkins.png"

    table = _rates(as_counts(compliance, ["checked_in", "expected"], "compliance"))
    if table.empty:
        message = f"No check-ins expected in {week}"
        return empty_chart(filename=filename, title=title, message=message)

    figure = new_figure(rows=len(table))
    add_title(figure, title)
    axes = figure.add_subplot()
    _draw_bars(axes, table)
    return render(figure, filename=filename, title=title, alt_text=_alt_text(table, team, week))


def _rates(compliance: pd.DataFrame) -> pd.DataFrame:
    """One row per rep with a rate in percent (NaN when nothing was expected), lowest first."""
    table = compliance.groupby("rep_name")[["checked_in", "expected"]].sum()
    rate = (table["checked_in"] / table["expected"].where(table["expected"] > 0)) * 100
    return table.assign(rate=rate).sort_values(["rate", "rep_name"], na_position="last")


def _label(row: pd.Series) -> str:
    checked_in, expected = int(row["checked_in"]), int(row["expected"])
    rate = percent(checked_in, expected)
    return f"{checked_in}/{expected} ({rate})" if rate else NOT_EXPECTED


def _draw_bars(axes: Axes, table: pd.DataFrame) -> None:
    positions = np.arange(len(table))
    widths = table["rate"].clip(upper=100).fillna(0).to_numpy(dtype=float)
    axes.barh(positions, widths, height=BAR_HEIGHT, color=BAR_COLOUR)
    for position, width, (_, row) in zip(positions, widths, table.iterrows(), strict=True):
        missing = pd.isna(row["rate"])
        axes.annotate(
            _label(row),
            (width, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=TEXT_SIZE,
            color=MUTED_COLOUR if missing else "black",
            fontstyle="italic" if missing else "normal",
        )

    axes.set_yticks(positions, [wrap_name(name) for name in table.index])
    set_row_limits(axes, len(table))  # lowest rate at the top
    axes.set_xlim(0, X_LIMIT)
    axes.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    axes.xaxis.set_major_formatter(PercentFormatter())
    axes.set_xlabel("check-ins, % of expected workdays", fontsize=LABEL_SIZE)
    style_axes(axes, value_axis="x")


def _alt_text(table: pd.DataFrame, team: str, week: str) -> str:
    rated = table.dropna(subset=["rate"])
    not_expected = ", ".join(table.index[table["rate"].isna()])
    parts = [f"Bar chart of check-in rate per rep in {team} for {week}."]
    if not rated.empty:
        checked, expected = int(rated["checked_in"].sum()), int(rated["expected"].sum())
        full = int((rated["rate"] >= 100).sum())
        parts += [
            f"The team checked in on {checked} of {expected} expected workdays "
            f"({percent(checked, expected)}).",
            f"Lowest: {rated.index[0]} {_label(rated.iloc[0])}.",
            f"{plural(full, 'rep')} of {len(rated)} checked in every expected day.",
        ]
    if not_expected:
        parts.append(f"No workdays expected for: {not_expected}.")
    per_rep = ", ".join(f"{name} {_label(row)}" for name, row in rated.iterrows())
    if per_rep:
        parts.append(f"Per rep: {per_rep}.")
    return " ".join(parts)
