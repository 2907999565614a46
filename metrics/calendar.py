"""The days each rep is expected to check in: workdays minus holidays and days off."""

from __future__ import annotations

import logging
from datetime import date

import holidays
import pandas as pd

from metrics.frames import EXPECTED_COLUMNS, DateLike, as_dates, to_day

logger = logging.getLogger(__name__)

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def expected_workdays(
    reps: pd.DataFrame, days_off: pd.DataFrame, start: DateLike, end: DateLike
) -> pd.DataFrame:
    """The expected frame (rep_id, team, work_date) for every rep over [start, end].

    A day is expected when it is one of the rep's workdays, on or after the day they joined,
    not a public holiday of their team's country and not one of their days off.
    `reps` has rep_id, team, joined_on (NaT = always there), country and workdays (a list
    such as ["mon", "tue"]); `days_off` has rep_id and day.
    """
    first, last = to_day(start), to_day(end)
    days = pd.DataFrame({"work_date": as_dates(pd.Series(pd.date_range(first, last)))})

    candidates = (
        reps.loc[:, ["rep_id", "team", "joined_on", "country"]]
        .assign(
            joined_on=lambda f: as_dates(f["joined_on"]).fillna(first),
            country=lambda f: f["country"].str.upper(),
        )
        .merge(days, how="cross")
        .loc[lambda f: f["work_date"] >= f["joined_on"]]
        .assign(weekday=lambda f: f["work_date"].dt.day_of_week.map(dict(enumerate(WEEKDAY_KEYS))))
    )

    expected = (
        candidates.merge(_schedule(reps), on=["rep_id", "weekday"])
        .pipe(_without, _holidays(reps["country"], first, last), on=["country", "work_date"])
        .pipe(_without, _days_off(days_off), on=["rep_id", "work_date"])
        .loc[:, list(EXPECTED_COLUMNS)]
        .sort_values(["rep_id", "work_date"])
        .reset_index(drop=True)
    )
    logger.debug("Expected %d rep-days for %d reps", len(expected), reps["rep_id"].nunique())
    return expected


def _schedule(reps: pd.DataFrame) -> pd.DataFrame:
    """One row per rep and weekday key they work."""
    return (
        reps.loc[:, ["rep_id", "workdays"]]
        .explode("workdays")
        .dropna(subset=["workdays"])
        .assign(weekday=lambda f: f["workdays"].astype(str).str.strip().str.lower().str[:3])
        .loc[:, ["rep_id", "weekday"]]
        .drop_duplicates()
    )


def _holidays(countries: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Public holidays (observed dates included) of each country over the years in range."""
    years = range(first.year, last.year + 1)
    rows = [
        (country, day)
        for country in sorted(countries.dropna().str.upper().unique())
        for day in country_holidays(str(country), years)
    ]
    frame = pd.DataFrame(rows, columns=["country", "work_date"])
    return frame.assign(work_date=as_dates(frame["work_date"]))


def country_holidays(country: str, years: range) -> list[date]:
    """The public holidays (observed dates included) of an ISO country code over `years`."""
    try:
        return list(holidays.country_holidays(country, years=years).keys())
    except NotImplementedError:
        raise ValueError(
            f"country {country!r} is not one the holidays package knows; use an ISO code like US"
        ) from None


def _days_off(days_off: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"rep_id": days_off["rep_id"], "work_date": as_dates(days_off["day"])})


def _without(frame: pd.DataFrame, other: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """The rows of `frame` with no match in `other` on the `on` columns (an anti-join)."""
    marked = frame.merge(other.loc[:, on].drop_duplicates(), on=on, how="left", indicator=True)
    return marked.loc[marked["_merge"] == "left_only"].drop(columns="_merge")
