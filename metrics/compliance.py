"""Check-in compliance per rep: days checked in over days expected, streaks, last check-in."""

from __future__ import annotations

import logging

import pandas as pd

from metrics.frames import DateLike, between, to_day, with_dates

logger = logging.getLogger(__name__)

COMPLIANCE_COLUMNS = [
    "rep_id",
    "team",
    "expected_days",
    "checked_in_days",
    "compliance",
    "streak",
    "missed_run",
    "last_checkin",
]


def settled_days(checkins: pd.DataFrame, expected: pd.DataFrame, as_of: DateLike) -> pd.DataFrame:
    """Expected days that are over: rep_id, team, work_date, checked_in (bool).

    A day before `as_of` is over; `as_of` itself (today) counts only once the rep checked
    in, so a rep who has not reported yet today is neither credited nor blamed for it.
    """
    today = to_day(as_of)
    reported = with_dates(checkins).loc[:, ["rep_id", "work_date"]].drop_duplicates()
    return (
        with_dates(expected)
        .loc[lambda f: f["work_date"] <= today, ["rep_id", "team", "work_date"]]
        .merge(reported.assign(checked_in=True), on=["rep_id", "work_date"], how="left")
        .fillna({"checked_in": False})
        .astype({"checked_in": "bool"})
        .loc[lambda f: (f["work_date"] < today) | f["checked_in"]]
        .sort_values(["rep_id", "work_date"])
        .reset_index(drop=True)
    )


def runs(checkins: pd.DataFrame, expected: pd.DataFrame, as_of: DateLike) -> pd.DataFrame:
    """Per rep: streak (expected days checked in, in a row, counting back from the latest
    settled day) and missed_run (expected days missed in a row, the same way).

    At most one of the two is non-zero. Both only see the days in the `expected` frame.
    """
    settled = settled_days(checkins, expected, as_of).sort_values(
        ["rep_id", "work_date"], ascending=[True, False]
    )
    reps = settled["rep_id"]
    return (
        pd.DataFrame(
            {
                "streak": _leading_run(settled["checked_in"], reps),
                "missed_run": _leading_run(~settled["checked_in"], reps),
            }
        )
        .rename_axis("rep_id")
        .reset_index()
    )


def _leading_run(flags: pd.Series, groups: pd.Series) -> pd.Series:
    """How many rows from the top of each group are True before the first False."""
    still_running = flags.astype("int64").groupby(groups).cumprod()
    return still_running.groupby(groups).sum().astype("int64")


def compliance(
    checkins: pd.DataFrame,
    expected: pd.DataFrame,
    start: DateLike,
    end: DateLike,
    as_of: DateLike,
) -> pd.DataFrame:
    """Check-in compliance per rep over [start, end], as seen on `as_of`.

    Columns (COMPLIANCE_COLUMNS): rep_id, team, expected_days, checked_in_days, compliance
    (checked_in_days / expected_days, NaN when nothing was expected yet), streak,
    missed_run (see runs), last_checkin (NaT if never). Every rep in `expected` gets a
    row; check-ins on days that were not expected (a day off worked anyway) do not count.
    """
    settled = settled_days(checkins, expected, as_of)
    period = (
        between(settled, start, end)
        .groupby("rep_id")["checked_in"]
        .agg(expected_days="size", checked_in_days="sum")
    )
    last = (
        with_dates(checkins)
        .loc[lambda f: f["work_date"] <= to_day(as_of)]
        .groupby("rep_id")["work_date"]
        .max()
        .rename("last_checkin")
    )
    return (
        _reps(expected)
        .merge(period, on="rep_id", how="left")
        .merge(runs(checkins, expected, as_of), on="rep_id", how="left")
        .merge(last, on="rep_id", how="left")
        .fillna({"expected_days": 0, "checked_in_days": 0, "streak": 0, "missed_run": 0})
        .astype({c: "int64" for c in ("expected_days", "checked_in_days", "streak", "missed_run")})
        .assign(
            compliance=lambda f: (
                f["checked_in_days"] / f["expected_days"].where(f["expected_days"] > 0)
            )
        )
        .loc[:, COMPLIANCE_COLUMNS]
    )


def _reps(expected: pd.DataFrame) -> pd.DataFrame:
    """Each rep once, with the team of their latest expected day."""
    return (
        with_dates(expected)
        .sort_values(["rep_id", "work_date"])
        .drop_duplicates("rep_id", keep="last")
        .loc[:, ["rep_id", "team"]]
        .reset_index(drop=True)
    )
