"""Ticks against the stand-in: one prompt and one reminder a day, faults, deactivated people."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from bot.delivery import TokenRejectedError
from tests.conftest import Bot, wait_until

NIA = "U01REP0001"
OMAR = "U01REP0002"
DAY = date(2026, 12, 3)


def test_one_prompt_and_one_reminder_per_day(bot: Bot) -> None:
    assert bot.tick("2026-12-03T21:30Z").sent == {"prompt": 2}
    assert bot.tick("2026-12-03T21:31Z").sent == {}

    bot.services.store.entries.set_day(
        NIA, DAY, {}, changed_by=NIA, source="modal", now=bot.clock.now, replace_all=True
    )
    assert bot.tick("2026-12-03T23:30Z").sent.get("reminder") == 1  # Omar only
    assert bot.tick("2026-12-03T23:45Z").sent.get("reminder") is None

    assert len(bot.standin.dm_messages(OMAR)) == 2
    assert len(bot.standin.dm_messages(NIA)) == 1


def test_prompts_follow_each_reps_zone(bot: Bot) -> None:
    sent_to = {}
    for instant in ("16:30", "17:30", "21:30", "22:30", "23:30", "23:59"):
        bot.tick(f"2026-12-03T{instant}Z")
    for call in bot.standin.calls_to("chat.postMessage"):
        sent_to.setdefault(call.args["channel"], call.at)
    # London 16:30 = 16:30Z, Berlin 16:30 = 15:30Z (sent at the 16:30 tick, within grace),
    # New York 21:30Z, Chicago 22:30Z, Denver 23:30Z; Los Angeles (00:30Z) is still to come.
    assert {"U01REP0007", "U01REP0008", NIA, OMAR, "U01REP0003", "U01REP0006"} == set(sent_to)


def test_no_prompt_on_a_weekend(bot: Bot) -> None:
    assert bot.tick("2026-12-05T21:30Z").sent == {}


def test_time_zones_come_from_one_directory_sync(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")
    bot.tick("2026-12-03T22:30Z")
    bot.tick("2026-12-03T23:30Z")
    assert len(bot.standin.calls_to("users.list")) == 1
    assert bot.standin.calls_to("users.info") == []
    assert bot.standin.calls_to("conversations.open") == []


def test_user_change_moves_a_rep_to_another_zone(bot: Bot) -> None:
    bot.tick("2026-12-03T12:00Z")  # syncs the directory
    answer = bot.driver.user_change(NIA, tz="Europe/London")
    assert answer.status == 200
    assert wait_until(lambda: bot.services.store.roster.person(NIA).tz == "Europe/London")  # type: ignore[union-attr]

    bot.tick("2026-12-03T16:30Z")
    assert bot.standin.dm_messages(NIA), "prompted at 16:30 London time"
    assert not bot.standin.dm_messages(OMAR)


def test_a_rate_limited_post_is_retried_at_once_and_sent_once(bot: Bot) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.standin.fail_next("chat.postMessage", status=429, retry_after=1)

    report = bot.tick("2026-12-03T21:30Z")

    assert report.sent == {"prompt": 2}
    assert len(bot.standin.dm_messages(NIA)) == 1
    assert len(bot.standin.dm_messages(OMAR)) == 1
    failed = [c for c in bot.standin.calls_to("chat.postMessage") if c.status == 429]
    assert len(failed) == 1
    assert bot.standin.calls_to("conversations.history") == [], "a 429 posted nothing"


def test_deactivated_rep_is_marked_inactive_once(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.standin.update_user(OMAR, deleted=True)  # no event: found out when posting

    with caplog.at_level(logging.WARNING):
        report = bot.tick("2026-12-03T21:30Z")
        bot.tick("2026-12-03T21:31Z")
        bot.tick("2026-12-03T23:30Z")

    assert report.deactivated == [OMAR]
    assert bot.services.store.roster.person(OMAR).active is False  # type: ignore[union-attr]
    posts_to_omar = [
        c for c in bot.standin.calls_to("chat.postMessage") if c.args["channel"] == OMAR
    ]
    assert len(posts_to_omar) == 1
    assert sum(OMAR in r.getMessage() and "inactive" in r.getMessage() for r in caplog.records) == 1


def test_deactivation_seen_in_directory_sync(bot: Bot) -> None:
    bot.standin.update_user(OMAR, deleted=True)
    report = bot.tick("2026-12-03T21:30Z")
    assert report.deactivated == [OMAR]
    assert report.sent == {"prompt": 1}


def test_downtime_catches_up_within_grace_and_skips_older(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        report = bot.tick("2026-12-04T01:45Z")  # the bot was down all afternoon

    recipients = {c.args["channel"] for c in bot.standin.calls_to("chat.postMessage")}
    # Los Angeles' 16:30 (00:30Z) was 75 min ago: sent. New York's (21:30Z): skipped.
    assert {"U01REP0004", "U01REP0005"} <= recipients
    assert NIA not in recipients and OMAR not in recipients
    assert report.skipped >= 2
    assert any(NIA in r.getMessage() and "Skipped" in r.getMessage() for r in caplog.records)

    assert bot.tick("2026-12-04T01:46Z").skipped == 0, "skips are decided and logged once"


def test_rejected_token_stops_the_tick(bot: Bot) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.standin.fail_next("chat.postMessage", status=200, error="invalid_auth")
    with pytest.raises(TokenRejectedError):
        bot.tick("2026-12-03T21:30Z")
    assert bot.services.store.roster.person(NIA).active  # type: ignore[union-attr]

    assert bot.tick("2026-12-03T21:31Z").sent == {"prompt": 2}


def test_a_fan_out_larger_than_a_minute_of_posts_spreads_over_ticks(bot: Bot) -> None:
    from bot.delivery import Messenger, Pacer
    from bot.send_checkins import send_checkins
    from bot.settings import Delivery
    from bot.tick_context import Tick, TickReport

    settings = bot.services.settings.model_copy(update={"delivery": Delivery(posts_per_minute=1)})
    messenger = Messenger(bot.client, Pacer(1, sleep=lambda _: None))
    sent = []
    # East's three reps (no directory sync here, so all on the team's New York time).
    for minute in ("21:30", "21:31", "21:32", "21:33"):
        report = TickReport()
        now = bot.clock.set(f"2026-12-03T{minute}Z")
        send_checkins(Tick(now, settings, bot.services.store, messenger, report))
        sent.append(report.sent.get("prompt", 0))

    assert sent == [1, 1, 1, 0]
    assert len(bot.standin.dm_messages(NIA)) == 1 and len(bot.standin.dm_messages(OMAR)) == 1


def test_a_prompt_claimed_by_a_killed_tick_goes_out_once_its_lease_runs_out(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    # A tick claimed Nia's prompt at 21:30 and was killed before posting it.
    assert bot.services.store.outbox.claim(
        "prompt", NIA, DAY, now=bot.clock.set("2026-12-03T21:30Z")
    )

    assert bot.tick("2026-12-03T21:31Z").sent == {"prompt": 1}  # Omar's; Nia's is still held
    assert bot.tick("2026-12-03T21:59Z").sent == {}
    with caplog.at_level(logging.WARNING, logger="bot.tick"):
        assert bot.tick("2026-12-03T22:01Z").sent == {"prompt": 1}
    assert bot.tick("2026-12-03T22:02Z").sent == {}

    assert len(bot.standin.dm_messages(NIA)) == 1
    assert "The prompt to U01REP0001 for 2026-12-03 was claimed by a run that never" in caplog.text
    assert len(bot.standin.calls_to("conversations.history")) == 1, "looked before posting"

    bot.tick("2026-12-03T23:59Z")
    assert len(bot.standin.dm_messages(NIA)) == 1, "the reminder follows the prompt as sent"
    bot.tick("2026-12-04T00:01Z")
    assert len(bot.standin.dm_messages(NIA)) == 2
