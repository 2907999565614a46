"""Alert DMs and the App Home list: valid Block Kit that shows the numbers behind each alert."""

from __future__ import annotations

from datetime import date

import pytest

from bot.blocks import validate_blocks, validate_message, validate_view
from bot.blocks.alerts import alert_message, open_alerts_blocks
from bot.blocks.home import home_view
from metrics.alerts import Alert
from storage.models import AlertRecord

MON, WED = date(2026, 11, 30), date(2026, 12, 2)
NAMES = {"U01REP0001": "Ana Diaz", "U01REP0002": "Bo Chen"}
CALL_TYPES = {"demo": "Demo", "cold_call": "Cold call"}


def alert(rule: str, numbers: dict[str, float | int | str], **extra: object) -> Alert:
    fields: dict[str, object] = {
        "rule": rule,
        "team": "East",
        "rep_id": "U01REP0001",
        "window_start": MON,
        "window_end": WED,
        "numbers": numbers,
        "message": "<@U01REP0001> did something worth a look.",
        "next_step": "Talk to them.",
    }
    return Alert(**(fields | extra))  # type: ignore[arg-type]


ALERTS = {
    "activity_below_baseline": alert(
        "activity_below_baseline",
        {"days": 3, "average_calls": 2.0, "baseline_daily": 10.0, "threshold": 5.0},
    ),
    "missed_checkins": alert("missed_checkins", {"missed_days": 3, "last_checkin": "2026-11-24"}),
    "behind_pace": alert(
        "behind_pace",
        {"calls": 18, "target": 60.0, "projected": 30.0, "projected_pct": 50.0, "workdays_left": 2},
    ),
    "low_conversion": alert(
        "low_conversion",
        {
            "call_type": "demo",
            "calls": 36,
            "connects": 36,
            "meetings": 0,
            "wins": 0,
            "meeting_rate": 0.0,
            "floor": 0.1,
        },
        topic="demo",
    ),
    "plan_link_off": alert(
        "plan_link_off",
        {
            "link": "connect_rate",
            "planned": 0.3,
            "actual_2026-W47": 0.1,
            "off_by_pct_2026-W47": -66.7,
            "actual_2026-W48": 0.12,
            "off_by_pct_2026-W48": -60.0,
        },
        rep_id=None,
        topic="connect_rate",
        message="Team East: calls don't connect.",
    ),
    "identical_numbers": alert(
        "identical_numbers", {"days": 5, "grid": "cold_call:connected=2;cold_call:no_answer=5"}
    ),
}
SHOWN = {
    "activity_below_baseline": ["*Usual calls a day*\n10", "*Alert below*\n5"],
    "missed_checkins": ["*Workdays missed*\n3", "*Last check-in*\nTue, Nov 24"],
    "behind_pace": ["*Calls so far this week*\n18", "*Projected share of target*\n50%"],
    "low_conversion": ["*Call type*\nDemo", "*Meeting rate*\n0%", "*Floor*\n10%"],
    "plan_link_off": [
        "*Plan link*\nConnect rate",
        "*Planned*\n30%",
        "*Actual 2026-W48*\n12% (60% under plan)",
    ],
    "identical_numbers": ["*Logged each day*\nCold call, connected: 2\nCold call, no answer: 5"],
}


def fields_of(message: dict[str, object]) -> list[str]:
    blocks = message["blocks"]
    assert isinstance(blocks, list)
    return [field["text"] for block in blocks for field in block.get("fields", [])]


@pytest.mark.parametrize("rule", sorted(ALERTS))
def test_each_rule_validates_and_shows_its_numbers(rule: str) -> None:
    shown = alert_message(ALERTS[rule], team="East", names=NAMES, call_types=CALL_TYPES)

    validate_message(shown)
    for expected in SHOWN[rule]:
        assert expected in fields_of(shown)
    assert shown["blocks"][-2]["text"]["text"] == "*Suggested next step*\nTalk to them."


def test_header_names_the_rep_or_the_team() -> None:
    rep = alert_message(ALERTS["behind_pace"], team="East", names=NAMES)
    team = alert_message(ALERTS["plan_link_off"], team="East", names=NAMES)
    stranger = alert_message(ALERTS["behind_pace"], team="East", names={})

    assert rep["blocks"][0]["text"]["text"] == "Behind pace: Ana Diaz"
    assert rep["text"] == "Early warning about Ana Diaz: behind pace"
    assert team["blocks"][0]["text"]["text"] == "Off plan: Team East"
    assert stranger["blocks"][0]["text"]["text"] == "Behind pace: U01REP0001"


