"""Expected workdays: team workdays minus public holidays, days off and days before joining."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from test_metrics_scenario import days, days_off, expected, reps

from metrics.calendar import expected_workdays
from metrics.frames import DAYS_OFF_COLUMNS, REP_COLUMNS, empty_expected, empty_frame


def _expected(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rep_id": pd.Series([r for r, _, _ in rows], dtype="str"),
            "team": pd.Series([t for _, t, _ in rows], dtype="str"),
            "work_date": days(*(d for _, _, d in rows)),
        }
    )


def test_thanksgiving_week_with_a_day_off_and_a_mid_week_joiner() -> None:
    week = expected().loc[lambda f: f["work_date"] >= "2026-11-23"].reset_index(drop=True)

    assert_frame_equal(
        week,
        _expected(
            [
                ("U1", "East", "2026-11-23"),  # Tue 24 is U1's day off, Thu 26 Thanksgiving
                ("U1", "East", "2026-11-25"),
                ("U1", "East", "2026-11-27"),
                ("U2", "East", "2026-11-25"),  # joined on Wednesday
                ("U2", "East", "2026-11-27"),
                ("U3", "East", "2026-11-23"),
                ("U3", "East", "2026-11-24"),
                ("U3", "East", "2026-11-25"),
                ("U3", "East", "2026-11-27"),
                ("U4", "EMEA", "2026-11-23"),  # GB works on US Thanksgiving
                ("U4", "EMEA", "2026-11-24"),
                ("U4", "EMEA", "2026-11-25"),
                ("U4", "EMEA", "2026-11-26"),
                ("U4", "EMEA", "2026-11-27"),
            ]
        ),
    )


def test_counts_per_rep_over_two_weeks() -> None:
    counts = expected().groupby("rep_id").size().to_dict()

    assert counts == {"U1": 8, "U2": 2, "U3": 9, "U4": 10}


def test_own_workdays_observed_holidays_and_year_end() -> None:
    team = pd.DataFrame(
        {
            "rep_id": ["U5", "U6"],
            "team": ["West", "West"],
            "joined_on": days("2026-06-01", "2026-06-01"),
            "country": ["US", "us"],
            "workdays": [["fri", "sat"], ["Monday", "Fri"]],
        }
    )

    july = expected_workdays(team, empty_frame(DAYS_OFF_COLUMNS), "2026-06-29", "2026-07-04")
    year_end = expected_workdays(team, empty_frame(DAYS_OFF_COLUMNS), "2026-12-31", "2027-01-02")

    # Independence Day is Saturday 4 July 2026, observed on Friday 3 July: both are off.
    assert list(zip(july["rep_id"], july["work_date"].dt.day, strict=True)) == [("U6", 29)]
    # New Year's Day 2027 is a Friday; the range spans two years of holidays.
    assert list(zip(year_end["rep_id"], year_end["work_date"].dt.day, strict=True)) == [("U5", 2)]


def test_a_rep_without_join_date_is_expected_from_the_start() -> None:
    team = reps().head(1).assign(joined_on=days(None))

    got = expected_workdays(team, days_off().head(0), "2026-11-16", "2026-11-18")

    assert list(got["work_date"].dt.day) == [16, 17, 18]


def test_no_reps_gives_an_empty_expected_frame() -> None:
    got = expected_workdays(
        empty_frame(REP_COLUMNS), empty_frame(DAYS_OFF_COLUMNS), "2026-11-23", "2026-11-29"
    )

    assert_frame_equal(got, empty_expected())


def test_unknown_country_is_a_clear_error() -> None:
    team = reps().head(1).assign(country="XX")

    with pytest.raises(ValueError, match="country 'XX'"):
        expected_workdays(team, days_off(), "2026-11-23", "2026-11-29")
