"""Early warnings over a real store: each rule on seeded history, the cool-down, recording.

East (app.yaml) works Monday to Friday in the US with a 50-call target (U01REP0003: 60,
8 demos) and a plan. Everyone logs a usual day from Mon 5 Oct 2026; the alerts are
evaluated on Wed 2 Dec, the week after Thanksgiving (Thu 26 Nov, a US holiday).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from bot.alerting import alert_rules, alert_window, evaluate_alerts, new_alerts
from bot.blocks import validate_message
from bot.blocks.alerts import alert_message
from bot.calendar import is_workday
from bot.dataset import load_dataset
from bot.runtime import team_specs
from bot.settings import Settings, Team
from metrics.alerts import Alert
from storage.store import Store

START = date(2026, 10, 5)
TUE, WED, THU = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)
TUE_8 = date(2026, 12, 8)
REP1, REP2, REP3 = "U01REP0001", "U01REP0002", "U01REP0003"
NOW = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)

Cells = dict[tuple[str, str], int]
Days = dict[tuple[str, date], Cells]


def usual_day(day: date) -> Cells:
    """Ten cold calls, three connects, one meeting (a win on Fridays); no two days alike."""
    no_answer = 3 + day.weekday() % 3
    meeting = "won" if day.weekday() == 4 else "meeting_booked"
    return {
        ("cold_call", "no_answer"): no_answer,
        ("cold_call", "voicemail"): 7 - no_answer,
        ("cold_call", "connected"): 2,
        ("cold_call", meeting): 1,
    }


def workdays(settings: Settings, first: date, last: date) -> list[date]:
    east = east_team(settings)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if is_workday(day, settings.workdays_of(east), east.country)]


def history(
    settings: Settings,
    first: date,
    last: date,
    reps: Iterable[str] = (REP1, REP2, REP3),
    cells: Callable[[date], Cells] = usual_day,
) -> Days:
    return {(rep, day): cells(day) for rep in reps for day in workdays(settings, first, last)}


def seed(store: Store, settings: Settings, days: Days) -> None:
    store.roster.sync_config(team_specs(settings), settings.admins, START)
    store.entries.import_days(days, changed_by="U01ADMIN01", source="import", now=NOW)


def east_team(settings: Settings) -> Team:
    team = settings.team_named("East")
    assert team is not None
    return team


def evaluate(store: Store, settings: Settings, as_of: date, team: str = "East") -> list[Alert]:
    dataset = load_dataset(store, settings, *alert_window(as_of, settings))
    found = settings.team_named(team)
    assert found is not None
    return evaluate_alerts(dataset, settings, found, as_of)


def by_subject(alerts: list[Alert], rule: str) -> dict[str, Alert]:
    return {alert.subject: alert for alert in alerts if alert.rule == rule}


def test_settings_map_onto_rules(settings: Settings) -> None:
    rules = alert_rules(settings)
    assert (rules.baseline_share, rules.baseline_days, rules.pace_from_weekday) == (0.5, 3, 2)
    assert (rules.conversion_rate, rules.conversion_floor, rules.conversion_min_calls) == (
        "meeting_rate",
        0.1,
        30,
    )
    assert (rules.plan_margin, rules.plan_weeks, rules.identical_days) == (0.25, 2, 5)
    assert alert_window(WED, settings) == (date(2026, 10, 26), date(2026, 12, 6))


def test_usual_weeks_raise_nothing(store: Store, settings: Settings) -> None:
    seed(store, settings, history(settings, START, WED))

    assert evaluate(store, settings, WED) == []


def test_slumping_rep_is_below_baseline(store: Store, settings: Settings) -> None:
    days = history(settings, START, date(2026, 11, 27))
    days |= history(settings, date(2026, 11, 30), WED, [REP2, REP3])
    days |= history(settings, date(2026, 11, 30), WED, [REP1], lambda _: {("demo", "lost"): 2})
    seed(store, settings, days)

    alerts = evaluate(store, settings, WED)

    slump = by_subject(alerts, "activity_below_baseline")[REP1]
    assert slump.numbers == {
        "days": 3,
        "average_calls": 2.0,
        "baseline_daily": 10.0,
        "threshold": 5.0,
    }
    assert (slump.window_start, slump.window_end) == (date(2026, 11, 30), WED)
    assert set(by_subject(alerts, "activity_below_baseline")) == {REP1}
    assert set(by_subject(alerts, "behind_pace")) == {REP1}

    shown = alert_message(slump, team="East", names={REP1: "Ana Diaz"})
    validate_message(shown)
    assert "Ana Diaz" in shown["text"]
    fields = [field["text"] for field in shown["blocks"][2]["fields"]]
    assert "*Usual calls a day*\n10" in fields and "*Calls a day lately*\n2" in fields


def test_silent_rep_misses_checkins_but_not_days_off_or_holidays(
    store: Store, settings: Settings
) -> None:
    days = history(settings, START, WED, [REP1, REP3])
    days |= history(settings, START, date(2026, 11, 24), [REP2])
    seed(store, settings, days)
    store.days_off.add(REP2, [date(2026, 11, 30)], created_by=REP2)

    alerts = evaluate(store, settings, WED)

    missed = by_subject(alerts, "missed_checkins")
    assert set(missed) == {REP2}
    # Wed 25 and Fri 27 Nov, Tue 1 Dec: not Thanksgiving, the day off or today (not over yet).
    assert missed[REP2].numbers == {"missed_days": 3, "last_checkin": "2026-11-24"}
    assert (missed[REP2].window_start, missed[REP2].window_end) == (date(2026, 11, 25), TUE)
    assert "behind_pace" not in {alert.rule for alert in alerts if alert.rep_id == REP2}


def test_a_long_silence_names_the_last_check_in_on_record(store: Store, settings: Settings) -> None:
    days = history(settings, START, WED, [REP1, REP3])
    days |= history(settings, START, date(2026, 10, 16), [REP2])
    seed(store, settings, days)

    missed = by_subject(evaluate(store, settings, WED), "missed_checkins")[REP2]

    # The run reaches the window's first day, Mon 26 Oct: 5 + 5 + 4 (Veterans Day) + 5 + 4
    # (Thanksgiving) + 2 workdays up to Tue 1 Dec. Mon 19 to Fri 23 Oct lie before it.
    assert missed.numbers == {"missed_days": 25, "last_checkin": "2026-10-16"}
    assert missed.message == (
        f"<@{REP2}> has not checked in for at least 25 workdays in a row "
        "(last check-in Fri 16 Oct)."
    )
    shown = alert_message(missed, team="East", names={})
    assert "*Last check-in*\nFri, Oct 16" in [f["text"] for f in shown["blocks"][2]["fields"]]


def test_low_conversion_needs_enough_calls(store: Store, settings: Settings) -> None:
    days = history(settings, START, WED)
    weeks = workdays(settings, date(2026, 11, 16), date(2026, 11, 27))
    for rep, demos in ((REP2, 4), (REP3, 2)):
        for day in weeks:
            days[rep, day] = days[rep, day] | {("demo", "connected"): demos}
    seed(store, settings, days)

    low = by_subject(evaluate(store, settings, WED), "low_conversion")

    assert set(low) == {f"{REP2}/demo", "team:East/demo"}  # U01REP0003's 18 demos are too few
    assert low[f"{REP2}/demo"].numbers["calls"] == 36
    assert low[f"{REP2}/demo"].numbers["meeting_rate"] == 0.0
    assert low["team:East/demo"].numbers["calls"] == 54
    assert low["team:East/demo"].rep_id is None


def test_behind_pace_only_from_wednesday(store: Store, settings: Settings) -> None:
    days = history(settings, START, WED, [REP1, REP2])
    days |= history(settings, START, date(2026, 11, 27), [REP3])
    slow = {("cold_call", "no_answer"): 4, ("cold_call", "connected"): 2}
    days |= history(settings, date(2026, 11, 30), WED, [REP3], lambda _: slow)
    seed(store, settings, days)

    assert by_subject(evaluate(store, settings, TUE), "behind_pace") == {}
    behind = by_subject(evaluate(store, settings, WED), "behind_pace")

    assert set(behind) == {REP3}
    assert behind[REP3].numbers == {
        "calls": 18,
        "target": 60.0,
        "projected": 30.0,
        "projected_pct": 50.0,
        "workdays_left": 2,
    }


def test_plan_link_off_after_two_weeks_below_plan(store: Store, settings: Settings) -> None:
    def unconnected(day: date) -> Cells:
        meeting = "won" if day.weekday() == 4 else "meeting_booked"
        return {("cold_call", "no_answer"): 9, ("cold_call", meeting): 1}

    days = history(settings, START, date(2026, 11, 13))
    days |= history(settings, date(2026, 11, 16), WED, cells=unconnected)
    seed(store, settings, days)

    assert by_subject(evaluate(store, settings, date(2026, 11, 25)), "plan_link_off") == {}
    off = by_subject(evaluate(store, settings, WED), "plan_link_off")

    assert set(off) == {"team:East/connect_rate"}
    numbers = off["team:East/connect_rate"].numbers
    assert (numbers["planned"], numbers["actual_2026-W47"], numbers["actual_2026-W48"]) == (
        0.3,
        0.1,
        0.1,
    )
    assert by_subject(evaluate(store, settings, WED, team="West"), "plan_link_off") == {}
    shown = alert_message(off["team:East/connect_rate"], team="East", names={})
    validate_message(shown)
    assert shown["blocks"][2]["fields"][2]["text"] == "*Actual 2026-W47*\n10% (67% under plan)"


def test_identical_numbers_and_turning_the_rule_off(store: Store, settings: Settings) -> None:
    days = history(settings, START, WED)
    days |= history(settings, date(2026, 11, 24), WED, [REP1], lambda _: usual_day(TUE))
    seed(store, settings, days)

    assert set(by_subject(evaluate(store, settings, WED), "identical_numbers")) == {REP1}

    off = settings.model_copy(
        update={"alerts": settings.alerts.model_copy(update={"identical_days": 0})}
    )
    assert by_subject(evaluate(store, off, WED), "identical_numbers") == {}


def test_cooldown_holds_back_then_lets_through(store: Store, settings: Settings) -> None:
    days = history(settings, START, date(2026, 12, 9), [REP1, REP3])
    days |= history(settings, START, date(2026, 11, 24), [REP2])
    seed(store, settings, days)
    east = east_team(settings)

    first = new_alerts(store, settings, east, evaluate(store, settings, WED), WED)
    next_day = evaluate(store, settings, THU)
    again = new_alerts(store, settings, east, next_day, THU)
    four_workdays = new_alerts(store, settings, east, evaluate(store, settings, TUE_8), TUE_8)
    week_later = date(2026, 12, 9)
    after = new_alerts(store, settings, east, evaluate(store, settings, week_later), week_later)

    assert [(a.rule, a.subject) for _, a in first] == [("missed_checkins", REP2)]
    assert REP2 in by_subject(next_day, "missed_checkins")  # still true, but held back
    assert again == []
    assert REP2 not in by_subject([alert for _, alert in four_workdays], "missed_checkins")
    missed = by_subject([alert for _, alert in after], "missed_checkins")
    assert set(missed) == {REP2} and missed[REP2].numbers["missed_days"] == 9

    stored = [r for r in store.alerts.since(WED, teams=["East"]) if r.subject == REP2]
    assert [(r.raised_on, r.manager_id) for r in stored] == [
        (week_later, "U01MGR0001"),
        (WED, "U01MGR0001"),
    ]


def test_the_same_alert_is_recorded_once_a_day(store: Store, settings: Settings) -> None:
    days = history(settings, START, WED, [REP1, REP3])
    days |= history(settings, START, date(2026, 11, 24), [REP2])
    seed(store, settings, days)
    east = east_team(settings)
    no_cooldown = settings.model_copy(
        update={"alerts": settings.alerts.model_copy(update={"cooldown_workdays": 0})}
    )
    alerts = evaluate(store, settings, WED)

    first = new_alerts(store, no_cooldown, east, alerts, WED)
    second = new_alerts(store, no_cooldown, east, alerts, WED)
    third = new_alerts(store, settings, east, alerts, WED)

    assert len(first) == 1 and second == [] and third == []
    record = store.alerts.since(WED)[0]
    assert (record.id, record.subject, record.rule) == (first[0][0], REP2, "missed_checkins")
