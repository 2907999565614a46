"""Calls per rep per day and per week, optionally split by call type and outcome."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from metrics.frames import iso_week_labels, week_starts, with_dates

logger = logging.getLogger(__name__)

SPLITS = ("call_type", "outcome")


def daily_activity(entries: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Calls per rep and work date: rep_id, team, work_date, *by, calls (int64).

    `by` may name "call_type" and/or "outcome"; days without entries have no row.
    """
    keys = ["rep_id", "team", "work_date", *_checked(by)]
    return (
        with_dates(entries)
        .groupby(keys, as_index=False, sort=True)
        .agg(calls=("count", "sum"))
        .astype({"calls": "int64"})
    )


def weekly_activity(entries: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """Calls per rep and ISO week: rep_id, team, week_start, week ("2026-W48"), *by, calls."""
    keys = ["rep_id", "team", "week_start", "week", *_checked(by)]
    return (
        with_dates(entries)
        .assign(
            week_start=lambda f: week_starts(f["work_date"]),
            week=lambda f: iso_week_labels(f["work_date"]),
        )
        .groupby(keys, as_index=False, sort=True)
        .agg(calls=("count", "sum"))
        .astype({"calls": "int64"})
    )


def daily_calls(entries: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """Total calls per rep and day, with a zero row for each expected day nobody logged.

    Columns: rep_id, team, work_date, calls (int64), expected (bool). Days with calls that
    were not expected (a day off the rep worked anyway) keep their row with expected=False.
    """
    return (
        with_dates(expected)
        .loc[:, ["rep_id", "team", "work_date"]]
        .assign(expected=True)
        .merge(daily_activity(entries), on=["rep_id", "team", "work_date"], how="outer")
        .fillna({"calls": 0, "expected": False})
        .astype({"calls": "int64", "expected": "bool"})
        .loc[:, ["rep_id", "team", "work_date", "calls", "expected"]]
        .sort_values(["rep_id", "work_date"])
        .reset_index(drop=True)
    )


def _checked(by: Sequence[str]) -> list[str]:
    unknown = [column for column in by if column not in SPLITS]
    if unknown or isinstance(by, str):
        raise ValueError(f"activity can be split by {list(SPLITS)} only; got by={by!r}")
    return list(by)
