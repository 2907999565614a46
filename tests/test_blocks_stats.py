"""The /stats reply as Block Kit: valid, within Slack's limits, and readable when empty."""

from __future__ import annotations

from datetime import date

import pytest

from bot.blocks import MESSAGE_BLOCK_LIMIT, SECTION_TEXT_LIMIT, validate_message
from bot.blocks.stats import (
    CHART_IN_DM,
    CallTypeCounts,
    CheckIns,
    Counts,
    Pace,
    RepLine,
    StatsSummary,
    stats_message,
)

START, END = date(2026, 11, 30), date(2026, 12, 3)
FUNNEL = Counts(40, 12, 3, 1, 0.3, 0.25, 1 / 3)
NOTHING = Counts(0, 0, 0, 0, None, None, None)


def summary(**changes: object) -> StatsSummary:
    fields: dict[str, object] = {
        "rep_id": "U01REP0001",
        "team": None,
        "label": "this week",
        "start": START,
        "end": END,
        "totals": FUNNEL,
        "call_types": [
            CallTypeCounts("Cold call", Counts(30, 6, 1, 0, 0.2, 1 / 6, 0.0)),
            CallTypeCounts("Demo & closing <big>", Counts(10, 6, 2, 1, 0.6, 1 / 3, 0.5)),
        ],
        "checkins": CheckIns(2, 3),
        "pace": Pace("2026-W49", 40, 50.0, 2, 66.7, False),
    }
    return StatsSummary(**(fields | changes))  # type: ignore[arg-type]


def all_text(message: dict[str, object]) -> str:
    return str(message["blocks"])


def test_a_rep_reply() -> None:
    message = stats_message(summary())
    validate_message(message)

    text = all_text(message)
    assert message["text"] == (
        "Stats for <@U01REP0001>, this week: 40 calls, 12 connects, 3 meetings, 1 win"
    )
    assert "Mon, Nov 30 to Thu, Dec 3, 2026" in text
    assert "12 (30% of calls)" in text and "3 (25% of connects)" in text
    assert "1 (33% of meetings)" in text
    assert "Cold call          30      6    20%      1    17%      0     0%" in text
    assert "Demo &amp; closing &lt;big&gt;" not in text  # cut to the label width first
    assert "Demo &amp; closi…      10      6    60%" in text
    assert "2 of 3 days due (67%)" in text
    assert "40 calls so far, 2 workdays left; on pace for 67 of 50 (133%)" in text


def test_a_missing_rate_shows_a_dash() -> None:
    row = CallTypeCounts("Discovery", Counts(7, 0, 0, 0, 0.0, None, None))
    text = all_text(stats_message(summary(call_types=[row])))
    assert "Discovery           7      0     0%      0      –      0      –" in text


@pytest.mark.parametrize(
    ("pace", "line"),
    [
        (Pace("2026-W49", 0, 50.0, 5, None, False), "0 calls so far, 5 workdays left; no workday"),
        (Pace("2026-W49", 9, None, 1, 11.25, False), "on pace for 11, no weekly target"),
        (Pace("2026-W48", 48, 50.0, 0, 48.0, True), "*Week 2026-W48:* 48 calls of a 50 target"),
        (Pace("2026-W48", 1, None, 0, 1.0, True), "*Week 2026-W48:* 1 call, no weekly target"),
    ],
)
def test_pace_lines(pace: Pace, line: str) -> None:
    message = stats_message(summary(pace=pace))
    validate_message(message)
    assert line in all_text(message)


def test_an_empty_period() -> None:
    message = stats_message(
        summary(totals=NOTHING, call_types=[], checkins=CheckIns(0, 0), pace=None)
    )
    validate_message(message)

    text = all_text(message)
    assert "No calls logged in this period." in text
    assert "none were due yet" in text
    assert "By call type" not in text
    assert message["text"].endswith("0 calls, 0 connects, 0 meetings, 0 wins")


def test_a_team_reply_lists_reps_and_escapes_the_name() -> None:
    reps = [
        RepLine("U01REP0002", 30, CheckIns(2, 4)),
        RepLine("U01REP0003", 0, CheckIns(0, 0)),
    ]
    message = stats_message(
        summary(rep_id=None, team="R&D <North>", pace=None, reps=reps, checkins=CheckIns(2, 4))
    )
    validate_message(message)

    text = all_text(message)
    assert "*Stats for R&amp;D &lt;North&gt;, this week*" in text
    assert "2 of 4 rep-days due (50%)" in text
    assert "`   30` <@U01REP0002> · check-ins 2/4" in text
    assert "`    0` <@U01REP0003> · no check-ins due" in text


def test_all_teams_tag_each_rep_with_their_team() -> None:
    reps = [RepLine("U01REP0004", 7, CheckIns(1, 3), team="West")]
    message = stats_message(summary(rep_id=None, pace=None, reps=reps))
    validate_message(message)
    assert "Stats for all teams" in message["text"]
    assert "<@U01REP0004> · West · check-ins 1/3" in all_text(message)


def test_a_huge_team_is_cut_to_fit_one_message() -> None:
    reps = [RepLine(f"U{n:09d}", 5000 - n, CheckIns(n % 6, 5), team="Team") for n in range(3000)]
    message = stats_message(summary(rep_id=None, pace=None, reps=reps))
    validate_message(message)

    blocks = message["blocks"]
    assert len(blocks) == MESSAGE_BLOCK_LIMIT
    assert all(len(b["text"]["text"]) <= SECTION_TEXT_LIMIT for b in blocks if "text" in b)
    shown = sum(all_text({"blocks": [b]}).count("<@U") for b in blocks)
    assert f"…and {3000 - shown} more reps not shown." in str(blocks[-1])
    assert "<@U000000000>" in str(blocks)  # the busiest rep comes first


def test_a_reply_outside_the_bots_dm_says_where_the_chart_went() -> None:
    here = stats_message(summary())
    elsewhere = stats_message(summary(), chart_in_dm=True)
    validate_message(elsewhere)

    assert CHART_IN_DM not in all_text(here)
    assert elsewhere["blocks"][1]["elements"][1]["text"] == CHART_IN_DM
    assert len(elsewhere["blocks"]) == len(here["blocks"]), "no block spent: fits a full list"


def test_a_long_call_type_list_stays_in_one_section() -> None:
    rows = [CallTypeCounts(f"Type {n}", FUNNEL) for n in range(48)]  # app.yaml's ceiling
    message = stats_message(summary(call_types=rows))
    validate_message(message)
    assert str(message["blocks"]).count("Type ") == 48
