"""The weekly report computed from a real store: Thanksgiving week 2026 (W48) and its history.

History, W40 to W47 (28 Sep to 20 Nov 2026), every US workday: East's three reps log a
standard day (10 calls, 4 connects, 2 meetings, 1 win); West's U01REP0004 logs two standard
days' worth, its other reps one. EMEA never logs anything. In W48 (Thanksgiving on Thu 26):

- U01REP0001 has Tue 24 off and logs Mon and Wed only, so misses Fri 27;
- U01REP0002 logs a standard day Mon, Tue, Wed and Fri;
- U01REP0003 (target 60) logs 3 unanswered cold calls Mon, Tue, Wed and Fri;
- U01REP0004 (target 45, usually 20 calls a day) logs 9 unanswered cold calls on each workday;
- West's other two reps log a standard day on each workday.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.blocks import validate_message
from bot.dataset import load_dataset
from bot.report import (
    TeamReport,
    build_team_report,
    parse_week,
    report_span,
    report_week_for,
)
from bot.report_files import write_report
from bot.runtime import team_specs
from bot.settings import Settings
from storage.roster import Profile
from storage.store import Store

MONDAY = date(2026, 11, 23)
JOINED = date(2026, 9, 1)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
US_HOLIDAYS = {date(2026, 10, 12), date(2026, 11, 11), date(2026, 11, 26)}
STANDARD = {
    ("cold_call", "no_answer"): 6,
    ("cold_call", "connected"): 2,
    ("demo", "meeting_booked"): 1,
    ("closing", "won"): 1,
}
DOUBLE = {cell: 2 * count for cell, count in STANDARD.items()}
EAST = ["U01REP0001", "U01REP0002", "U01REP0003"]
WEST = ["U01REP0004", "U01REP0005", "U01REP0006"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def weekdays(first: date, last: date) -> list[date]:
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5 and day not in US_HOLIDAYS]


def seed(store: Store, settings: Settings) -> None:
    store.roster.sync_config(team_specs(settings), settings.admins, JOINED)
    store.days_off.add("U01REP0001", [date(2026, 11, 24)], created_by="U01REP0001")

    days = {}
    for day in weekdays(date(2026, 9, 28), date(2026, 11, 20)):
        for rep in EAST + WEST[1:]:
            days[rep, day] = STANDARD
        days["U01REP0004", day] = DOUBLE

    mon, tue, wed, fri = (MONDAY + timedelta(days=n) for n in (0, 1, 2, 4))
    days["U01REP0001", mon] = days["U01REP0001", wed] = STANDARD
    for day in (mon, tue, wed, fri):
        days["U01REP0002", day] = STANDARD
        days["U01REP0003", day] = {("cold_call", "no_answer"): 3}
        days["U01REP0004", day] = {("cold_call", "no_answer"): 9}
        days["U01REP0005", day] = days["U01REP0006", day] = STANDARD
    store.entries.import_days(days, changed_by="test", source="import", now=NOW)


def report(
    store: Store, settings: Settings, team: str = "East", monday: date = MONDAY
) -> TeamReport:
    chosen = settings.team_named(team)
    assert chosen is not None
    dataset = load_dataset(store, settings, *report_span(settings, monday), teams=[chosen])
    return build_team_report(dataset, settings, chosen, monday)


def variant(settings: Settings, **changes: object) -> Settings:
    return Settings.model_validate(settings.model_dump() | changes)


def block_texts(built: TeamReport) -> str:
    texts = []
    for block in built.message["blocks"]:
        texts += [field["text"] for field in block.get("fields", [])]
        if block["type"] == "context":
            texts += [element["text"] for element in block["elements"]]
        elif "text" in block:
            texts.append(block["text"]["text"])
    return "\n".join(texts)


@pytest.fixture
def seeded(store: Store, settings: Settings) -> Store:
    seed(store, settings)
    return store


# Totals, deltas and target ---------------------------------------------------------------


def test_totals_match_the_seeded_week_and_the_week_before(seeded: Store, settings: Settings):
    summary = report(seeded, settings).summary

    # W48: two standard days + four standard days + 4 x 3 cold calls.
    assert summary.this_week.calls == 2 * 10 + 4 * 10 + 4 * 3
    assert (summary.this_week.connects, summary.this_week.meetings) == (6 * 4, 6 * 2)
    assert summary.this_week.wins == 6
    # W47: three reps, five standard days each.
    assert summary.last_week.calls == 150
    assert (summary.last_week.connects, summary.last_week.meetings) == (60, 30)
    assert summary.last_week.wins == 15


def test_fields_show_deltas_against_last_week_and_target(seeded: Store, settings: Settings):
    built = report(seeded, settings)
    fields = [field["text"] for field in built.message["blocks"][1]["fields"]]

    assert fields[0] == "*Calls*\n72  ▼ 52% vs 150 last week"
    assert fields[3] == "*Wins*\n6  ▼ 60% vs 15 last week"
    # Thanksgiving week, pro rata: U01REP0001 3 of 5 days x 50, U01REP0002 4 x 50,
    # U01REP0003 4 x 60 -> 30 + 40 + 48; a full week's 160 is the trend chart's line.
    assert fields[4] == "*Against target*\n72 of 118 calls (61%)"
    assert built.summary.weekly_target == 160


def test_a_rep_without_a_target_is_left_out_of_the_team_target(seeded: Store, settings: Settings):
    no_default = variant(settings, targets={"reps": {"U01REP0003": {"calls": 60}}})

    built = report(seeded, no_default)

    assert (built.summary.target, built.summary.reps_without_target) == (48, 2)  # 4 of 5 days
    assert built.summary.weekly_target == 60
    # Only U01REP0003's 4 x 3 calls count against their target; the other two reps' 20 + 40
    # calls are named apart.
    assert "*Against target*\n12 of 48 calls (25%)\n2 reps without a target (60 calls)" in (
        block_texts(built)
    )
    behind = [flag.rep_id for flag in built.summary.flags if flag.reason == "behind_target"]
    assert behind == ["U01REP0003"]


# Compliance and who needs attention ------------------------------------------------------


def test_compliance_skips_the_holiday_and_the_day_off(seeded: Store, settings: Settings):
    summary = report(seeded, settings).summary

    # U01REP0001: Mon, Wed, Fri expected (Tue off, Thu Thanksgiving); the others four days.
    assert (summary.checked_in_days, summary.expected_days) == (10, 3 + 4 + 4)
    missed = [flag for flag in summary.flags if flag.reason == "missed_checkins"]
    assert [(f.rep_id, f.actual, f.expected, f.missed) for f in missed] == [
        ("U01REP0001", 2, 3, (date(2026, 11, 27),))
    ]


def test_each_rep_needing_attention_gets_one_reason(seeded: Store, settings: Settings):
    east = report(seeded, settings)
    west = report(seeded, settings, "West")

    assert [(f.rep_id, f.reason) for f in east.summary.flags] == [
        ("U01REP0001", "missed_checkins"),
        ("U01REP0003", "behind_target"),
    ]
    # 36 calls: all of the pro-rata target (4 of 5 days of 45), but under half of
    # 4 workdays x 20 usual calls.
    assert [(f.rep_id, f.reason, f.actual, f.expected) for f in west.summary.flags] == [
        ("U01REP0004", "below_baseline", 36, 80)
    ]
    text = block_texts(east)
    assert "<@U01REP0001> checked in 2 of 3 days (missed Fri 27)" in text
    # Thanksgiving week: four workdays carry 4/5 of the weekly target of 60.
    assert "<@U01REP0003> behind target: 12 of 48 calls (25%)" in text


def test_call_types_flag_the_one_bringing_in_no_business(seeded: Store, settings: Settings):
    built = report(seeded, settings)

    lines = {line.label: line for line in built.summary.call_types}
    assert list(lines) == ["Cold call", "Demo", "Closing"]
    assert lines["Cold call"].no_business
    assert not lines["Demo"].no_business and not lines["Closing"].no_business
    assert lines["Cold call"].week.calls == 2 * 8 + 4 * 8 + 4 * 3
    assert "not bringing in business" in block_texts(built)


# The plan --------------------------------------------------------------------------------


def test_the_plan_section_compares_each_link(seeded: Store, settings: Settings):
    plan = report(seeded, settings).summary.plan

    assert plan is not None
    links = {link.link: link for link in plan.links}
    # W45-W48: 150 + 120 (Veterans Day) + 150 + 72 calls over rep-weeks of expected days:
    # 15/5 + 12/5 (the holiday) + 15/5 + 11/5 (Thanksgiving, U01REP0001's day off) = 10.6.
    assert links["calls_per_rep"].actual == pytest.approx(492 / 10.6)
    assert links["connect_rate"].actual == pytest.approx(192 / 492)
    assert plan.main_link is None  # the rates more than make up for the missing calls


def test_the_plan_section_names_the_link_behind_the_gap(seeded: Store, settings: Settings):
    teams = settings.model_dump()["teams"]
    teams[0]["plan"] |= {"connect_rate": 0.9, "meeting_rate": 0.9, "win_rate": 0.9}

    built = report(seeded, variant(settings, teams=teams))

    assert built.summary.plan is not None
    assert built.summary.plan.main_link == "connect_rate"
    assert "Mainly: *calls don't connect*" in block_texts(built)


def test_only_a_team_with_a_plan_gets_the_plan_section(seeded: Store, settings: Settings):
    assert "*Plan vs actual*" in block_texts(report(seeded, settings, "East"))
    assert report(seeded, settings, "West").summary.plan is None
    assert "Plan vs actual" not in block_texts(report(seeded, settings, "West"))


# Empty weeks, charts, the message --------------------------------------------------------


def test_a_team_that_logged_nothing_gets_a_clear_report(seeded: Store, settings: Settings):
    built = report(seeded, settings, "EMEA")

    text = block_texts(built)
    assert built.summary.this_week.calls == 0
    assert "No calls logged this week." in text
    assert "*Check-ins*\n0 of 10 days (0%)" in text
    validate_message(built.message)


def test_a_week_before_anyone_joined_does_not_crash(seeded: Store, settings: Settings):
    built = report(seeded, settings, "East", date(2026, 7, 20))

    text = block_texts(built)
    assert "No workdays expected" in text
    assert "Nobody this week." in text
    assert "Nobody on the team was expected to work" in text
    assert all(chart.png.startswith(PNG_SIGNATURE) for chart in built.charts)
    validate_message(built.message)


def test_charts_are_pngs_named_for_the_team_and_week(seeded: Store, settings: Settings):
    built = report(seeded, settings)

    assert [chart.filename for chart in built.charts] == [
        "east-2026-W48-activity.png",
        "east-2026-W48-funnel.png",
        "east-2026-W48-trend.png",
        "east-2026-W48-checkins.png",
    ]
    assert all(chart.png.startswith(PNG_SIGNATURE) for chart in built.charts)


@pytest.mark.parametrize("team", ["East", "West", "EMEA"])
def test_every_team_message_validates(seeded: Store, settings: Settings, team: str):
    built = report(seeded, settings, team)

    validate_message(built.message)
    assert built.message["blocks"][0]["text"]["text"] == f"{team} — week 2026-W48 (Nov 23–29)"


def test_a_dataset_too_short_for_the_report_is_refused(seeded: Store, settings: Settings):
    east = settings.teams[0]
    short = load_dataset(seeded, settings, MONDAY, MONDAY + timedelta(days=6), teams=[east])

    with pytest.raises(ValueError, match="report_span"):
        build_team_report(short, settings, east, MONDAY)
    with pytest.raises(ValueError, match="starts on a Monday"):
        build_team_report(short, settings, east, MONDAY + timedelta(days=1))


def test_entries_after_the_week_change_nothing(seeded: Store, settings: Settings):
    before = report(seeded, settings).summary
    seeded.entries.set_day(
        "U01REP0002",
        date(2026, 11, 30),
        {("cold_call", "no_answer"): 50},
        changed_by="U01REP0002",
        source="modal",
        now=NOW,
        replace_all=True,
    )
    east = settings.teams[0]
    start, _ = report_span(settings, MONDAY)
    late = load_dataset(seeded, settings, start, date(2026, 12, 4), teams=[east])

    assert build_team_report(late, settings, east, MONDAY).summary == before


# Week helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 30), (date(2026, 11, 23), date(2026, 11, 29), "2026-W48")),
        (date(2026, 12, 6), (date(2026, 11, 23), date(2026, 11, 29), "2026-W48")),
        (date(2026, 1, 5), (date(2025, 12, 29), date(2026, 1, 4), "2026-W01")),
        (date(2026, 1, 4), (date(2025, 12, 22), date(2025, 12, 28), "2025-W52")),
        (date(2021, 1, 6), (date(2020, 12, 28), date(2021, 1, 3), "2020-W53")),
    ],
)
def test_report_week_for_is_the_last_complete_iso_week(today: date, expected: tuple):
    assert report_week_for(today) == expected


MON_TO_FRI = ["mon", "tue", "wed", "thu", "fri"]


@pytest.mark.parametrize(
    ("today", "workdays", "week"),
    [
        (date(2026, 12, 4), MON_TO_FRI, "2026-W48"),  # Friday: today's check-ins still to come
        (date(2026, 12, 5), MON_TO_FRI, "2026-W49"),  # Saturday: the week just worked
        (date(2026, 12, 6), MON_TO_FRI, "2026-W49"),
        (date(2026, 12, 5), [*MON_TO_FRI, "sat"], "2026-W48"),
        (date(2026, 12, 7), MON_TO_FRI, "2026-W49"),  # Monday
        (date(2026, 12, 4), ["sun", "mon", "tue", "wed", "thu"], "2026-W48"),  # works Sunday
    ],
)
def test_a_report_covers_the_latest_week_with_no_workday_to_come(
    today: date, workdays: list[str], week: str
):
    assert report_week_for(today, workdays)[2] == week


@pytest.mark.parametrize(
    ("label", "monday"),
    [
        ("2026-W48", date(2026, 11, 23)),
        ("2026-w01", date(2025, 12, 29)),
        (" 2026-W1 ", date(2025, 12, 29)),
        ("2026-W53", date(2026, 12, 28)),
        ("2020-W53", date(2020, 12, 28)),
    ],
)
def test_parse_week(label: str, monday: date):
    assert parse_week(label) == (monday, monday + timedelta(days=6))


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("2025-W53", "2025 has weeks W01 to W52"),
        ("2026-W00", "2026 has weeks W01 to W53"),
        ("2026-48", "write it like 2026-W48"),
        ("W48", "write it like 2026-W48"),
        ("", "write it like 2026-W48"),
        ("2026-W480", "write it like 2026-W48"),
        ("0000-W01", "years start at 0001"),
    ],
)
def test_parse_week_explains_a_bad_label(label: str, message: str):
    with pytest.raises(ValueError, match=message):
        parse_week(label)


# Files -----------------------------------------------------------------------------------


def test_write_report_writes_the_summary_and_charts(
    seeded: Store, settings: Settings, tmp_path: Path
):
    seeded.roster.apply_profiles([Profile("U01REP0001", "Ana Díaz", None, False)], NOW)
    built = report(seeded, settings)

    written = write_report(built, tmp_path / "out")

    assert [path.name for path in written] == [
        "east-2026-W48-summary.json",
        "east-2026-W48-summary.md",
        *(chart.filename for chart in built.charts),
    ]
    assert json.loads(written[0].read_text(encoding="utf-8")) == built.message
    markdown = written[1].read_text(encoding="utf-8")
    assert markdown.startswith("# East — week 2026-W48 (Nov 23–29)\n")
    assert "@Ana Díaz checked in 2 of 3 days" in markdown
    assert "**Needs attention**" in markdown
    assert all(path.read_bytes().startswith(PNG_SIGNATURE) for path in written[2:])
