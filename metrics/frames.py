"""Column names, empty frames and ISO-week helpers shared by every metric."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Final

import pandas as pd

logger = logging.getLogger(__name__)

OutcomeFlags = Mapping[str, Collection[str]]
"""outcome key -> the counters it counts as ("connect", "meeting", "win")."""

DateLike = date | str | pd.Timestamp

ENTRY_COLUMNS = ("rep_id", "team", "work_date", "call_type", "outcome", "count")
CHECKIN_COLUMNS = ("rep_id", "work_date")
EXPECTED_COLUMNS = ("rep_id", "team", "work_date")
TARGET_COLUMNS = ("rep_id", "weekly_calls")
CALL_TYPE_TARGET_COLUMNS = ("rep_id", "call_type", "weekly_calls")
REP_COLUMNS = ("rep_id", "team", "joined_on", "country", "workdays")
DAYS_OFF_COLUMNS = ("rep_id", "day")

DATE_DTYPE: Final = "datetime64[ns]"
_DTYPES = {
    "rep_id": "str",
    "team": "str",
    "call_type": "str",
    "outcome": "str",
    "country": "str",
    "work_date": DATE_DTYPE,
    "joined_on": DATE_DTYPE,
    "day": DATE_DTYPE,
    "count": "int64",
    "weekly_calls": "float64",
    "workdays": "object",
}


def empty_frame(columns: Sequence[str]) -> pd.DataFrame:
    """A zero-row frame with the contract's dtype for each known column."""
    return pd.DataFrame({name: pd.Series(dtype=_DTYPES.get(name, "float64")) for name in columns})


def empty_entries() -> pd.DataFrame:
    return empty_frame(ENTRY_COLUMNS)


def empty_checkins() -> pd.DataFrame:
    return empty_frame(CHECKIN_COLUMNS)


def empty_expected() -> pd.DataFrame:
    return empty_frame(EXPECTED_COLUMNS)


def empty_targets() -> pd.DataFrame:
    return empty_frame(TARGET_COLUMNS)


def empty_call_type_targets() -> pd.DataFrame:
    return empty_frame(CALL_TYPE_TARGET_COLUMNS)


def to_day(value: DateLike) -> pd.Timestamp:
    """A date as a midnight Timestamp in nanoseconds, the unit every frame here uses."""
    return pd.Timestamp(value).as_unit("ns").normalize()


def as_dates(values: pd.Series) -> pd.Series:
    """Dates of any datetime unit (or date objects) as midnight datetime64[ns]."""
    return pd.to_datetime(values).astype(DATE_DTYPE).dt.normalize()


def with_dates(frame: pd.DataFrame, column: str = "work_date") -> pd.DataFrame:
    """A copy of `frame` whose date column is midnight datetime64[ns], whatever came in."""
    return frame.assign(**{column: as_dates(frame[column])})


def week_start(day: DateLike) -> pd.Timestamp:
    """The Monday of the ISO week holding `day`."""
    moment = to_day(day)
    return moment - pd.Timedelta(days=moment.weekday())


def week_starts(dates: pd.Series) -> pd.Series:
    """The Monday of each date's ISO week, for a whole column."""
    days = as_dates(dates)
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def iso_week_label(day: DateLike) -> str:
    """The ISO week of `day` as "2026-W48"; the ISO year may differ from the calendar year."""
    year, week, _ = to_day(day).isocalendar()
    return f"{year}-W{week:02d}"


def iso_week_labels(dates: pd.Series) -> pd.Series:
    """`iso_week_label` for a whole column."""
    parts = as_dates(dates).dt.isocalendar()
    return (parts["year"].astype(str) + "-W" + parts["week"].astype(str).str.zfill(2)).astype("str")


def window_start(end: DateLike, weeks: int) -> pd.Timestamp:
    """The Monday `weeks` ISO weeks back, counting the week of `end` as the last one."""
    if weeks < 1:
        raise ValueError(f"a window needs at least one week; got weeks={weeks!r}")
    return week_start(end) - pd.Timedelta(weeks=weeks - 1)


def between(frame: pd.DataFrame, start: DateLike, end: DateLike) -> pd.DataFrame:
    """The rows whose work_date lies in [start, end], both ends included."""
    dated = with_dates(frame)
    return dated.loc[dated["work_date"].between(to_day(start), to_day(end))]
