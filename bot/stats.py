"""/stats numbers: the summary, reply and chart for an authorized request."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pandas as pd

from bot.blocks import Message
from bot.blocks.stats import (
    CallTypeCounts,
    CheckIns,
    Counts,
    Pace,
    RepLine,
    StatsSummary,
    stats_message,
)
from bot.dataset import Dataset, load_dataset
from bot.settings import Settings
from bot.stats_request import StatsRequest
from metrics.activity import daily_activity
from metrics.charts import Chart, stats_chart
from metrics.compliance import compliance
from metrics.conversion import conversion
from metrics.frames import between
from metrics.pace import pace
from storage.store import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StatsResult:
    summary: StatsSummary
    chart: Chart | None  # None when no calls were logged in the period

    def message(self, chart_in_dm: bool = False) -> Message:
        """{"text", "blocks"} for the ephemeral reply; see stats_message for `chart_in_dm`."""
        return stats_message(self.summary, chart_in_dm)


def stats_dataset(store: Store, settings: Settings, request: StatsRequest) -> Dataset:
    """Load what compute_stats needs: the period, plus the whole week of `end` for a rep's pace."""
    start, end = request.start, request.end
    if request.subject_kind == "rep":
        monday = end - timedelta(days=end.weekday())
        start, end = min(start, monday), max(end, monday + timedelta(days=6))
    teams = list(_team_of_rep(request, settings).values())
    wanted = [team for team in settings.teams if team.name in teams]
    return load_dataset(store, settings, start, end, wanted)


def compute_stats(request: StatsRequest, dataset: Dataset, settings: Settings) -> StatsResult:
    """The reply and chart for an authorized request, from stats_dataset's data."""
    summary = summarize_stats(request, dataset, settings)
    scope = dataset.for_reps(set(_team_of_rep(request, settings)))
    entries = between(scope.entries, request.start, request.end)
    return StatsResult(summary=summary, chart=_chart(request, entries, scope))


def summarize_stats(request: StatsRequest, dataset: Dataset, settings: Settings) -> StatsSummary:
    """The numbers behind the reply: funnel, call types, check-ins, pace or per-rep lines."""
    team_of = _team_of_rep(request, settings)
    scope = dataset.for_reps(set(team_of))
    entries = between(scope.entries, request.start, request.end)

    # A past period is over: its last day counts even without a check-in.
    settled_on = min(request.as_of or request.end, request.end + timedelta(days=1))
    by_rep = compliance(scope.checkins, scope.expected, request.start, request.end, settled_on)

    rep = request.subject_kind == "rep"
    summary = StatsSummary(
        rep_id=request.rep_id if rep else None,
        team=request.team if request.subject_kind == "team" else None,
        teams=request.teams,
        label=request.label,
        start=request.start,
        end=request.end,
        totals=_counts(conversion(entries, scope.outcome_flags, by=()).iloc[0]),
        call_types=_call_types(entries, scope),
        checkins=CheckIns(int(by_rep["checked_in_days"].sum()), int(by_rep["expected_days"].sum())),
        pace=_pace(request, scope) if rep else None,
        reps=() if rep else _rep_lines(request, entries, by_rep, team_of),
    )
    logger.debug(
        "Summarized /stats %s %s for %s: %d calls",
        request.subject_kind,
        request.rep_id or request.team or "",
        request.label,
        summary.totals.calls,
    )
    return summary


def _team_of_rep(request: StatsRequest, settings: Settings) -> dict[str, str]:
    """The reps the request covers, each with their team's name, as app.yaml has them."""
    if request.subject_kind == "rep" and request.rep_id is not None:
        team = settings.team_of(request.rep_id)
        return {request.rep_id: team.name} if team else {}
    return {
        rep: team.name
        for team in settings.teams
        if _covers(request, team.name)
        for rep in team.reps
    }


def _covers(request: StatsRequest, team: str) -> bool:
    if request.subject_kind == "all":
        return not request.teams or team in request.teams
    return team == request.team


