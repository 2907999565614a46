"""Rep-level alert rules: activity under baseline, behind pace, missed check-ins, copied grids."""

from __future__ import annotations

from datetime import date

import pandas as pd
from test_metrics_scenario import (
    WEEKDAYS,
    checkins,
    days,
    entries,
    expected,
    targets,
    week_checkins,
)

from metrics.alerts import (
    AlertRules,
    activity_below_baseline,
    behind_pace,
    identical_numbers,
    missed_checkins,
)
from metrics.alerts.model import rate_text
from metrics.calendar import expected_workdays
from metrics.frames import empty_checkins, empty_entries, empty_expected, empty_targets

W48 = {"2026-11-23": 4, "2026-11-24": 3, "2026-11-25": 2}


def _history(joined: str = "2026-10-01") -> pd.DataFrame:
    reps = pd.DataFrame(
        {
            "rep_id": ["U1"],
            "team": ["East"],
            "joined_on": days(joined),
            "country": ["US"],
            "workdays": [WEEKDAYS],
        }
    )
    return expected_workdays(
        reps, pd.DataFrame({"rep_id": [], "day": []}), "2026-10-26", "2026-11-29"
    )


def _ten_a_day(expected: pd.DataFrame, w48: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ten calls every expected day from W44 to W47, then the given W48 days; all checked in."""
    before = expected.loc[expected["work_date"] < "2026-11-23", "work_date"].dt.strftime("%Y-%m-%d")
    daily = {day: 10 for day in before} | w48
    logged = entries(
        *[("U1", "East", day, "cold_call", "no_answer", n) for day, n in daily.items()]
    )
    return logged, checkins(*[("U1", day) for day in daily])


def test_activity_below_baseline_fires_after_three_low_days() -> None:
    logged, reported = _ten_a_day(_history(), W48)

    alerts = activity_below_baseline(logged, reported, _history(), "2026-11-25")

    assert len(alerts) == 1
    alert = alerts[0]
    assert (alert.rule, alert.rep_id, alert.team) == ("activity_below_baseline", "U1", "East")
    assert (alert.window_start, alert.window_end) == (date(2026, 11, 23), date(2026, 11, 25))
    assert alert.numbers == {
        "days": 3,
        "average_calls": 3.0,
        "baseline_daily": 10.0,
        "threshold": 5.0,
    }
    assert "<@U1>" in alert.message
    assert alert.next_step


def test_activity_below_baseline_skips_thanksgiving() -> None:
    logged, reported = _ten_a_day(_history(), W48 | {"2026-11-23": 10, "2026-11-27": 1})

    alerts = activity_below_baseline(logged, reported, _history(), "2026-11-27")

    # Tue, Wed and Fri: Thursday 26 is a holiday, so the three days run on.
    assert [(a.window_start, a.window_end) for a in alerts] == [
        (date(2026, 11, 24), date(2026, 11, 27))
    ]


def test_activity_below_baseline_quiet_cases() -> None:
    expected = _history()
    one_good_day, reported = _ten_a_day(expected, W48 | {"2026-11-24": 6})
    logged, all_reported = _ten_a_day(expected, W48)
    gap = all_reported.loc[all_reported["work_date"] != "2026-11-24"]
    newcomer = _history(joined="2026-11-16")

    assert activity_below_baseline(one_good_day, reported, expected, "2026-11-25") == []
    assert activity_below_baseline(logged, gap, expected, "2026-11-25") == []  # run broken
    assert activity_below_baseline(logged, all_reported, newcomer, "2026-11-25") == []
    assert (
        activity_below_baseline(
            logged, all_reported, expected, "2026-11-25", AlertRules(baseline_days=4)
        )
        == []
    )
    assert (
        activity_below_baseline(empty_entries(), empty_checkins(), empty_expected(), "2026-11-25")
        == []
    )


def _pace_week() -> pd.DataFrame:
    return entries(
        ("U1", "East", "2026-11-23", "cold_call", "no_answer", 15),
        ("U1", "East", "2026-11-25", "cold_call", "no_answer", 10),
        ("U3", "East", "2026-11-23", "cold_call", "no_answer", 20),
    )


def test_behind_pace_from_wednesday() -> None:
    alerts = behind_pace(_pace_week(), week_checkins(), expected(), targets(), "2026-11-25")

    # U1 projects 25 / 2 x 3 = 37.5 of 50 (75%); U2 has no elapsed day; U3 has no target.
    assert [a.rep_id for a in alerts] == ["U4"]
    assert alerts[0].numbers == {
        "calls": 0,
        "target": 50.0,
        "projected": 0.0,
        "projected_pct": 0.0,
        "workdays_left": 3,
    }
    assert (
        alerts[0].message
        == "<@U4> is on pace for 0 of 50 calls this week (0%), with 3 workdays left."
    )


def test_behind_pace_threshold_and_weekday() -> None:
    stricter = AlertRules(pace_floor_pct=80)

    assert behind_pace(_pace_week(), week_checkins(), expected(), targets(), "2026-11-24") == []
    assert [
        a.rep_id
        for a in behind_pace(
            _pace_week(), week_checkins(), expected(), targets(), "2026-11-25", stricter
        )
    ] == ["U1", "U4"]
    assert (
        behind_pace(_pace_week(), week_checkins(), expected(), empty_targets(), "2026-11-25") == []
    )


def test_missed_checkins_counts_expected_days_only() -> None:
    alerts = missed_checkins(week_checkins(), expected(), "2026-11-27")

    # U3 missed one day (Wed); U4 has never checked in: W47 and Mon to Thu of W48.
    assert [(a.rep_id, a.numbers["missed_days"]) for a in alerts] == [("U4", 9)]
    assert (alerts[0].window_start, alerts[0].window_end) == (
        date(2026, 11, 16),
        date(2026, 11, 26),
    )
    assert "no check-in yet" in alerts[0].message


def test_missed_checkins_skips_day_off_and_holiday() -> None:
    until_monday = week_checkins().loc[lambda f: f["work_date"] <= "2026-11-23"]

    thursday = missed_checkins(until_monday, expected(), "2026-11-26", AlertRules(missed_days=2))
    saturday = missed_checkins(until_monday, expected(), "2026-11-28", AlertRules(missed_days=2))

    # U1: Tue 24 is a day off and Thu 26 a holiday, so only Wed 25 is missed by Thursday.
    assert "U1" not in [a.rep_id for a in thursday]
    u1 = next(a for a in saturday if a.rep_id == "U1")
    assert u1.numbers == {"missed_days": 2, "last_checkin": "2026-11-23"}
    assert (u1.window_start, u1.window_end) == (date(2026, 11, 25), date(2026, 11, 27))


def test_missed_checkins_count_is_a_floor_when_the_window_shows_no_check_in() -> None:
    earlier = {"U4": "2026-11-06", "U1": "2026-11-13"}
    alerts = missed_checkins(week_checkins(), expected(), "2026-11-27", earlier_checkins=earlier)

    # U4's last check-in is before the frames: the 9 days they show are a floor.
    assert [(a.rep_id, a.numbers) for a in alerts] == [
        ("U4", {"missed_days": 9, "last_checkin": "2026-11-06"})
    ]
    assert alerts[0].message == (
        "<@U4> has not checked in for at least 9 workdays in a row (last check-in Fri 06 Nov)."
    )
    # U1 checked in within the window, so the earlier date is not theirs to show.
    until_monday = week_checkins().loc[lambda f: f["work_date"] <= "2026-11-23"]
    saturday = missed_checkins(
        until_monday, expected(), "2026-11-28", AlertRules(missed_days=2), earlier
    )
    u1 = next(a for a in saturday if a.rep_id == "U1")
    assert u1.message == (
        "<@U1> has not checked in for 2 workdays in a row (last check-in Mon 23 Nov)."
    )


def _same_grid(days_logged: list[str], changed: str | None = None) -> pd.DataFrame:
    rows = []
    for day in days_logged:
        rows.append(("U1", "East", day, "cold_call", "no_answer", 11 if day == changed else 10))
        rows.append(("U1", "East", day, "demo", "won", 1))
    return entries(*rows)


def test_identical_numbers_five_days_running() -> None:
    logged = ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23", "2026-11-25"]
    reported = checkins(*[("U1", day) for day in logged])

    alerts = identical_numbers(_same_grid(logged), reported, expected(), "2026-11-25")

    assert [a.rep_id for a in alerts] == ["U1"]
    assert alerts[0].numbers == {"days": 5, "grid": "cold_call:no_answer=10;demo:won=1"}
    assert (alerts[0].window_start, alerts[0].window_end) == (
        date(2026, 11, 18),
        date(2026, 11, 25),
    )


def test_identical_numbers_quiet_cases() -> None:
    logged = ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23", "2026-11-25"]
    reported = checkins(*[("U1", day) for day in logged])
    missing = reported.loc[reported["work_date"] != "2026-11-19"]

    assert (
        identical_numbers(
            _same_grid(logged, changed="2026-11-20"), reported, expected(), "2026-11-25"
        )
        == []
    )
    assert identical_numbers(_same_grid(logged), missing, expected(), "2026-11-25") == []
    assert identical_numbers(empty_entries(), reported, expected(), "2026-11-25") == []  # zero days
    assert (
        identical_numbers(
            _same_grid(logged), reported, expected(), "2026-11-25", AlertRules(identical_days=6)
        )
        == []
    )


def test_a_rate_just_under_a_whole_percent_keeps_its_decimal() -> None:
    assert rate_text(2 / 21) == "9.5%"  # not "10%", which would read as at the 10% floor
    assert rate_text(0.1) == "10%"
    assert rate_text(0.0) == "0%"
    assert rate_text(1 / 3) == "33.3%"
    assert rate_text(100 / 1001) == "10%"
    assert rate_text(100 / 1001, under=0.1) == "9.9%"  # cut, never rounded up to the floor
    assert rate_text(0.1, under=0.1) == "10%"
