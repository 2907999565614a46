"""The weekly report's outcomes funnel: calls, connects, meetings and wins for each call type."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from metrics.charts_palette import CallTypeStyle, call_type_styles
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

STAGES = ("calls", "connects", "meetings", "wins")
SINGULAR = {"calls": "call", "connects": "connect", "meetings": "meeting", "wins": "win"}
COLUMNS = ("call_type", *STAGES)
STAGE_ALPHA = (1.0, 0.7, 0.45, 0.25)  # later stages fade, the bar labels name them
ROWS_PER_TYPE = 2.8  # figure height per call type, in rep-row units
GROUP_GAP = 1.2
BAR_HEIGHT = 0.8
BAR_SHARE = 0.5  # the longest bar spans half the width; the rest holds its label


def funnel_chart(
    conversion: pd.DataFrame,
    *,
    team: str,
    week: str,
    call_types: Sequence[tuple[str, str]],
) -> Chart:
    """Per call type, four bars (calls, connects, meetings, wins), each labelled with its rate.

    Rates follow the plan's definitions: connects per call, meetings per connect, wins per
    meeting. Outcomes need not nest (a win may not count as a meeting), so a rate can pass 100%.
    """
    require_columns(conversion, COLUMNS, "conversion")
    title = f"{team} — outcomes by call type, {week}"
    filename = f"{slug(team)}-{week}-funnel.png"

    table = as_counts(conversion, STAGES, "conversion").groupby("call_type")[list(STAGES)].sum()
    table = table[table.sum(axis=1) > 0]
    if table.empty:
        return empty_chart(filename=filename, title=title, message=f"No calls logged in {week}")

    styles = call_type_styles(table.index, call_types)
    table = table.loc[[style.key for style in styles]]

    figure = new_figure(rows=ROWS_PER_TYPE * len(table))
    add_title(figure, title)
    axes = figure.add_subplot()
    axes.set_title(_summary(table.sum()), fontsize=TEXT_SIZE, color=MUTED_COLOUR, loc="left")
    _draw_groups(axes, table, styles)
    return render(
        figure, filename=filename, title=title, alt_text=_alt_text(table, styles, team, week)
    )


def _stage_text(counts: pd.Series, stage_index: int) -> str:
    """'30 connects · 25% of calls', or just the count when the stage before is zero."""
    stage = STAGES[stage_index]
    text = plural(int(counts[stage]), SINGULAR[stage], stage)
    if stage_index == 0:
        return text

    previous = STAGES[stage_index - 1]
    rate = percent(counts[stage], counts[previous])
    return f"{text} · {rate} of {previous}" if rate else text


def _summary(totals: pd.Series) -> str:
    steps = [_stage_text(totals, 0)]
    for index, stage in enumerate(STAGES[1:], start=1):
        rate = percent(totals[stage], totals[STAGES[index - 1]])
        steps.append(f"{totals[stage]:,} {stage}" + (f" ({rate})" if rate else ""))
    return "All call types: " + " → ".join(steps)


def _draw_groups(axes: Axes, table: pd.DataFrame, styles: list[CallTypeStyle]) -> None:
    group_size = len(STAGES) + GROUP_GAP
    for group, (style, (_, counts)) in enumerate(zip(styles, table.iterrows(), strict=True)):
        top = group * group_size
        for index, stage in enumerate(STAGES):
            bars = axes.barh(
                top + index,
                counts[stage],
                height=BAR_HEIGHT,
                color=style.colour,
                alpha=STAGE_ALPHA[index],
            )
            axes.bar_label(bars, labels=[_stage_text(counts, index)], padding=4, fontsize=TEXT_SIZE)

    centres = [group * group_size + (len(STAGES) - 1) / 2 for group in range(len(styles))]
    axes.set_yticks(centres, [style.label for style in styles], fontsize=LABEL_SIZE)
    axes.tick_params(axis="y", length=0)
    axes.set_ylim(len(styles) * group_size - GROUP_GAP - 0.5, -0.5)
    largest = int(table.to_numpy().max())
    ticks = MaxNLocator(nbins=4, integer=True).tick_values(0, largest)
    axes.set_xticks([tick for tick in ticks if tick <= largest])
    axes.spines["bottom"].set_bounds(0, largest)
    axes.set_xlim(0, largest / BAR_SHARE)
    axes.set_xlabel("calls and outcomes (count)", fontsize=LABEL_SIZE, loc="left")
    style_axes(axes, value_axis="x")


def _alt_text(table: pd.DataFrame, styles: list[CallTypeStyle], team: str, week: str) -> str:
    details = "; ".join(
        f"{style.label}: " + ", ".join(_stage_text(counts, index) for index in range(len(STAGES)))
        for style, (_, counts) in zip(styles, table.iterrows(), strict=True)
    )
    return (
        f"Bar chart of call outcomes by call type in {team} for {week}. "
        f"{_summary(table.sum())}. {details}."
    )
