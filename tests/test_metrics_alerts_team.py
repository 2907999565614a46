"""Conversion and plan alert rules, the cool-down, and the thresholds' own checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from test_metrics_scenario import OUTCOME_FLAGS, PLAN, days, entries, expected, plan_entries

from metrics.alerts import (
    Alert,
    AlertRules,
    activity_below_baseline,
    behind_pace,
    cooldown_filter,
    identical_numbers,
    low_conversion,
    missed_checkins,
    plan_link_off,
)
from metrics.frames import empty_checkins, empty_entries, empty_expected, empty_targets

BUSY = replace(PLAN, calls_per_rep=60)


def _calls() -> pd.DataFrame:
    return entries(
        # U1 cold calls: 40 calls, 20 connects, 1 meeting -> 5% of connects.
        ("U1", "East", "2026-11-17", "cold_call", "no_answer", 20),
        ("U1", "East", "2026-11-17", "cold_call", "connected", 19),
        ("U1", "East", "2026-11-18", "cold_call", "meeting_booked", 1),
        # U1 demos: 30 calls, 10 connects, 3 meetings -> 30%.
        ("U1", "East", "2026-11-24", "demo", "no_answer", 20),
        ("U1", "East", "2026-11-24", "demo", "connected", 7),
        ("U1", "East", "2026-11-24", "demo", "meeting_booked", 3),
        # U3 demos: 10 calls, no meeting -> too few calls to judge.
        ("U3", "East", "2026-11-24", "demo", "connected", 10),
        # U3 cold calls: 20 calls, 10 connects, 4 meetings.
        ("U3", "East", "2026-11-24", "cold_call", "no_answer", 10),
        ("U3", "East", "2026-11-24", "cold_call", "connected", 6),
        ("U3", "East", "2026-11-24", "cold_call", "meeting_booked", 4),
        # U4: 30 calls that never connect, so no meeting rate at all.
        ("U4", "EMEA", "2026-11-23", "cold_call", "no_answer", 30),
        # Outside the 4-week window.
        ("U3", "East", "2026-10-27", "demo", "no_answer", 50),
    )


def test_low_conversion_per_rep() -> None:
    alerts = low_conversion(_calls(), OUTCOME_FLAGS, "2026-11-27")

    # Sorted by team: EMEA before East. U4 never connects, so its meeting rate counts as 0.
    assert [(a.rep_id, a.topic) for a in alerts] == [("U4", "cold_call"), ("U1", "cold_call")]
    u1 = next(a for a in alerts if a.rep_id == "U1")
    assert u1.subject == "U1/cold_call"
    assert u1.numbers == {
        "call_type": "cold_call",
        "calls": 40,
        "connects": 20,
        "meetings": 1,
        "wins": 0,
        "meeting_rate": 0.05,
        "floor": 0.1,
    }
    assert (u1.window_start, u1.window_end) == (date(2026, 11, 2), date(2026, 11, 27))
    assert u1.message == (
        # Mon 2 Nov to Fri 27 Nov: three weeks back from this one, not four whole weeks.
        "<@U1>'s cold_call calls turned 5% of connects into meetings since Mon 02 Nov "
        "(40 calls), under the 10% floor."
    )


def test_low_conversion_per_team_and_tiny_samples() -> None:
    teams = low_conversion(
        _calls(), OUTCOME_FLAGS, "2026-11-27", AlertRules(conversion_floor=0.18), level="team"
    )
    picky = low_conversion(
        _calls(), OUTCOME_FLAGS, "2026-11-27", AlertRules(conversion_min_calls=41)
    )

    # East cold calls: 60 calls, 30 connects, 5 meetings = 16.7%; East demos 3 of 20 = 15%.
    assert sorted((a.team, a.topic, a.rep_id) for a in teams) == [
        ("EMEA", "cold_call", None),
        ("East", "cold_call", None),
        ("East", "demo", None),
    ]
    assert next(a for a in teams if a.team == "East" and a.topic == "cold_call").subject == (
        "team:East/cold_call"
    )
    assert picky == []
    assert low_conversion(empty_entries(), OUTCOME_FLAGS, "2026-11-27") == []


def test_plan_link_off_for_two_full_weeks() -> None:
    alerts = plan_link_off(plan_entries(), expected(), {"East": BUSY}, OUTCOME_FLAGS, "2026-11-30")

    # Calls per rep-week: W47 40 calls / 2 = 20; W48 (Thanksgiving, U1 a day off, U2 joined
    # Wed) 60 calls / (3 + 2 + 4 days) / 5 = 33.3. Both well under 60. The win rate is 0 in
    # W47 but rests on two meetings only, too thin to judge; the other rates are on plan.
    assert [(a.team, a.rep_id, a.topic) for a in alerts] == [("East", None, "calls_per_rep")]
    alert = alerts[0]
    assert alert.subject == "team:East/calls_per_rep"
    assert (alert.window_start, alert.window_end) == (date(2026, 11, 16), date(2026, 11, 29))
    assert alert.numbers == {
        "link": "calls_per_rep",
        "planned": 60.0,
        "actual_2026-W47": 20.0,
        "off_by_pct_2026-W47": -66.7,
        "actual_2026-W48": 33.333,
        "off_by_pct_2026-W48": -44.4,
    }
    assert alert.message == (
        "Team East: not enough activity. Calls per rep has been at least 44% under plan (60) "
        "for 2 weeks running."
    )


def test_a_short_week_is_held_to_its_share_of_the_plan() -> None:
    # Thanksgiving week's 33.3 calls per rep-week are 17% under a plan of 40, within the 25%
    # margin; counting its 3 reps as whole weeks would have read 20 a rep, 50% under.
    assert (
        plan_link_off(plan_entries(), expected(), {"East": PLAN}, OUTCOME_FLAGS, "2026-11-30") == []
    )
    # Less than one rep-week of expected work is too thin to judge: with U1 alone expected,
    # W48 is 3 days, 0.6 of a rep-week, so even a plan of 500 calls finds only W47 off.
    alone = expected().loc[lambda f: f["rep_id"] == "U1"]
    huge = {"East": replace(PLAN, calls_per_rep=500)}
    assert plan_link_off(plan_entries(), alone, huge, OUTCOME_FLAGS, "2026-11-30") == []


def test_plan_link_off_quiet_cases() -> None:
    short = plan_link_off(plan_entries(), expected(), {"East": BUSY}, OUTCOME_FLAGS, "2026-11-25")
    wide = AlertRules(plan_margin=0.6)
    thin = AlertRules(plan_min_basis=1)

    assert short == []  # only W47 is complete by Wednesday of W48
    assert (
        plan_link_off(plan_entries(), expected(), {"East": BUSY}, OUTCOME_FLAGS, "2026-11-30", wide)
        == []
    )
    assert plan_link_off(plan_entries(), expected(), {}, OUTCOME_FLAGS, "2026-11-30") == []
    # With no volume floor the win rate (0 in W47, 2/3 in W48) is still not off both weeks.
    assert [
        a.topic
        for a in plan_link_off(
            plan_entries(), expected(), {"East": BUSY}, OUTCOME_FLAGS, "2026-11-30", thin
        )
    ] == ["calls_per_rep"]


def _alert(rule: str, rep_id: str | None, topic: str | None = None) -> Alert:
    return Alert(
        rule=rule,
        team="East",
        rep_id=rep_id,
        window_start=date(2026, 11, 23),
        window_end=date(2026, 11, 27),
        numbers={},
        message="",
        next_step="",
        topic=topic,
    )


def test_cooldown_drops_what_was_sent_within_five_workdays() -> None:
    missed = _alert("missed_checkins", "U4")
    pace = _alert("behind_pace", "U1")
    plan = _alert("plan_link_off", None, "calls_per_rep")
    previous = pd.DataFrame(
        {
            "subject": ["U4", "U1", "team:East/calls_per_rep", "U1"],
            "rule": ["missed_checkins", "behind_pace", "plan_link_off", "missed_checkins"],
            "sent_on": days("2026-11-23", "2026-11-16", "2026-11-20", "2026-11-26"),
        }
    )

    friday = cooldown_filter([missed, pace, plan], previous, "2026-11-27")
    next_monday = cooldown_filter([missed, pace, plan], previous, date(2026, 11, 30))

    # Sent Mon 23: 4 workdays by Fri 27 (held), 5 by Mon 30 (sent again).
    # Fri 20 to Fri 27 is 5 workdays, so the plan alert goes out again.
    assert friday == [pace, plan]
    assert next_monday == [missed, pace, plan]


def test_cooldown_counts_the_teams_workdays_not_its_holidays() -> None:
    missed = _alert("missed_checkins", "U4")
    previous = pd.DataFrame(
        {"subject": ["U4"], "rule": ["missed_checkins"], "sent_on": days("2026-11-23")}
    )

    # Thanksgiving (Thu 26) is not a workday in the US: Mon 23 to Mon 30 is 4, not 5.
    assert cooldown_filter([missed], previous, "2026-11-30", country="US") == []
    assert cooldown_filter([missed], previous, "2026-12-01", country="US") == [missed]
    # Nor in Great Britain's calendar; there it is an ordinary Thursday.
    assert cooldown_filter([missed], previous, "2026-11-30", country="GB") == [missed]
    # A team that also works Saturdays has had its five workdays by Sat 28.
    six_days = ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert cooldown_filter([missed], previous, "2026-11-27", workdays=six_days) == []
    assert cooldown_filter([missed], previous, "2026-11-28", workdays=six_days) == [missed]


def test_cooldown_reads_rep_id_and_an_empty_history() -> None:
    missed = _alert("missed_checkins", "U4")
    previous = pd.DataFrame(
        {"rep_id": ["U4"], "rule": ["missed_checkins"], "sent_on": days("2026-11-26")}
    )
    nothing = pd.DataFrame({"subject": [], "rule": [], "sent_on": days()})

    assert cooldown_filter([missed], previous, "2026-11-27") == []
    assert cooldown_filter([missed], previous, "2026-11-27", cooldown_workdays=1) == [missed]
    assert cooldown_filter([missed], nothing, "2026-11-27") == [missed]


def test_rules_refuse_nonsense_thresholds() -> None:
    with pytest.raises(ValueError, match="missed_days must be at least 1"):
        AlertRules(missed_days=0)
    with pytest.raises(ValueError, match="Monday as 0"):
        AlertRules(pace_from_weekday=7)
    with pytest.raises(ValueError, match="conversion_rate"):
        AlertRules(conversion_rate="demo_rate")  # type: ignore[arg-type]


def test_every_rule_is_quiet_on_empty_frames() -> None:
    nothing, no_checkins, no_days = empty_entries(), empty_checkins(), empty_expected()
    day = "2026-11-27"

    assert activity_below_baseline(nothing, no_checkins, no_days, day) == []
    assert behind_pace(nothing, no_checkins, no_days, empty_targets(), day) == []
    assert missed_checkins(no_checkins, no_days, day) == []
    assert low_conversion(nothing, OUTCOME_FLAGS, day, level="team") == []
    assert plan_link_off(nothing, no_days, {"East": PLAN}, OUTCOME_FLAGS, day) == []
    assert identical_numbers(nothing, no_checkins, no_days, day) == []
