"""The check-in DMs and the ephemeral replies: valid Block Kit, the agreed ids, readable text."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

from bot.blocks import MESSAGE_BLOCK_LIMIT, escape, long_day, validate_message
from bot.blocks.checkin import (
    DayTotals,
    WeekProgress,
    day_off_message,
    logged_message,
    prompt_message,
    reminder_message,
    week_line,
)
from bot.blocks.replies import (
    days_back_to_work,
    days_off_saved,
    error_reply,
    help_text,
    not_on_a_team,
    quick_log_saved,
)
from bot.settings import DEFAULT_CALL_TYPES, DEFAULT_OUTCOMES, CallType, Outcome

DAY = date(2026, 12, 3)  # a Thursday
WEEK = WeekProgress(calls=32, target=50, workdays_left=2)
TOTALS = DayTotals(day=DAY, calls=40, connects=10, meetings=2)


def assert_valid(msg: dict[str, Any]) -> None:
    """Slack's own models accept every block, and the message stays within Slack's limits."""
    assert set(msg) == {"text", "blocks"}
    assert len(msg["blocks"]) <= MESSAGE_BLOCK_LIMIT
    for block in msg["blocks"]:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    validate_message(msg)


def all_text(msg: dict[str, Any]) -> str:
    return json.dumps(msg, ensure_ascii=False)


def buttons(msg: dict[str, Any]) -> dict[str, dict[str, Any]]:
    actions = [b for b in msg["blocks"] if b["type"] == "actions"]
    return {e["action_id"]: e for block in actions for e in block["elements"]}


def test_prompt_greets_names_the_day_and_offers_both_buttons() -> None:
    msg = prompt_message(first_name="Dana", day=DAY, week=WEEK)

    assert_valid(msg)
    assert "Hi Dana!" in all_text(msg)
    assert "Thursday, Dec 3" in msg["text"]
    assert "*32* of 50 calls" in all_text(msg)
    log, off = buttons(msg)["open_checkin"], buttons(msg)["day_off"]
    assert log["value"] == off["value"] == "2026-12-03"
    assert log["text"]["text"] == "Log today's calls" and log["style"] == "primary"
    assert off["text"]["text"] == "Day off" and "confirm" in off


def test_prompt_without_target_name_or_nudge() -> None:
    msg = prompt_message(first_name=" ", day=DAY, week=WeekProgress(7, None, 0))

    assert_valid(msg)
    assert "Hi!" in all_text(msg)
    assert "This week so far: *7 calls*." in all_text(msg)
    assert len(msg["blocks"]) == 3


def test_prompt_nudge_is_a_context_line() -> None:
    msg = prompt_message(first_name="Dana", day=DAY, week=WEEK, nudge="18 calls to go :muscle:")

    assert_valid(msg)
    contexts = [b for b in msg["blocks"] if b["type"] == "context"]
    assert contexts[-1]["elements"][0]["text"] == "18 calls to go :muscle:"


def test_prompt_escapes_the_reps_name() -> None:
    msg = prompt_message(first_name="<!channel> & co", day=DAY, week=WEEK)

    assert_valid(msg)
    assert "&lt;!channel&gt; &amp; co" in all_text(msg)
    assert "<!channel>" not in all_text(msg)


def test_target_reached_is_celebrated() -> None:
    msg = prompt_message(first_name="Dana", day=DAY, week=WeekProgress(55, 50, 1))

    assert "target reached" in all_text(msg)


def test_reminder_has_the_same_buttons() -> None:
    msg = reminder_message(day=DAY, week=WEEK)

    assert_valid(msg)
    assert set(buttons(msg)) == {"open_checkin", "day_off"}
    assert buttons(msg)["open_checkin"]["value"] == "2026-12-03"


def test_logged_summary_keeps_an_edit_button() -> None:
    msg = logged_message(totals=TOTALS, week=WEEK)

    assert_valid(msg)
    assert "40 calls, 10 connects, 2 meetings" in msg["text"]
    edit = buttons(msg)["open_checkin"]
    assert edit["text"]["text"] == "Edit" and edit["value"] == "2026-12-03"
    assert "day_off" not in buttons(msg)


def test_singular_counts_read_naturally() -> None:
    msg = logged_message(totals=DayTotals(DAY, 1, 1, 1), week=WeekProgress(1, None, 1))

    assert "1 call, 1 connect, 1 meeting" in msg["text"]
    assert "1 workday left" in all_text(msg)


def test_day_off_message() -> None:
    msg = day_off_message(day=DAY)

    assert_valid(msg)
    assert "Thursday, Dec 3 is marked as a day off" in msg["text"]
    assert "/checkin 2026-12-03" in all_text(msg)


def test_day_names_through_a_year() -> None:
    assert long_day(DAY) == "Thursday, Dec 3"
    assert long_day(date(2027, 1, 1)) == "Friday, Jan 1"
    for offset in range(366):
        day = DAY + timedelta(days=offset)
        assert_valid(prompt_message(first_name="A" * 100, day=day, week=WEEK))


def test_help_lists_keys_example_and_limits() -> None:
    msg = help_text(DEFAULT_CALL_TYPES, DEFAULT_OUTCOMES, 200, 7)

    assert_valid(msg)
    text = all_text(msg)
    assert "`/checkin 12 cold_call no_answer, 3 closing meeting_booked`" in text
    assert all(f"`{c.key}`" in text for c in DEFAULT_CALL_TYPES)
    assert all(f"`{o.key}`" in text for o in DEFAULT_OUTCOMES)
    assert "up to 200" in text and "last 7 days" in text and "off today" in text


def test_help_escapes_labels_and_handles_no_edit_window() -> None:
    call_types = [CallType(key="inbound", label="Inbound <web> & phone")]
    outcomes = [Outcome(key="booked", label="Booked", counts_as=["meeting"])]

    msg = help_text(call_types, outcomes, 50, 0)

    assert_valid(msg)
    assert "Inbound &lt;web&gt; &amp; phone" in all_text(msg)
    assert "today only" in all_text(msg)


def test_help_for_the_largest_configuration_is_valid() -> None:
    call_types = [CallType(key=f"type_{i}", label="C" * 40) for i in range(12)]
    outcomes = [Outcome(key=f"outcome_{i}", label="O" * 40) for i in range(40)]

    assert_valid(help_text(call_types, outcomes, 10_000, 92))


def test_not_on_a_team_is_one_line() -> None:
    msg = not_on_a_team()

    assert_valid(msg)
    assert len(msg["blocks"]) == 1 and "\n" not in msg["text"]
    assert "team" in msg["text"] and "admin" in msg["text"]


def test_quick_log_saved_lists_cells_in_config_order_and_day_totals() -> None:
    cells = {("demo", "meeting_booked"): 3, ("cold_call", "no_answer"): 12}

    msg = quick_log_saved(
        day=DAY,
        cells=cells,
        call_types=DEFAULT_CALL_TYPES,
        outcomes=DEFAULT_OUTCOMES,
        totals=TOTALS,
    )

    assert_valid(msg)
    text = msg["blocks"][0]["text"]["text"]
    assert text.index("Cold call · No answer: *12*") < text.index("Demo · Meeting booked: *3*")
    assert "40 calls, 10 connects, 2 meetings" in all_text(msg)


def test_days_off_saved_single_day_range_and_skipped() -> None:
    one = days_off_saved(DAY, DAY, [])
    many = days_off_saved(date(2026, 12, 24), date(2026, 12, 31), [date(2026, 12, 25)])

    assert_valid(one)
    assert_valid(many)
    assert "Thursday, Dec 3 is marked as a day off" in one["text"]
    assert "`/checkin on 2026-12-03` undoes it" in all_text(one)
    assert "Thursday, Dec 24 to Thursday, Dec 31" in many["text"]
    assert "Already days off: Friday, Dec 25" in all_text(many)
    assert "/checkin on 2026-12-24..2026-12-31" in all_text(many)


def test_days_off_with_calls_logged_say_the_calls_still_count() -> None:
    msg = days_off_saved(DAY, DAY, [], with_calls=[DAY])

    assert_valid(msg)
    assert "You logged calls on Thursday, Dec 3; they still count" in all_text(msg)


def test_back_to_work_confirms_or_says_nothing_changed() -> None:
    back = days_back_to_work(DAY, DAY, [DAY])
    nothing = days_back_to_work(DAY, date(2026, 12, 4), [])

    assert_valid(back)
    assert "Workday again: Thursday, Dec 3" in back["text"]
    assert "No day off was recorded for Thursday, Dec 3 to Friday, Dec 4" in nothing["text"]


def test_a_past_weeks_line_names_the_week_and_counts_no_days_left() -> None:
    week = WeekProgress(calls=42, target=50, workdays_left=0, past_week=date(2026, 11, 23))

    assert week_line(week) == "Week of Mon, Nov 23: *42* of 50 calls."
    assert week_line(replace(week, target=None)) == "Week of Mon, Nov 23: *42* calls."


def test_error_reply_wraps_mrkdwn_and_long_text_is_cut() -> None:
    msg = error_reply("`x` is wrong.\nNothing was saved.")
    long = error_reply("x" * 5000)

    assert_valid(msg)
    assert_valid(long)
    assert msg["blocks"][0]["text"]["text"] == "`x` is wrong.\nNothing was saved."


def test_escape() -> None:
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_validate_message_catches_misspelt_keys_and_too_many_blocks() -> None:
    text = {"type": "mrkdwn", "text": "x"}
    typo = {"text": "x", "blocks": [{"type": "section", "text": text, "blockid": "a"}]}
    too_many = {"text": "x", "blocks": [{"type": "divider"}] * (MESSAGE_BLOCK_LIMIT + 1)}
    no_text = {"text": "x", "blocks": [{"type": "section", "txet": text}]}

    for bad in (typo, too_many, {"text": "", "blocks": []}):
        with pytest.raises(ValueError):
            validate_message(bad)
    with pytest.raises(SlackObjectFormationError):
        validate_message(no_text)


def test_a_week_off_has_no_target_to_reach() -> None:
    off = WeekProgress(calls=0, target=None, workdays_left=0, week_off=True)

    assert week_line(off) == "This week is a week off for you."
    assert week_line(replace(off, calls=3)) == "This week is a week off for you: *3 calls* logged."
    past = replace(off, calls=3, past_week=date(2026, 12, 7))
    assert week_line(past) == "Week of Mon, Dec 7: *3 calls*, a week off."
    # A target of nothing is never reached: the line just counts.
    assert week_line(WeekProgress(calls=0, target=0, workdays_left=0)) == (
        "This week so far: *0 calls*."
    )
