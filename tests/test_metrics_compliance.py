"""Check-in compliance: days checked in over days expected, streaks and the last check-in."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal
from test_metrics_scenario import checkins, days, expected, week_checkins

from metrics.compliance import COMPLIANCE_COLUMNS, compliance, runs, settled_days
from metrics.frames import empty_checkins, empty_expected


def test_thanksgiving_week_seen_on_friday_before_anyone_checked_in_today() -> None:
    got = compliance(week_checkins(), expected(), "2026-11-23", "2026-11-29", "2026-11-27")

    want = pd.DataFrame(
        {
            "rep_id": ["U1", "U2", "U3", "U4"],
            "team": ["East", "East", "East", "EMEA"],
            # U1: Mon, Wed (Tue off, Thu holiday, Fri is today and not in yet).
            # U2: Wed, Fri (joined Wed; checked in today, so today counts).
            # U3: Mon, Tue, Wed. U4 (GB): Mon to Thu.
            "expected_days": np.array([2, 2, 3, 4], dtype="int64"),
            "checked_in_days": np.array([2, 1, 2, 0], dtype="int64"),
            "compliance": [1.0, 0.5, 2 / 3, 0.0],
            # U1's streak runs back through all of W47: 5 + Mon + Wed.
            "streak": np.array([7, 1, 0, 0], dtype="int64"),
            "missed_run": np.array([0, 0, 1, 9], dtype="int64"),
            "last_checkin": days("2026-11-25", "2026-11-27", "2026-11-24", None),
        }
    )
    assert_frame_equal(got, want)


def test_after_the_week_an_unreported_friday_counts_as_missed() -> None:
    got = compliance(week_checkins(), expected(), "2026-11-23", "2026-11-29", "2026-11-30")

    u1 = got.loc[got["rep_id"] == "U1"].iloc[0]
    assert (u1["expected_days"], u1["checked_in_days"], u1["streak"], u1["missed_run"]) == (
        3,
        2,
        0,
        1,
    )


def test_a_period_before_the_rep_joined_has_no_rate() -> None:
    got = compliance(week_checkins(), expected(), "2026-11-16", "2026-11-22", "2026-11-27")

    u2 = got.loc[got["rep_id"] == "U2"].iloc[0]
    assert u2["expected_days"] == 0
    assert math.isnan(u2["compliance"])
    assert u2["streak"] == 1  # the streak is not cut at the period


def test_a_check_in_on_a_day_off_neither_counts_nor_breaks_a_streak() -> None:
    settled = settled_days(week_checkins(), expected(), "2026-11-27")

    assert pd.Timestamp("2026-11-24") not in set(
        settled.loc[settled["rep_id"] == "U1", "work_date"]
    )


def test_runs_match_a_hand_walk_back() -> None:
    only_fridays = checkins(("U3", "2026-11-20"), ("U3", "2026-11-27"))

    got = runs(only_fridays, expected(), "2026-11-27").set_index("rep_id")

    # U3 on 27 Nov: Fri in, then Wed 25, Tue 24, Mon 23 missed; the walk stops at once.
    assert got.loc["U3", "streak"] == 1
    assert got.loc["U3", "missed_run"] == 0
    assert got.loc["U1", "missed_run"] == 7  # W47 and Mon, Wed; Friday is not over


def test_empty_frames() -> None:
    got = compliance(empty_checkins(), empty_expected(), "2026-11-23", "2026-11-29", "2026-11-27")

    assert len(got) == 0
    assert list(got.columns) == COMPLIANCE_COLUMNS