def test_context_gives_window_rule_and_cooldown() -> None:
    shown = alert_message(ALERTS["missed_checkins"], team="R&D", names=NAMES, cooldown_workdays=5)
    daily = alert_message(ALERTS["missed_checkins"], team="East", names=NAMES, cooldown_workdays=0)

    assert shown["blocks"][-1]["elements"][0]["text"] == (
        "R&amp;D · Mon, Nov 30 – Wed, Dec 2 · Rule: Missed check-ins · Not repeated for 5 workdays"
    )
    assert daily["blocks"][-1]["elements"][0]["text"].endswith("Repeated each day it still holds")


def test_mentions_survive_and_markup_is_escaped() -> None:
    tricky = alert(
        "behind_pace", {"calls": 1}, message="<@U01REP0001> & <@U01REP0002> <b>", next_step="a<b"
    )
    shown = alert_message(tricky, team="East", names=NAMES)

    assert shown["blocks"][1]["text"]["text"] == "<@U01REP0001> &amp; <@U01REP0002> &lt;b&gt;"
    assert shown["blocks"][-2]["text"]["text"].endswith("a&lt;b")


def test_long_names_and_unknown_numbers_still_validate() -> None:
    odd = alert("something_new", {"odd_number": 1.25, "note": "x" * 3000, "never": ""})
    shown = alert_message(odd, team="East", names={"U01REP0001": "N" * 300})

    validate_message(shown)
    assert len(shown["blocks"][0]["text"]["text"]) == 150
    assert "*Odd number*\n1.2" in fields_of(shown)[0]
    assert "*Last check-in*\nNone on record" in fields_of(
        alert_message(alert("missed_checkins", {"last_checkin": ""}), team="East", names={})
    )


def test_a_long_plan_keeps_the_latest_weeks() -> None:
    weeks = {f"actual_2026-W{n}": 0.1 for n in range(37, 49)}
    long = alert("plan_link_off", {"link": "connect_rate", "planned": 0.3, **weeks})
    fields = fields_of(alert_message(long, team="East", names={}))

    assert len(fields) == 10
    assert fields[1] == "*Planned*\n30%" and fields[-1] == "*Actual 2026-W48*\n10%"


def record(number: int, team: str = "East", rule: str = "missed_checkins") -> AlertRecord:
    return AlertRecord(
        id=number,
        subject="U01REP0002",
        rule=rule,
        team=team,
        rep_id="U01REP0002",
        manager_id="U01MGR0001",
        window_start=MON,
        window_end=WED,
        raised_on=WED,
        numbers="{}",
        message="<@U01REP0002> has not checked in for 3 workdays in a row.",
        next_step="Check in with them.",
    )


def test_open_alerts_list_is_compact() -> None:
    blocks = open_alerts_blocks([record(2), record(1, rule="behind_pace")])

    validate_blocks(blocks)
    assert blocks[0]["text"]["text"] == "*Open alerts (last 7 days)*"
    assert blocks[1]["text"]["text"].splitlines() == [
        "• Wed, Dec 2 · *Missed check-ins* · "
        "<@U01REP0002> has not checked in for 3 workdays in a row.",
        "• Wed, Dec 2 · *Behind pace* · <@U01REP0002> has not checked in for 3 workdays in a row.",
    ]
    assert blocks[-1] == {"type": "divider"}


def test_open_alerts_names_teams_when_several_and_stops_at_the_limit() -> None:
    records = [record(n, team="East" if n % 2 else "West") for n in range(12)]
    blocks = open_alerts_blocks(records, limit=10)

    lines = blocks[1]["text"]["text"].splitlines()
    assert len(lines) == 10 and lines[0].startswith("• Wed, Dec 2 · West · ")
    assert blocks[2]["elements"][0]["text"] == "…and 2 more."
    validate_view(home_view(today=WED, week=None, checked_in_today=False, extra=blocks))


def test_no_open_alerts() -> None:
    blocks = open_alerts_blocks([])

    validate_blocks(blocks)
    assert blocks[1]["elements"][0]["text"] == "No early warnings. All quiet."


def test_a_rate_just_under_its_floor_never_shows_as_the_floor() -> None:
    numbers: dict[str, float | int | str] = {"meeting_rate": 0.0999, "floor": 0.1}

    fields = fields_of(alert_message(alert("low_conversion", numbers), team="East", names={}))

    assert fields == ["*Meeting rate*\n9.9%", "*Floor*\n10%"]
