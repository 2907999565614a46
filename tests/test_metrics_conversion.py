"""Connect, meeting and win rates by call type, and call types that bring in no business."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal
from test_metrics_scenario import OUTCOME_FLAGS, entries

from metrics.conversion import conversion, counted, no_business
from metrics.frames import empty_entries


def _seeded() -> pd.DataFrame:
    return entries(
        ("U3", "East", "2026-11-13", "cold_call", "meeting_booked", 1),  # before the window
        ("U3", "East", "2026-11-17", "cold_call", "no_answer", 35),
        ("U3", "East", "2026-11-18", "follow_up", "voicemail", 5),
        ("U1", "East", "2026-11-23", "cold_call", "no_answer", 20),
        ("U1", "East", "2026-11-23", "cold_call", "connected", 8),
        ("U1", "East", "2026-11-23", "cold_call", "meeting_booked", 2),
        ("U1", "East", "2026-11-25", "demo", "meeting_booked", 3),
        ("U1", "East", "2026-11-25", "demo", "won", 1),
        ("U1", "East", "2026-11-25", "demo", "lost", 2),
    )


def _window() -> pd.DataFrame:
    return _seeded().loc[lambda f: f["work_date"] >= "2026-11-16"]


def test_rates_by_call_type_with_the_counts_behind_them() -> None:
    got = conversion(_window(), OUTCOME_FLAGS)

    want = pd.DataFrame(
        {
            "call_type": ["cold_call", "demo", "follow_up"],
            "calls": np.array([65, 6, 5], dtype="int64"),
            "connects": np.array([10, 6, 0], dtype="int64"),
            "meetings": np.array([2, 3, 0], dtype="int64"),
            "wins": np.array([0, 1, 0], dtype="int64"),
            "connect_rate": [10 / 65, 1.0, 0.0],
            "meeting_rate": [0.2, 0.5, math.nan],
            "win_rate": [0.0, 1 / 3, math.nan],
        }
    )
    assert_frame_equal(got, want)


def test_without_groups_gives_one_total_row() -> None:
    got = conversion(_window(), OUTCOME_FLAGS, by=())

    assert got.iloc[0][["calls", "connects", "meetings", "wins"]].tolist() == [76, 16, 5, 1]
    assert got.iloc[0]["meeting_rate"] == 5 / 16


def test_counted_flags_each_row_once_per_counter() -> None:
    got = counted(_window(), OUTCOME_FLAGS)

    won = got.loc[got["outcome"] == "won"].iloc[0]
    voicemail = got.loc[got["outcome"] == "voicemail"].iloc[0]
    assert won[["calls", "connects", "meetings", "wins"]].tolist() == [1, 1, 0, 1]
    assert voicemail[["calls", "connects", "meetings", "wins"]].tolist() == [5, 0, 0, 0]


def test_matches_a_plain_groupby_on_random_entries() -> None:
    rng = np.random.default_rng(7)
    outcomes = ["no_answer", "connected", "meeting_booked", "won"]
    random = entries(
        *[
            (
                "U1",
                "East",
                "2026-11-23",
                str(rng.choice(["cold_call", "demo"])),
                str(rng.choice(outcomes)),
                int(rng.integers(1, 9)),
            )
            for _ in range(100)
        ]
    )

    got = conversion(random, OUTCOME_FLAGS, by=["call_type"]).set_index("call_type")

    connects = random.loc[random["outcome"] != "no_answer"].groupby("call_type")["count"].sum()
    meetings = random.loc[random["outcome"] == "meeting_booked"].groupby("call_type")["count"].sum()
    assert got["calls"].to_dict() == random.groupby("call_type")["count"].sum().to_dict()
    assert got["connects"].to_dict() == connects.to_dict()
    assert got["meeting_rate"].to_dict() == (meetings / connects).to_dict()


def test_empty_entries() -> None:
    by_type = conversion(empty_entries(), OUTCOME_FLAGS)
    total = conversion(empty_entries(), OUTCOME_FLAGS, by=())

    assert len(by_type) == 0
    assert list(by_type.columns)[-3:] == ["connect_rate", "meeting_rate", "win_rate"]
    assert total.iloc[0]["calls"] == 0
    assert math.isnan(total.iloc[0]["connect_rate"])


def test_no_business_flags_volume_without_meetings_or_wins() -> None:
    got = no_business(_seeded(), OUTCOME_FLAGS, "2026-11-29", weeks=2, by=["rep_id", "call_type"])

    flags = dict(
        zip(zip(got["rep_id"], got["call_type"], strict=True), got["no_business"], strict=True)
    )
    assert flags == {
        ("U1", "cold_call"): False,  # 30 calls, 2 meetings
        ("U1", "demo"): False,  # too few calls to judge, and it won
        ("U3", "cold_call"): True,  # 35 calls, nothing; the meeting on 13 Nov is outside
        ("U3", "follow_up"): False,  # 5 calls is too small a sample
    }
    assert got["window_start"].iloc[0] == pd.Timestamp("2026-11-16")
    assert got["window_end"].iloc[0] == pd.Timestamp("2026-11-29")


def test_no_business_respects_the_minimum_volume() -> None:
    got = no_business(
        _seeded(), OUTCOME_FLAGS, "2026-11-29", weeks=2, min_calls=36, by=["rep_id", "call_type"]
    )

    assert not got["no_business"].any()
