"""Load what metrics/ needs from storage as the DataFrames of its contract."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from bot.settings import Settings, Team
from metrics.calendar import expected_workdays
from metrics.frames import (
    CALL_TYPE_TARGET_COLUMNS,
    CHECKIN_COLUMNS,
    DAYS_OFF_COLUMNS,
    ENTRY_COLUMNS,
    REP_COLUMNS,
    TARGET_COLUMNS,
    OutcomeFlags,
    empty_frame,
    with_dates,
)
from storage.store import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dataset:
    """Everything a report, an alert run or /stats computes from, for some teams and dates.

    `earlier_checkins` holds each rep's last check-in before `start`, however long ago, for
    what the frames cannot show: when a rep who has gone quiet last checked in.
    """

    start: date
    end: date
    entries: pd.DataFrame
    checkins: pd.DataFrame
    expected: pd.DataFrame
    targets: pd.DataFrame
    call_type_targets: pd.DataFrame
    outcome_flags: OutcomeFlags
    call_types: list[tuple[str, str]]
    names: dict[str, str]
    earlier_checkins: dict[str, date]

    def workdays_per_week(self) -> dict[str, float]:
        """Each rep's usual workdays a week, the unit of a rep-week in the plan's figures."""
        usual = self.targets.drop_duplicates("rep_id", keep="last")
        return dict(zip(usual["rep_id"], usual["workdays_per_week"].astype("float64"), strict=True))

    def for_team(self, team: str) -> Dataset:
        """The same data restricted to one team's reps."""
        reps = set(self.expected.loc[self.expected["team"] == team, "rep_id"])
        reps |= set(self.entries.loc[self.entries["team"] == team, "rep_id"])
        return self.for_reps(reps)

    def for_reps(self, reps: set[str]) -> Dataset:
        def keep(frame: pd.DataFrame) -> pd.DataFrame:
            return frame.loc[frame["rep_id"].isin(reps)].reset_index(drop=True)

        return Dataset(
            start=self.start,
            end=self.end,
            entries=keep(self.entries),
            checkins=keep(self.checkins),
            expected=keep(self.expected),
            targets=keep(self.targets),
            call_type_targets=keep(self.call_type_targets),
            outcome_flags=self.outcome_flags,
            call_types=self.call_types,
            names=self.names,
            earlier_checkins={r: d for r, d in self.earlier_checkins.items() if r in reps},
        )


def load_dataset(
    store: Store, settings: Settings, start: date, end: date, teams: Sequence[Team] | None = None
) -> Dataset:
    """Read entries, check-ins and days off for [start, end] and work out expected days."""
    teams = list(teams if teams is not None else settings.teams)
    rep_team = {rep: team.name for team in teams for rep in team.reps}
    reps = list(rep_team)

    entries = _frame(
        [
            (r.rep_id, rep_team[r.rep_id], r.work_date, r.call_type, r.outcome, r.count)
            for r in store.entries.rows(start, end, rep_ids=reps)
            if r.rep_id in rep_team
        ],
        ENTRY_COLUMNS,
    )
    checkins = _frame(
        [(rep, day) for rep, day in store.entries.checkins(start, end, reps) if rep in rep_team],
        CHECKIN_COLUMNS,
    )
    days_off = _frame(
        [(rep, day) for rep, day in store.days_off.between(start, end) if rep in rep_team],
        DAYS_OFF_COLUMNS,
        date_column="day",
    )
    expected = expected_workdays(_reps_frame(store, settings, teams), days_off, start, end)

    people = {p.slack_id: p.display_name for p in store.roster.people()}
    dataset = Dataset(
        start=start,
        end=end,
        entries=entries,
        checkins=checkins,
        expected=expected,
        targets=_targets(settings, reps),
        call_type_targets=_call_type_targets(settings, reps),
        outcome_flags={o.key: set(o.counts_as) for o in settings.outcomes},
        call_types=[(c.key, c.label) for c in settings.call_types],
        names={rep: people.get(rep) or rep for rep in reps},
        earlier_checkins=store.entries.last_checkins(reps, before=start),
    )
    logger.debug(
        "Loaded %d entries, %d check-ins, %d expected days for %d reps (%s to %s)",
        len(entries),
        len(checkins),
        len(expected),
        len(reps),
        start,
        end,
    )
    return dataset


def _frame(
    rows: list[tuple[object, ...]], columns: Sequence[str], date_column: str = "work_date"
) -> pd.DataFrame:
    if not rows:
        return empty_frame(columns)
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    if "count" in frame:
        frame["count"] = frame["count"].astype("int64")
    return with_dates(frame, date_column)


def _reps_frame(store: Store, settings: Settings, teams: Sequence[Team]) -> pd.DataFrame:
    """A rep is expected from when they joined their team, or from their first imported day."""
    joined = {row.slack_id: row.joined_on for row in store.roster.active_reps()}
    first = store.entries.first_days([rep for team in teams for rep in team.reps])
    rows = []
    for team in teams:
        for rep in team.reps:
            if rep not in joined:
                continue  # inactive in Slack: no longer expected to check in
            since = min(joined[rep], first.get(rep, joined[rep]))
            rows.append((rep, team.name, since, team.country, settings.workdays_of(team)))
    if not rows:
        return empty_frame(REP_COLUMNS)
    return with_dates(pd.DataFrame.from_records(rows, columns=list(REP_COLUMNS)), "joined_on")


def _targets(settings: Settings, reps: Sequence[str]) -> pd.DataFrame:
    """Weekly targets, with each rep's usual workdays so that short weeks count pro rata."""
    if not reps:
        return empty_frame([*TARGET_COLUMNS, "workdays_per_week"])
    calls = [settings.weekly_target_calls(rep) for rep in reps]
    teams = [settings.team_of(rep) for rep in reps]
    return pd.DataFrame(
        {
            "rep_id": list(reps),
            "weekly_calls": [np.nan if c is None else float(c) for c in calls],
            "workdays_per_week": [len(settings.workdays_of(t)) if t else 5 for t in teams],
        }
    )


def _call_type_targets(settings: Settings, reps: Sequence[str]) -> pd.DataFrame:
    rows = [
        (rep, call_type, float(calls))
        for rep in reps
        for target in [settings.weekly_target(rep)]
        if target is not None
        for call_type, calls in target.call_types.items()
    ]
    if not rows:
        return empty_frame(CALL_TYPE_TARGET_COLUMNS)
    return pd.DataFrame.from_records(rows, columns=list(CALL_TYPE_TARGET_COLUMNS))
