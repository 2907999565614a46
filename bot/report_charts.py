"""The weekly report's four PNG charts, drawn by metrics.charts from one team's Dataset."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pandas as pd

from bot.blocks.report import ReportSummary
from bot.dataset import Dataset
from metrics.charts import (
    Chart,
    activity_by_rep_chart,
    compliance_chart,
    funnel_chart,
    trend_chart,
)
from metrics.compliance import compliance
from metrics.conversion import conversion
from metrics.frames import between
from metrics.trend import team_weeks

logger = logging.getLogger(__name__)

CHART_NAMES = (
    "calls by rep and call type",
    "outcomes by call type",
    "the weekly trend against target",
    "check-ins by rep",
)
"""What report_charts draws, in its order, for the line that announces the charts."""


def report_charts(data: Dataset, summary: ReportSummary, trend_weeks: int) -> list[Chart]:
    """Activity by rep, outcomes by call type, the team's weekly trend, check-ins by rep.

    NOTE: metrics.charts.trend_chart shows at most eight weeks, so a trend_weeks setting
    above 8 loads more history than the chart draws.
    """
    monday, week, team = summary.monday, summary.week, summary.team
    sunday = monday + timedelta(days=6)
    names = rep_names(data)
    entries = between(data.entries, monday, sunday)

    activity = _activity(entries, between(data.expected, monday, sunday), names)
    funnel = conversion(entries, data.outcome_flags, ["call_type"])
    first_week = pd.Timestamp(monday - timedelta(weeks=trend_weeks - 1))
    trend = team_weeks(data.entries, data.expected).loc[lambda f: f["week_start"] >= first_week]
    checkins = _checkins(data, monday, names)

    return [
        activity_by_rep_chart(activity, team=team, week=week, call_types=data.call_types),
        funnel_chart(funnel, team=team, week=week, call_types=data.call_types),
        trend_chart(
            trend.loc[:, ["week", "calls"]],
            team=team,
            week=week,
            target=summary.weekly_target,
        ),
        compliance_chart(checkins, team=team, week=week),
    ]


def rep_names(data: Dataset) -> dict[str, str]:
    """Display names of the dataset's reps; two reps sharing a name get their IDs added."""
    reps = sorted(set(data.expected["rep_id"]) | set(data.entries["rep_id"]))
    names = {rep: data.names.get(rep, rep) for rep in reps}
    taken = pd.Series(list(names.values()), dtype="str").value_counts()
    return {rep: name if taken[name] == 1 else f"{name} ({rep})" for rep, name in names.items()}


def _activity(entries: pd.DataFrame, expected: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """rep_name, call_type, calls; a rep expected this week who logged nothing shows as 0."""
    logged = entries.groupby(["rep_id", "call_type"], as_index=False).agg(calls=("count", "sum"))
    idle = sorted(set(expected["rep_id"]) - set(logged["rep_id"]))
    any_type = logged["call_type"].iloc[0] if len(logged) else ""
    zeros = pd.DataFrame({"rep_id": idle, "call_type": any_type, "calls": 0})
    frame = pd.concat([logged, zeros], ignore_index=True) if idle else logged
    return frame.assign(rep_name=frame["rep_id"].map(names)).loc[
        :, ["rep_name", "call_type", "calls"]
    ]


def _checkins(data: Dataset, monday: date, names: dict[str, str]) -> pd.DataFrame:
    """rep_name, checked_in, expected for every rep on the team, as of the Monday after."""
    sunday = monday + timedelta(days=6)
    week = compliance(data.checkins, data.expected, monday, sunday, sunday + timedelta(days=1))
    return pd.DataFrame(
        {
            "rep_name": week["rep_id"].map(names),
            "checked_in": week["checked_in_days"],
            "expected": week["expected_days"],
        }
    )