def _float_or_none(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def _counts(row: pd.Series) -> Counts:
    return Counts(
        calls=int(row["calls"]),
        connects=int(row["connects"]),
        meetings=int(row["meetings"]),
        wins=int(row["wins"]),
        connect_rate=_float_or_none(row["connect_rate"]),
        meeting_rate=_float_or_none(row["meeting_rate"]),
        win_rate=_float_or_none(row["win_rate"]),
    )


def _call_types(entries: pd.DataFrame, scope: Dataset) -> list[CallTypeCounts]:
    """Call types with calls, in app.yaml's order; a call type no longer configured comes last."""
    labels = dict(scope.call_types)
    order = {key: index for index, key in enumerate(labels)}
    table = conversion(entries, scope.outcome_flags, by=("call_type",))
    rows = sorted(
        (row for _, row in table.iterrows() if row["calls"] > 0),
        key=lambda row: (order.get(row["call_type"], len(order)), row["call_type"]),
    )
    return [
        CallTypeCounts(labels.get(row["call_type"], row["call_type"]), _counts(row)) for row in rows
    ]


def _pace(request: StatsRequest, scope: Dataset) -> Pace | None:
    """The rep's ISO week holding `end`: so far and projected, or the total once it is over."""
    monday = request.end - timedelta(days=request.end.weekday())
    if scope.start > monday or scope.end < monday + timedelta(days=6):
        logger.warning("No pace for /stats: the dataset does not cover the week of %s", monday)
        return None

    frame = pace(scope.entries, scope.checkins, scope.expected, scope.targets, request.end)
    if frame.empty:
        return None
    row = frame.iloc[0]
    return Pace(
        week=str(row["week"]),
        calls=int(row["calls"]),
        target=_float_or_none(row["target"]),
        workdays_left=int(row["workdays_left"]),
        projected=_float_or_none(row["projected"]),
        finished=request.end < (request.as_of or request.end) or row["workdays_left"] == 0,
    )


def _rep_lines(
    request: StatsRequest, entries: pd.DataFrame, by_rep: pd.DataFrame, team_of: dict[str, str]
) -> list[RepLine]:
    """Reps with calls or check-ins due in the period, busiest first."""
    calls = entries.groupby("rep_id")["count"].sum()
    due = by_rep.set_index("rep_id")
    lines = [
        RepLine(
            rep_id=rep,
            calls=int(calls.get(rep, 0)),
            checkins=CheckIns(
                int(due["checked_in_days"].get(rep, 0)), int(due["expected_days"].get(rep, 0))
            ),
            team=team if request.subject_kind == "all" else None,
        )
        for rep, team in team_of.items()
    ]
    return sorted(
        (line for line in lines if line.calls or line.checkins.expected),
        key=lambda line: (-line.calls, line.rep_id),
    )


def _chart(request: StatsRequest, entries: pd.DataFrame, scope: Dataset) -> Chart | None:
    """Calls per day by call type over the whole period, so quiet days show as gaps."""
    if entries.empty or entries["count"].sum() == 0:
        return None

    daily = (
        daily_activity(entries, by=["call_type"])
        .groupby(["work_date", "call_type"], as_index=False)
        .agg(calls=("calls", "sum"))
        .rename(columns={"work_date": "day"})
    )
    bounds = pd.DataFrame(
        {
            "day": pd.to_datetime([request.start, request.end]),
            "call_type": daily["call_type"].iloc[0],
            "calls": 0,
        }
    )
    if request.subject_kind == "rep" and request.rep_id is not None:
        subject = scope.names.get(request.rep_id, request.rep_id)
    else:
        subject = request.team or ", ".join(request.teams) or "all teams"
    return stats_chart(
        pd.concat([daily, bounds], ignore_index=True),
        title=f"Calls per day, {subject}, {request.label}",
        call_types=scope.call_types,
    )
