"""Week-to-date pace against the weekly target, projected to the end of the week."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal
from test_metrics_scenario import days, entries, expected, targets, week_checkins

from metrics.frames import empty_checkins, empty_entries, empty_expected, empty_targets
from metrics.pace import PACE_COLUMNS, pace


def _week() -> pd.DataFrame:
    return entries(
        ("U1", "East", "2026-11-20", "cold_call", "no_answer", 40),  # last week
        ("U1", "East", "2026-11-23", "cold_call", "no_answer", 12),
        ("U1", "East", "2026-11-23", "cold_call", "connected", 3),
        ("U1", "East", "2026-11-25", "demo", "meeting_booked", 2),
        ("U1", "East", "2026-11-25", "cold_call", "no_answer", 8),
        ("U1", "East", "2026-11-27", "cold_call", "no_answer", 5),  # after as_of
        ("U3", "East", "2026-11-23", "cold_call", "no_answer", 10),
        ("U3", "East", "2026-11-24", "cold_call", "no_answer", 10),
    )


def test_pace_on_wednesday_of_thanksgiving_week() -> None:
    got = pace(_week(), week_checkins(), expected(), targets(), "2026-11-25")

    want = pd.DataFrame(
        {
            "rep_id": ["U1", "U2", "U3", "U4"],
            "team": ["East", "East", "East", "EMEA"],
            "week_start": days("2026-11-23", "2026-11-23", "2026-11-23", "2026-11-23"),
            "week": ["2026-W48"] * 4,
            "calls": np.array([25, 0, 20, 0], dtype="int64"),
            "target": [50.0, 40.0, math.nan, 50.0],  # U3 has no target
            # U1: Mon and Wed (checked in today); U2 joined today and is not in yet;
            # U3: Mon, Tue (not in yet today); U4: Mon, Tue (missed, but over).
            "workdays_elapsed": np.array([2, 0, 2, 2], dtype="int64"),
            # U1 Mon/Wed/Fri; U2 Wed/Fri; U3 Mon-Wed + Fri; U4 (GB) all five.
            "workdays_in_week": np.array([3, 2, 4, 5], dtype="int64"),
            "workdays_left": np.array([1, 2, 2, 3], dtype="int64"),
            "projected": [25 / 2 * 3, math.nan, 20 / 2 * 4, 0.0],
            "projected_pct": [75.0, math.nan, math.nan, 0.0],
        }
    )
    assert_frame_equal(got, want)


def test_a_zero_target_gives_no_percentage() -> None:
    zero = pd.DataFrame({"rep_id": ["U1"], "weekly_calls": [0.0]})

    got = pace(_week(), week_checkins(), expected(), zero, "2026-11-25")

    assert math.isnan(got.loc[got["rep_id"] == "U1", "projected_pct"].iloc[0])


def test_on_the_last_day_the_projection_is_the_actual() -> None:
    got = pace(_week(), week_checkins(), expected(), targets(), "2026-11-29")

    u1 = got.loc[got["rep_id"] == "U1"].iloc[0]
    assert (u1["calls"], u1["workdays_left"], u1["projected"]) == (30, 0, 30.0)


def test_empty_frames() -> None:
    got = pace(empty_entries(), empty_checkins(), empty_expected(), empty_targets(), "2026-11-25")

    assert list(got.columns) == PACE_COLUMNS
    assert len(got) == 0


def test_a_short_week_is_held_to_its_share_of_the_target() -> None:
    import pandas as pd

    from metrics.pace import pace

    week = pd.to_datetime(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"])  # no Thu
    expected = pd.DataFrame({"rep_id": "U1", "team": "East", "work_date": week})
    checkins = expected.loc[:, ["rep_id", "work_date"]]
    entries = pd.DataFrame(
        {
            "rep_id": "U1",
            "team": "East",
            "work_date": week,
            "call_type": "cold_call",
            "outcome": "no_answer",
            "count": 10,
        }
    )
    targets = pd.DataFrame({"rep_id": ["U1"], "weekly_calls": [50.0], "workdays_per_week": [5]})

    row = pace(entries, checkins, expected, targets, "2026-11-29").iloc[0]

    assert row["target"] == 40.0  # 4 of 5 days
    assert row["projected_pct"] == 100.0
