"""The plan's links week by week and per call type, from a team's entries and expected days."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from metrics.conversion import conversion, with_rates
from metrics.frames import (
    DateLike,
    OutcomeFlags,
    between,
    iso_week_labels,
    week_starts,
    window_start,
)

if TYPE_CHECKING:
    from metrics.plan import Plan

logger = logging.getLogger(__name__)

USUAL_WORKDAYS = 5
"""A rep's workdays in a usual week when the caller does not say (Monday to Friday)."""

BASIS = {
    "calls_per_rep": "reps",
    "connect_rate": "calls",
    "meeting_rate": "connects",
    "win_rate": "meetings",
}
"""The count each weekly link rests on, so callers can ignore rates over tiny samples."""

WEEKLY_COLUMNS = [
    "week_start",
    "week",
    "reps",
    "calls",
    "connects",
    "meetings",
    "wins",
    "connect_rate",
    "meeting_rate",
    "win_rate",
    "calls_per_rep",
]


def weekly_actuals(
    entries: pd.DataFrame,
    expected: pd.DataFrame,
    outcome_flags: OutcomeFlags,
    team: str,
    start: DateLike,
    end: DateLike,
    workdays_per_week: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The team's actual links per ISO week in [start, end] in which anyone was expected.

    Columns: week_start, week, reps, calls, connects, meetings, wins, connect_rate,
    meeting_rate, win_rate, calls_per_rep. reps counts rep-weeks, like pace: a rep expected
    on 4 of their 5 usual workdays (a holiday, a day off, a start midweek) is 0.8 of a rep
    that week, so a short week's calls are not read as too little activity.
    `workdays_per_week` maps each rep to their usual workdays a week (USUAL_WORKDAYS for a
    rep it leaves out).
    """
    reps = rep_weeks(between(expected.loc[expected["team"] == team], start, end), workdays_per_week)
    counts = (
        between(entries.loc[entries["team"] == team], start, end)
        .assign(week_start=lambda f: week_starts(f["work_date"]))
        .pipe(conversion, outcome_flags, ["week_start"])
        .loc[:, ["week_start", "calls", "connects", "meetings", "wins"]]
    )
    return (
        reps.merge(counts, on="week_start", how="left")
        .fillna(0)
        .astype({c: "int64" for c in ("calls", "connects", "meetings", "wins")})
        .pipe(with_rates)
        .assign(
            week=lambda f: iso_week_labels(f["week_start"]),
            calls_per_rep=lambda f: f["calls"] / f["reps"],
        )
        .loc[:, WEEKLY_COLUMNS]
    )


def rep_weeks(
    expected: pd.DataFrame, workdays_per_week: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Per ISO week (week_start, reps): the sum over reps of their expected days that week
    over their usual workdays a week, each rep at most one whole rep-week."""
    usual = pd.Series(workdays_per_week or {}, dtype="float64")
    return (
        expected.assign(week_start=lambda f: week_starts(f["work_date"]))
        .groupby(["week_start", "rep_id"], as_index=False)
        .agg(days=("work_date", "size"))
        .assign(usual=lambda f: f["rep_id"].map(usual).fillna(USUAL_WORKDAYS))
        .assign(reps=lambda f: (f["days"] / f["usual"].where(f["usual"] > 0)).clip(upper=1.0))
        .groupby("week_start", as_index=False)
        .agg(reps=("reps", "sum"))
    )


def plan_by_week(
    entries: pd.DataFrame,
    expected: pd.DataFrame,
    plan: Plan,
    outcome_flags: OutcomeFlags,
    team: str,
    end: DateLike,
    weeks: int = 4,
    workdays_per_week: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Each link per week over the `weeks` ISO weeks ending with the week of `end`.

    Columns: week_start, week, link, planned, actual, ratio, off_by_pct (100 x (ratio - 1)),
    basis (what the actual rests on: rep-weeks, calls, connects or meetings). The deal
    value has no weekly actual and is left out. See weekly_actuals for `workdays_per_week`.
    """
    first = window_start(end, weeks)
    weekly = weekly_actuals(entries, expected, outcome_flags, team, first, end, workdays_per_week)
    frames = [
        weekly.loc[:, ["week_start", "week"]].assign(
            link=link, planned=plan.links()[link], actual=weekly[link], basis=weekly[basis]
        )
        for link, basis in BASIS.items()
    ]
    return (
        pd.concat(frames, ignore_index=True)
        .assign(ratio=lambda f: f["actual"] / f["planned"])
        .assign(off_by_pct=lambda f: 100 * (f["ratio"] - 1))
        .loc[:, ["week_start", "week", "link", "planned", "actual", "ratio", "off_by_pct", "basis"]]
        .sort_values(["week_start", "link"], key=_funnel_order)
        .reset_index(drop=True)
    )


def _funnel_order(column: pd.Series) -> pd.Series:
    if column.name == "link":
        return column.map({link: rank for rank, link in enumerate(BASIS)})
    return column


def plan_by_call_type(
    entries: pd.DataFrame,
    expected: pd.DataFrame,
    plan: Plan,
    outcome_flags: OutcomeFlags,
    team: str,
    end: DateLike,
    weeks: int = 4,
) -> pd.DataFrame:
    """Which call type's conversion is off: each call type against the team's planned rates.

    Columns: call_type, calls, connects, meetings, wins, the three rates, connect_off_pct,
    meeting_off_pct, win_off_pct, planned_wins (calls x planned conversion), wins_gap and
    revenue_gap (wins_gap x deal value per working week). The revenue gaps add up to the
    conversion part of the team's gap; activity is judged by plan_vs_actual. The plan has
    one set of rates per team, so a call type meant to convert less (cold calls) will
    always look behind; compare call types with each other, not with zero.
    """
    first = window_start(end, weeks)
    working_weeks = len(weekly_actuals(entries, expected, outcome_flags, team, first, end))
    conversion_per_call = plan.connect_rate * plan.meeting_rate * plan.win_rate
    return (
        between(entries.loc[entries["team"] == team], first, end)
        .pipe(conversion, outcome_flags, ["call_type"])
        .assign(
            connect_off_pct=lambda f: 100 * (f["connect_rate"] / plan.connect_rate - 1),
            meeting_off_pct=lambda f: 100 * (f["meeting_rate"] / plan.meeting_rate - 1),
            win_off_pct=lambda f: 100 * (f["win_rate"] / plan.win_rate - 1),
            planned_wins=lambda f: f["calls"] * conversion_per_call,
        )
        .assign(wins_gap=lambda f: f["wins"] - f["planned_wins"])
        .assign(revenue_gap=lambda f: f["wins_gap"] * plan.deal_value / (working_weeks or math.nan))
        .reset_index(drop=True)
    )
