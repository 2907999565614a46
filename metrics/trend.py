"""Each rep's week and each team's week against their own trailing baseline."""

from __future__ import annotations

import logging

import pandas as pd

from metrics.frames import DateLike, iso_week_labels, week_start, week_starts, with_dates

logger = logging.getLogger(__name__)

BASELINE_WEEKS = 4


def rep_weeks(entries: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """One row per rep and ISO week with at least one expected day.

    Columns: rep_id, team, week_start, week, workdays (expected days), calls (all calls
    logged that week, zero when none). Weeks a rep was not expected to work have no row.
    """
    workload = (
        with_dates(expected)
        .assign(week_start=lambda f: week_starts(f["work_date"]))
        .groupby(["rep_id", "week_start"], as_index=False)
        .agg(team=("team", "last"), workdays=("work_date", "size"))
    )
    calls = (
        with_dates(entries)
        .assign(week_start=lambda f: week_starts(f["work_date"]))
        .groupby(["rep_id", "week_start"], as_index=False)
        .agg(calls=("count", "sum"))
    )
    return (
        workload.merge(calls, on=["rep_id", "week_start"], how="left")
        .fillna({"calls": 0})
        .astype({"calls": "int64", "workdays": "int64"})
        .assign(week=lambda f: iso_week_labels(f["week_start"]))
        .loc[:, ["rep_id", "team", "week_start", "week", "workdays", "calls"]]
        .sort_values(["rep_id", "week_start"])
        .reset_index(drop=True)
    )


def team_weeks(entries: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """One row per team and ISO week in which anyone on it was expected to work.

    Columns: team, week_start, week, reps (reps expected that week), workdays, calls,
    calls_per_rep.
    """
    return (
        rep_weeks(entries, expected)
        .groupby(["team", "week_start", "week"], as_index=False)
        .agg(reps=("rep_id", "nunique"), workdays=("workdays", "sum"), calls=("calls", "sum"))
        .astype({"reps": "int64", "workdays": "int64", "calls": "int64"})
        .assign(calls_per_rep=lambda f: f["calls"] / f["reps"])
        .sort_values(["team", "week_start"])
        .reset_index(drop=True)
    )


def baseline(
    weeks_frame: pd.DataFrame, key: str, before: DateLike, weeks: int = BASELINE_WEEKS
) -> pd.DataFrame:
    """The mean of each `key`'s latest `weeks` rows that start before the week of `before`.

    `weeks_frame` is rep_weeks() or team_weeks(); since those hold only weeks with expected
    days, weeks off are skipped rather than counted as zero. Columns: key, baseline (mean
    weekly calls), baseline_daily (calls per expected day), baseline_weeks (how many weeks
    the baseline rests on; fewer than `weeks` for someone new).
    """
    return (
        weeks_frame.loc[weeks_frame["week_start"] < week_start(before)]
        .sort_values([key, "week_start"])
        .groupby(key)
        .tail(weeks)
        .groupby(key, as_index=False)
        .agg(
            baseline=("calls", "mean"),
            calls=("calls", "sum"),
            workdays=("workdays", "sum"),
            baseline_weeks=("calls", "size"),
        )
        .assign(baseline_daily=lambda f: f["calls"] / f["workdays"].where(f["workdays"] > 0))
        .astype({"baseline": "float64", "baseline_weeks": "int64"})
        .loc[:, [key, "baseline", "baseline_daily", "baseline_weeks"]]
    )


def rep_trend(
    entries: pd.DataFrame, expected: pd.DataFrame, week: DateLike, weeks: int = BASELINE_WEEKS
) -> pd.DataFrame:
    """Each rep's calls in the ISO week holding `week` against their trailing baseline.

    Columns: rep_id, team, week_start, week, workdays, calls, baseline, baseline_daily,
    baseline_weeks, change_pct (100 x (calls / baseline - 1); NaN without a baseline).
    Only reps expected to work that week get a row. For the current week, calls are the
    week so far.
    """
    history = rep_weeks(entries, expected)
    return _against(history, baseline(history, "rep_id", week, weeks), "rep_id", week)


def team_trend(
    entries: pd.DataFrame, expected: pd.DataFrame, week: DateLike, weeks: int = BASELINE_WEEKS
) -> pd.DataFrame:
    """Each team's week against the mean of its previous `weeks` working weeks.

    Columns: team, week_start, week, reps, workdays, calls, calls_per_rep, baseline,
    baseline_daily, baseline_weeks, baseline_per_rep, change_pct. baseline_per_rep is the
    mean of the baseline weeks' calls_per_rep, which is fairer when headcount changed.
    """
    history = team_weeks(entries, expected)
    per_rep = (
        baseline(history.assign(calls=history["calls_per_rep"]), "team", week, weeks)
        .loc[:, ["team", "baseline"]]
        .rename(columns={"baseline": "baseline_per_rep"})
    )
    return _against(history, baseline(history, "team", week, weeks), "team", week).merge(
        per_rep, on="team", how="left"
    )


def _against(history: pd.DataFrame, base: pd.DataFrame, key: str, week: DateLike) -> pd.DataFrame:
    return (
        history.loc[history["week_start"] == week_start(week)]
        .merge(base, on=key, how="left")
        .fillna({"baseline_weeks": 0})
        .astype({"baseline_weeks": "int64"})
        .assign(
            change_pct=lambda f: 100 * (f["calls"] / f["baseline"].where(f["baseline"] > 0) - 1)
        )
        .reset_index(drop=True)
    )
