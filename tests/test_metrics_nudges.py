"""The one line of context on a rep's check-in prompt, and the call types they neglect."""

from __future__ import annotations

import math

import pandas as pd
from pandas.testing import assert_frame_equal
from test_metrics_scenario import WEEKDAYS, checkins, days, entries

from metrics.calendar import expected_workdays
from metrics.compliance import compliance
from metrics.frames import empty_call_type_targets, empty_checkins, empty_entries, empty_expected
from metrics.nudges import neglected_call_types, pick_nudge
from metrics.pace import PACE_COLUMNS, pace

LABELS = [("cold_call", "Cold call"), ("demo", "Demo"), ("closing", "Closing")]


def _expected() -> pd.DataFrame:
    rep = pd.DataFrame(
        {
            "rep_id": ["U1"],
            "team": ["East"],
            "joined_on": days("2026-10-01"),
            "country": ["US"],
            "workdays": [WEEKDAYS],
        }
    )
    return expected_workdays(
        rep, pd.DataFrame({"rep_id": [], "day": []}), "2026-10-26", "2026-11-29"
    )


def _usual_weeks() -> pd.DataFrame:
    """W44 to W47: 40 cold calls, 6 demos and 1 closing call a week; W48 so far: 25 cold calls."""
    mondays = ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    rows = [
        row
        for monday in mondays
        for row in [
            ("U1", "East", monday, "cold_call", "no_answer", 40),
            ("U1", "East", monday, "demo", "meeting_booked", 6),
            ("U1", "East", monday, "closing", "won", 1),
        ]
    ]
    return entries(*rows, ("U1", "East", "2026-11-24", "cold_call", "no_answer", 25))


def _type_targets() -> pd.DataFrame:
    return pd.DataFrame(
        {"rep_id": ["U1", "U1"], "call_type": ["closing", "follow_up"], "weekly_calls": [4.0, 2.0]}
    )


def _in_this_week() -> pd.DataFrame:
    return checkins(("U1", "2026-11-23"), ("U1", "2026-11-24"), ("U1", "2026-11-25"))


def test_neglected_call_types_by_target_and_by_habit() -> None:
    got = neglected_call_types(
        _usual_weeks(), _in_this_week(), _expected(), _type_targets(), "2026-11-25"
    )

    # Three of four workdays are over (Thanksgiving): by now 6 x .75 demos, 4 x .75 closing
    # calls (target), 2 x .75 follow-ups (target); 1 x .75 closing by habit would be under 1.
    want = pd.DataFrame(
        {
            "rep_id": ["U1", "U1", "U1"],
            "call_type": ["demo", "closing", "follow_up"],
            "target": [math.nan, 4.0, 2.0],
            "usual": [6.0, 1.0, math.nan],
            "by_now": [4.5, 3.0, 1.5],
            "reason": ["usual", "target", "target"],
        }
    )
    assert_frame_equal(got, want)


def test_nothing_is_neglected_before_any_day_is_over_or_without_history() -> None:
    monday = neglected_call_types(
        _usual_weeks(), empty_checkins(), _expected(), _type_targets(), "2026-11-23"
    )
    empty = neglected_call_types(
        empty_entries(), empty_checkins(), empty_expected(), empty_call_type_targets(), "2026-11-25"
    )

    assert len(monday) == 0
    assert len(empty) == 0


def _pace(calls: int, target: float, left: int, pct: float, elapsed: int = 3) -> pd.DataFrame:
    row = dict.fromkeys(PACE_COLUMNS, math.nan) | {
        "rep_id": "U1",
        "calls": calls,
        "target": target,
        "workdays_elapsed": elapsed,
        "workdays_left": left,
        "projected_pct": pct,
    }
    return pd.DataFrame([row])


def _streak(days_running: int) -> pd.DataFrame:
    return pd.DataFrame({"rep_id": ["U1"], "streak": [days_running]})


NEGLECTED = pd.DataFrame(
    {
        "rep_id": ["U1"],
        "call_type": ["demo"],
        "target": [math.nan],
        "usual": [6.0],
        "by_now": [4.5],
        "reason": ["usual"],
    }
)
NOTHING = NEGLECTED.head(0)


def test_nudge_priority() -> None:
    behind = _pace(31, 50.0, 2, 86.0)
    on_track = _pace(31, 50.0, 2, 103.3)
    last_day_behind = _pace(45, 50.0, 0, 90.0, elapsed=5)
    no_target = _pace(31, math.nan, 2, math.nan)

    assert (
        pick_nudge("U1", behind, _streak(5), NEGLECTED, LABELS) == "31 of 50 calls, 2 workdays left"
    )
    assert pick_nudge("U1", on_track, _streak(5), NEGLECTED, LABELS) == (
        "No Demo calls yet this week; you usually make about 6"
    )
    assert pick_nudge("U1", on_track, _streak(5), NOTHING, LABELS) == "5-day check-in streak"
    assert (
        pick_nudge("U1", on_track, _streak(2), NOTHING, LABELS) == "31 of 50 calls, 2 workdays left"
    )
    assert pick_nudge("U1", last_day_behind, _streak(2), NOTHING, LABELS) is None
    assert pick_nudge("U1", no_target, _streak(2), NOTHING, LABELS) is None
    assert pick_nudge("U9", behind, _streak(5), NEGLECTED, LABELS) is None


def test_nudge_for_a_target_per_call_type_and_one_day_left() -> None:
    by_target = NEGLECTED.assign(call_type="closing", target=4.0, reason="target")

    assert pick_nudge("U1", _pace(40, 50.0, 1, 100.0), _streak(0), by_target, dict(LABELS)) == (
        "No Closing calls yet this week; your target is 4"
    )
    assert (
        pick_nudge("U1", _pace(20, 50.0, 1, 50.0), _streak(0), NOTHING)
        == "20 of 50 calls, 1 workday left"
    )


def test_nudge_from_the_real_frames() -> None:
    expected, reported = _expected(), _in_this_week()
    targets = pd.DataFrame({"rep_id": ["U1"], "weekly_calls": [50.0]})

    line = pick_nudge(
        "U1",
        pace(_usual_weeks(), reported, expected, targets, "2026-11-25"),
        compliance(reported, expected, "2026-11-23", "2026-11-29", "2026-11-25"),
        neglected_call_types(_usual_weeks(), reported, expected, _type_targets(), "2026-11-25"),
        LABELS,
    )

    # 25 calls in 3 of 4 days projects 33 of 50: behind, with Friday left.
    assert line == "25 of 50 calls, 1 workday left"
