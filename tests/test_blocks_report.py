"""The weekly report message built from plain data: wording, limits and Slack's validation."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from bot.blocks import MESSAGE_BLOCK_LIMIT, SECTION_TEXT_LIMIT, validate_message
from bot.blocks.report import (
    CallTypeLine,
    PlanLink,
    PlanSection,
    RepFlag,
    ReportSummary,
    Totals,
    report_message,
    week_span,
)

MONDAY = date(2026, 11, 23)
CHARTS = ("calls by rep and call type", "check-ins by rep")

PLAN = PlanSection(
    window_weeks=4,
    working_weeks=4,
    links=(
        PlanLink("calls_per_rep", 50, 41, -18),
        PlanLink("connect_rate", 0.30, 0.15, -50),
        PlanLink("meeting_rate", 0.25, 0.25, 0.2),
        PlanLink("win_rate", 0.20, math.nan, math.nan),
        PlanLink("deal_value", 12_000, 12_000, 0),
    ),
    planned_revenue=27_000,
    implied_revenue=9_000,
    gap_pct=-66.7,
    main_link="connect_rate",
    explanation="calls don't connect",
    worst_call_type="Cold call",
)


def summary(**changes: Any) -> ReportSummary:
    base = ReportSummary(
        team="East",
        week="2026-W48",
        monday=MONDAY,
        this_week=Totals(calls=412, connects=98, meetings=20, wins=4),
        last_week=Totals(calls=368, connects=103, meetings=20, wins=0),
        target=450,
        target_calls=380,
        reps_without_target=1,
        checked_in_days=28,
        expected_days=30,
        flags=(
            RepFlag("U01REP0001", "missed_checkins", 2, 4, missed=(date(2026, 11, 24),) * 2),
            RepFlag("U01REP0003", "behind_target", 31, 60),
            RepFlag("U01REP0004", "below_baseline", 36, 80, workdays=4),
        ),
        call_types=(
            CallTypeLine("Cold call", Totals(300, 60, 0, 0), no_business=True, window_calls=1200),
            CallTypeLine("Demo", Totals(12, 12, 6, 3), no_business=False, window_calls=0),
        ),
        conversion_weeks=4,
        plan=PLAN,
    )
    return replace(base, **changes)


def texts(msg: dict) -> list[str]:
    found = []
    for block in msg["blocks"]:
        found += [field["text"] for field in block.get("fields", [])]
        if block["type"] == "context":
            found += [element["text"] for element in block["elements"]]
        elif "text" in block:
            found.append(block["text"]["text"])
    return found


def section_starting(msg: dict, title: str) -> str:
    return next(text for text in texts(msg) if text.startswith(title))


def test_a_full_report_validates_and_reads_well():
    msg = report_message(summary(), CHARTS)

    validate_message(msg)
    assert msg["blocks"][0]["text"]["text"] == "East — week 2026-W48 (Nov 23–29)"
    assert msg["text"] == (
        "East weekly report for 2026-W48: 412 calls (▲ 12% vs 368 last week), "
        "check-ins 93%, 3 reps need attention."
    )
    assert texts(msg)[-1] == "Charts follow: calls by rep and call type, check-ins by rep."


def test_fields_give_deltas_target_and_checkins():
    fields = [field["text"] for field in report_message(summary())["blocks"][1]["fields"]]

    assert fields == [
        "*Calls*\n412  ▲ 12% vs 368 last week",
        "*Connects*\n98  ▼ 5% vs 103 last week",
        "*Meetings*\n20  = 0% vs 20 last week",
        "*Wins*\n4  up from 0 last week",
        "*Against target*\n380 of 450 calls (84%)\n1 rep without a target (32 calls)",
        "*Check-ins*\n28 of 30 days (93%)",
    ]


def test_each_reason_reads_as_a_sentence():
    attention = section_starting(report_message(summary()), "*Needs attention*")

    assert attention.splitlines()[1:] == [
        "• <@U01REP0001> checked in 2 of 4 days (missed Tue 24, Tue 24)",
        "• <@U01REP0003> behind target: 31 of 60 calls (52%)",
        "• <@U01REP0004> well below their usual: 36 calls, 45% of the 80 they average "
        "over 4 workdays",
    ]


def test_call_types_flag_no_business_and_escape_labels():
    lines = (CallTypeLine("Demo <live>", Totals(12, 12, 6, 3), False, 0),)
    plain = section_starting(report_message(summary(call_types=lines)), "*Call types*")
    flagged = section_starting(report_message(summary()), "*Call types*")

    assert "*Demo &lt;live&gt;*: 12 calls → 12 connects (100%) → 6 meetings (50%)" in plain
    assert "not bringing in business: no meetings or wins from 1,200 calls in 4 weeks" in flagged


def test_the_plan_section_lists_each_link_and_the_main_one():
    plan = section_starting(report_message(summary()), "*Plan vs actual*")

    assert plan.splitlines() == [
        "*Plan vs actual*, last 4 weeks",
        "• Calls per rep a week: 50.0 planned, 41.0 actual (▼ 18%)",
        "• Connect rate (connects per call): 30% planned, 15% actual (▼ 50%)",
        "• Meeting rate (meetings per connect): 25% planned, 25% actual (on plan)",
        "• Win rate (wins per meeting): 20% planned, – actual (no actual to compare)",
        "• Average deal value: 12,000 (as planned; check-ins record no deal sizes)",
        "Revenue a week: 9,000 implied vs 27,000 planned (▼ 67%). Mainly: *calls don't connect*.",
        "Call type furthest behind plan: Cold call.",
    ]


def test_no_plan_no_plan_section():
    msg = report_message(summary(plan=None))

    assert not any(text.startswith("*Plan vs actual*") for text in texts(msg))
    validate_message(msg)


def test_an_empty_week_says_so_plainly():
    empty = summary(
        this_week=Totals(),
        last_week=Totals(),
        target=None,
        reps_without_target=0,
        checked_in_days=0,
        expected_days=0,
        flags=(),
        call_types=(),
        plan=replace(PLAN, working_weeks=0),
    )

    msg = report_message(empty)

    validate_message(msg)
    assert "*Calls*\n0  none last week either" in texts(msg)
    assert "*Against target*\nNo targets set" in texts(msg)
    assert "*Check-ins*\nNo workdays expected" in texts(msg)
    assert "*Needs attention*\nNobody this week." in texts(msg)
    assert "*Call types*\nNo calls logged this week." in texts(msg)
    assert "Nobody on the team was expected to work in that time." in texts(msg)[-1]
    assert msg["text"].endswith("0 calls (none last week either), 0 reps need attention.")


@pytest.mark.parametrize("count", [16, 400])
def test_many_reps_are_cut_with_and_n_more(count: int):
    flags = tuple(
        RepFlag(f"U{index:09d}", "behind_target", index, 10_000_000) for index in range(count)
    )

    msg = report_message(summary(flags=flags))

    validate_message(msg)
    attention = section_starting(msg, "*Needs attention*")
    shown = attention.count("<@U")
    assert len(attention) <= SECTION_TEXT_LIMIT
    assert attention.endswith(f"…and {count - shown} more")
    assert len(msg["blocks"]) <= MESSAGE_BLOCK_LIMIT


def test_long_lines_are_cut_to_fit_one_section():
    long_label = "x" * 39
    lines = tuple(
        CallTypeLine(f"{long_label}{index}", Totals(10**6, 10**5, 10**4, 10**3), True, 10**7)
        for index in range(15)
    )

    msg = report_message(summary(call_types=lines))

    call_types = section_starting(msg, "*Call types*")
    assert len(call_types) <= SECTION_TEXT_LIMIT
    assert call_types.endswith("more")
    validate_message(msg)


@pytest.mark.parametrize(
    ("monday", "span"),
    [
        (date(2026, 11, 23), "Nov 23–29"),
        (date(2026, 11, 30), "Nov 30–Dec 6"),
        (date(2026, 12, 28), "Dec 28–Jan 3"),
    ],
)
def test_week_span(monday: date, span: str):
    assert week_span(monday) == span
