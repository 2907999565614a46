"""Check-ins that fail to go out are retried within their grace window, then given up once.

A short Slack outage at prompt time only delays the prompt and its reminder; a longer one
gives the prompt up in one log line (and its reminder with it); a reminder sent after a late
prompt still speaks of the rep's own day.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest

from storage.outbox import GIVEN_UP, SKIPPED
from tests.conftest import Bot
from tests.test_delivery_timing import dm_days, tick, with_schedule

NIA, PRIYA = "U01REP0001", "U01REP0003"
DAY = date(2026, 12, 3)


# More failed posts than any test makes: the outage lasts until slack_up.
OUTAGE = 10_000


def slack_down(bot: Bot) -> None:
    """Every chat.postMessage answers 503, as in an outage on Slack's side."""
    bot.standin.fail_next("chat.postMessage", status=503, times=OUTAGE)


def slack_up(bot: Bot) -> None:
    bot.standin.recover("chat.postMessage")


def tries_during_outage(bot: Bot, user_id: str) -> int:
    """How many posts to `user_id` met the outage."""
    calls = bot.standin.calls_to("chat.postMessage")
    return sum(c.status == 503 and c.args.get("channel") == user_id for c in calls)


def messages_about(caplog: pytest.LogCaptureFixture, *words: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if all(word in r.getMessage() for word in words)]


def test_a_short_outage_delays_the_prompt_and_its_reminder_but_loses_neither(bot: Bot) -> None:
    bot.tick("2026-12-03T12:00Z")  # syncs the directory
    slack_down(bot)
    for minute in (30, 31, 32):
        bot.tick(f"2026-12-03T21:{minute}Z")
    slack_up(bot)

    bot.tick("2026-12-03T21:33Z")
    assert dm_days(bot, NIA) == [("Time to l", "2026-12-03")]

    bot.tick("2026-12-03T23:31Z")
    bot.tick("2026-12-03T23:32Z")
    assert len(bot.standin.dm_messages(NIA)) == 1, "the reminder follows the prompt by 2 h"
    bot.tick("2026-12-03T23:33Z")
    assert dm_days(bot, NIA) == [("Time to l", "2026-12-03"), ("Reminder:", "2026-12-03")]


def test_an_outage_through_the_grace_window_gives_the_prompt_up_once(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    settings = with_schedule(bot, grace_minutes=5)
    tick(bot, settings, "2026-12-03T12:00Z")
    slack_down(bot)

    with caplog.at_level(logging.INFO):
        for minute in range(30, 38):  # 16:30 to 16:37 in New York, every minute
            tick(bot, settings, f"2026-12-03T21:{minute}Z")
        slack_up(bot)
        tick(bot, settings, "2026-12-03T23:30Z")  # the reminder's time

    assert tries_during_outage(bot, NIA) == 5, "16:30 to 16:34: every tick within the window"
    warnings = messages_about(caplog, "Could not send the prompt", NIA)
    assert len(warnings) == 5
    assert all("then tries again (until 2026-12-03T21:35" in w for w in warnings[:4])
    assert "tries again" not in warnings[4] and "given up" in warnings[4]

    assert bot.standin.dm_messages(NIA) == []
    store = bot.services.store
    assert store.outbox.find("prompt", NIA, DAY).status == GIVEN_UP  # type: ignore[union-attr]
    reminder = store.outbox.find("reminder", NIA, DAY)
    assert reminder is not None and reminder.status == SKIPPED
    assert len(messages_about(caplog, "Skipped the reminder", NIA)) == 1


def test_a_failed_prompt_found_past_its_grace_window_is_skipped_once(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.tick("2026-12-03T12:00Z")
    slack_down(bot)
    bot.tick("2026-12-03T21:30Z")
    slack_up(bot)

    with caplog.at_level(logging.WARNING):
        bot.tick("2026-12-03T23:45Z")  # no tick in between: the window ended at 23:30
        bot.tick("2026-12-03T23:46Z")

    assert bot.standin.dm_messages(NIA) == []
    row = bot.services.store.outbox.find("prompt", NIA, DAY)
    assert row is not None and row.status == SKIPPED
    assert "service_unavailable" in (row.detail or ""), "the last error is kept"
    assert len(messages_about(caplog, "Skipped the prompt", NIA)) == 1
    assert len(messages_about(caplog, "Skipped the reminder", NIA)) == 1


def test_a_reminder_after_a_late_prompt_names_the_reps_own_today(bot: Bot) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.tick("2026-12-03T22:30:05Z")  # Chicago's 16:30, five seconds late
    bot.tick("2026-12-04T00:31Z")  # 18:31 on Thursday in Chicago, Friday in UTC

    reminder = bot.standin.dm_messages(PRIYA)[-1]
    assert reminder["text"].startswith("Reminder:")
    buttons = next(b for b in reminder["blocks"] if b["type"] == "actions")["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Log today's calls", "Day off"]


def test_a_check_in_that_cannot_be_built_stops_at_its_grace_window(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot import send_checkins

    settings = with_schedule(bot, grace_minutes=5)

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug in the prompt")

    monkeypatch.setattr(send_checkins, "prompt_message", broken)
    with caplog.at_level(logging.WARNING):
        for minute in range(30, 45):
            tick(bot, settings, f"2026-12-03T21:{minute}Z")

    tracebacks = [r for r in caplog.records if r.exc_info and NIA in r.getMessage()]
    assert len(tracebacks) == 5, "one a tick while within the 5 min grace window, then none"
    assert len(messages_about(caplog, "Skipped the prompt", NIA)) == 1
