"""Calls per rep per day and per week, by call type and outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from test_metrics_scenario import days, entries, expected

from metrics.activity import daily_activity, daily_calls, weekly_activity
from metrics.frames import empty_entries, empty_expected


def _seeded() -> pd.DataFrame:
    return entries(
        ("U1", "East", "2026-11-20", "cold_call", "no_answer", 7),
        ("U1", "East", "2026-11-23", "cold_call", "no_answer", 10),
        ("U1", "East", "2026-11-23", "cold_call", "connected", 2),
        ("U1", "East", "2026-11-23", "demo", "meeting_booked", 1),
        ("U1", "East", "2026-11-25", "demo", "won", 1),
        ("U3", "East", "2026-11-24", "cold_call", "no_answer", 4),
    )


def test_daily_by_call_type() -> None:
    got = daily_activity(_seeded(), by=["call_type"])

    want = pd.DataFrame(
        {
            "rep_id": ["U1", "U1", "U1", "U1", "U3"],
            "team": ["East"] * 5,
            "work_date": days("2026-11-20", "2026-11-23", "2026-11-23", "2026-11-25", "2026-11-24"),
            "call_type": ["cold_call", "cold_call", "demo", "demo", "cold_call"],
            "calls": np.array([7, 12, 1, 1, 4], dtype="int64"),
        }
    )
    assert_frame_equal(got, want)


def test_weekly_totals_and_by_outcome() -> None:
    totals = weekly_activity(_seeded())
    by_outcome = weekly_activity(_seeded(), by=["outcome"])

    assert list(zip(totals["rep_id"], totals["week"], totals["calls"], strict=True)) == [
        ("U1", "2026-W47", 7),
        ("U1", "2026-W48", 14),
        ("U3", "2026-W48", 4),
    ]
    assert list(totals["week_start"].dt.day) == [16, 23, 23]
    u1_w48 = by_outcome.loc[(by_outcome["rep_id"] == "U1") & (by_outcome["week"] == "2026-W48")]
    assert dict(zip(u1_w48["outcome"], u1_w48["calls"], strict=True)) == {
        "connected": 2,
        "meeting_booked": 1,
        "no_answer": 10,
        "won": 1,
    }


def test_matches_a_plain_groupby_on_random_entries() -> None:
    rng = np.random.default_rng(48)
    random = entries(
        *[
            (
                f"U{rng.integers(1, 4)}",
                "East",
                f"2026-11-{rng.integers(16, 30)}",
                str(rng.choice(["cold_call", "demo", "closing"])),
                str(rng.choice(["no_answer", "connected", "won"])),
                int(rng.integers(1, 20)),
            )
            for _ in range(200)
        ]
    )

    got = daily_activity(random, by=["call_type", "outcome"])

    want = random.groupby(["rep_id", "team", "work_date", "call_type", "outcome"], as_index=False)[
        "count"
    ].sum()
    assert got["calls"].tolist() == want["count"].tolist()
    assert weekly_activity(random)["calls"].sum() == random["count"].sum()


def test_empty_entries_give_empty_frames_with_columns() -> None:
    daily = daily_activity(empty_entries(), by=["call_type"])
    weekly = weekly_activity(empty_entries(), by=["outcome"])

    assert list(daily.columns) == ["rep_id", "team", "work_date", "call_type", "calls"]
    assert list(weekly.columns) == ["rep_id", "team", "week_start", "week", "outcome", "calls"]
    assert len(daily) == len(weekly) == 0


def test_daily_calls_fills_expected_days_with_zero() -> None:
    got = daily_calls(_seeded(), expected()).loc[lambda f: f["rep_id"] == "U1"]

    # U1 is expected 16-20 and 23, 25, 27 Nov; they logged on 20, 23 and 25 only.
    assert list(got["work_date"].dt.day) == [16, 17, 18, 19, 20, 23, 25, 27]
    assert list(got["calls"]) == [0, 0, 0, 0, 7, 13, 1, 0]
    assert got["expected"].all()


def test_daily_calls_keeps_a_worked_day_off() -> None:
    worked = entries(("U1", "East", "2026-11-24", "cold_call", "no_answer", 3))

    got = daily_calls(worked, expected()).loc[lambda f: f["work_date"] == "2026-11-24"]

    assert list(zip(got["rep_id"], got["calls"], got["expected"], strict=True)) == [
        ("U1", 3, False),
        ("U3", 0, True),
        ("U4", 0, True),
    ]


def test_daily_calls_on_empty_frames() -> None:
    got = daily_calls(empty_entries(), empty_expected())

    assert list(got.columns) == ["rep_id", "team", "work_date", "calls", "expected"]
    assert len(got) == 0


def test_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError, match="split by"):
        daily_activity(_seeded(), by=["rep_name"])
    with pytest.raises(ValueError, match="split by"):
        weekly_activity(_seeded(), by="call_type")
