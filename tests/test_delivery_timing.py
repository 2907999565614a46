"""When a prompt and its reminder go out after downtime: in order, a full delay apart, on the
rep's own day even once their local midnight has passed, and never a reminder without its
prompt."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from bot.settings import Settings
from bot.tick import TickReport, run_tick
from storage.outbox import SENT, SKIPPED
from tests.conftest import Bot

NIA = "U01REP0001"
DAY = date(2026, 12, 3)


def with_schedule(bot: Bot, **schedule: object) -> Settings:
    """The test's app.yaml with other schedule values, validated as check-config would."""
    settings = bot.services.settings
    raw = settings.model_dump()
    raw["schedule"] |= schedule
    return Settings.model_validate(raw)


def tick(bot: Bot, settings: Settings, when: str) -> TickReport:
    now = bot.clock.set(when)
    return run_tick(now, settings, bot.services.store, bot.client)


def dm_days(bot: Bot, user_id: str) -> list[tuple[str, str]]:
    """(first words, day of the buttons) of each DM, oldest first."""
    found = []
    for message in bot.standin.dm_messages(user_id):
        buttons = [b for b in message["blocks"] if b["type"] == "actions"]
        found.append((message["text"][:9], buttons[0]["elements"][0]["value"]))
    return found


def test_a_late_prompt_gets_its_reminder_a_full_delay_after_it(bot: Bot) -> None:
    bot.tick("2026-12-03T23:00Z")  # back at 18:00 in New York: the 16:30 prompt goes now
    assert len(bot.standin.dm_messages(NIA)) == 1

    bot.tick("2026-12-03T23:30Z")  # 18:30, when the reminder would have gone on time
    bot.tick("2026-12-04T00:59Z")
    assert len(bot.standin.dm_messages(NIA)) == 1, "two hours after the prompt, not 30 min"

    assert bot.tick("2026-12-04T01:00Z").sent.get("reminder", 0) >= 1
    assert dm_days(bot, NIA) == [("Time to l", "2026-12-03"), ("Reminder:", "2026-12-03")]


def test_a_grace_longer_than_the_delay_never_sends_both_in_one_tick(bot: Bot) -> None:
    settings = with_schedule(bot, grace_minutes=180, reminder_delay_minutes=60)

    tick(bot, settings, "2026-12-03T23:45Z")  # 18:45 in New York: 135 min after 16:30
    assert len(bot.standin.dm_messages(NIA)) == 1

    tick(bot, settings, "2026-12-04T00:44Z")
    assert len(bot.standin.dm_messages(NIA)) == 1
    tick(bot, settings, "2026-12-04T00:45Z")
    assert [text for text, _ in dm_days(bot, NIA)] == ["Time to l", "Reminder:"]


def test_no_reminder_for_a_prompt_that_was_skipped(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        report = bot.tick("2026-12-03T23:45Z")  # 135 min after 16:30: past the grace window
        for when in ("2026-12-03T23:46Z", "2026-12-04T01:00Z", "2026-12-04T04:00Z"):
            bot.tick(when)

    assert bot.standin.dm_messages(NIA) == []
    store = bot.services.store
    assert store.outbox.find("prompt", NIA, DAY).status == SKIPPED  # type: ignore[union-attr]
    reminder = store.outbox.find("reminder", NIA, DAY)
    assert reminder is not None and reminder.status == SKIPPED
    assert reminder.detail == "its prompt was not sent"
    assert report.skipped >= 2, "both in the tick that skipped the prompt"
    skips = [r.getMessage() for r in caplog.records if f"for {NIA} on" in r.getMessage()]
    assert len(skips) == 2, "decided and logged once each"
    assert "Skipped the reminder" in skips[1] and "its prompt was not sent" in skips[1]


def test_a_prompt_due_before_local_midnight_goes_out_after_it_for_that_day(bot: Bot) -> None:
    settings = with_schedule(bot, checkin_time="23:30", reminder_delay_minutes=15)

    # 00:15 on Thursday in New York; Wednesday's 23:30 prompt fell due 45 minutes ago.
    report = tick(bot, settings, "2026-06-11T04:15Z")

    assert report.sent.get("prompt", 0) >= 1
    prompt = bot.standin.dm_messages(NIA)[0]
    assert "Wednesday, Jun 10" in prompt["text"]
    assert "Log Wednesday's calls" in str(prompt["blocks"])  # not "today's": it is Thursday
    assert dm_days(bot, NIA) == [("Time to l", "2026-06-10")]
    row = bot.services.store.outbox.find("prompt", NIA, date(2026, 6, 10))
    assert row is not None and row.status == SENT

    tick(bot, settings, "2026-06-11T04:30Z")
    assert dm_days(bot, NIA) == [("Time to l", "2026-06-10"), ("Reminder:", "2026-06-10")]


def test_a_prompt_missed_before_local_midnight_is_logged_as_skipped(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    settings = with_schedule(bot, checkin_time="23:30", reminder_delay_minutes=15)

    with caplog.at_level(logging.WARNING):
        report = tick(bot, settings, "2026-06-11T06:00Z")  # 02:00: 150 min after 23:30

    assert bot.standin.dm_messages(NIA) == []
    row = bot.services.store.outbox.find("prompt", NIA, date(2026, 6, 10))
    assert row is not None and row.status == SKIPPED
    assert report.skipped >= 2  # Nia's prompt and its reminder, and the same for Omar
    assert any(NIA in r.getMessage() and "2026-06-10" in r.getMessage() for r in caplog.records)
