"""Each rep's and each team's week against their own trailing four-week baseline."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal
from test_metrics_scenario import WEEKDAYS, days, entries

from metrics.calendar import expected_workdays
from metrics.frames import empty_entries, empty_expected
from metrics.trend import baseline, rep_trend, rep_weeks, team_trend


def _expected() -> pd.DataFrame:
    """W43 to W48 of 2026. U1 is off all of W46; U2 joins in W47, U3 on Monday of W48."""
    reps = pd.DataFrame(
        {
            "rep_id": ["U1", "U2", "U3"],
            "team": ["East"] * 3,
            "joined_on": days("2026-10-01", "2026-11-16", "2026-11-23"),
            "country": ["US"] * 3,
            "workdays": [WEEKDAYS] * 3,
        }
    )
    off = pd.DataFrame({"rep_id": ["U1"] * 5, "day": days(*[f"2026-11-{d}" for d in range(9, 14)])})
    return expected_workdays(reps, off, "2026-10-19", "2026-11-29")


def _entries() -> pd.DataFrame:
    return entries(
        ("U1", "East", "2026-10-19", "cold_call", "no_answer", 100),
        ("U1", "East", "2026-10-26", "cold_call", "no_answer", 50),
        ("U1", "East", "2026-11-02", "cold_call", "no_answer", 60),
        ("U1", "East", "2026-11-10", "cold_call", "no_answer", 8),  # worked a day off in W46
        ("U1", "East", "2026-11-16", "cold_call", "no_answer", 70),
        ("U1", "East", "2026-11-23", "cold_call", "no_answer", 40),
        ("U2", "East", "2026-11-16", "cold_call", "no_answer", 30),
        ("U2", "East", "2026-11-23", "cold_call", "no_answer", 45),
        ("U3", "East", "2026-11-24", "cold_call", "no_answer", 15),
    )


def test_rep_weeks_skip_the_week_off_and_zero_fill_quiet_weeks() -> None:
    got = rep_weeks(_entries(), _expected()).loc[lambda f: f["rep_id"] == "U1"]

    assert list(got["week"]) == ["2026-W43", "2026-W44", "2026-W45", "2026-W47", "2026-W48"]
    assert list(got["workdays"]) == [5, 5, 5, 5, 4]  # Thanksgiving in W48
    assert list(got["calls"]) == [100, 50, 60, 70, 40]


def test_rep_trend_against_the_previous_four_working_weeks() -> None:
    got = rep_trend(_entries(), _expected(), "2026-11-25")

    want = pd.DataFrame(
        {
            "rep_id": ["U1", "U2", "U3"],
            "team": ["East"] * 3,
            "week_start": days("2026-11-23", "2026-11-23", "2026-11-23"),
            "week": ["2026-W48"] * 3,
            "workdays": np.array([4, 4, 4], dtype="int64"),
            "calls": np.array([40, 45, 15], dtype="int64"),
            # U1: W43, W44, W45 and W47 (W46 was off): (100 + 50 + 60 + 70) / 4.
            "baseline": [70.0, 30.0, math.nan],
            "baseline_daily": [280 / 20, 30 / 5, math.nan],
            "baseline_weeks": np.array([4, 1, 0], dtype="int64"),
            "change_pct": [100 * (40 / 70 - 1), 50.0, math.nan],
        }
    )
    assert_frame_equal(got, want)


def test_team_trend_against_its_previous_weeks() -> None:
    got = team_trend(_entries(), _expected(), "2026-11-23").iloc[0]

    # Team weeks: W43 100 (1 rep), W44 50 (1), W45 60 (1), W47 100 (2), W48 100 (3).
    assert (got["team"], got["week"], got["reps"], got["calls"]) == ("East", "2026-W48", 3, 100)
    assert got["calls_per_rep"] == 100 / 3
    assert got["baseline"] == (100 + 50 + 60 + 100) / 4
    assert got["baseline_per_rep"] == (100 + 50 + 60 + 50) / 4
    assert got["baseline_daily"] == 310 / 25
    assert got["change_pct"] == 100 * (100 / 77.5 - 1)


def test_baseline_uses_fewer_weeks_when_asked() -> None:
    got = baseline(rep_weeks(_entries(), _expected()), "rep_id", "2026-11-23", weeks=2)

    assert got.set_index("rep_id").loc["U1", "baseline"] == (60 + 70) / 2


def test_empty_frames() -> None:
    reps = rep_trend(empty_entries(), empty_expected(), "2026-11-23")
    teams = team_trend(empty_entries(), empty_expected(), "2026-11-23")

    assert len(reps) == len(teams) == 0
    assert "change_pct" in reps.columns
    assert "baseline_per_rep" in teams.columns
