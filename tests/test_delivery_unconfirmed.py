"""A post whose answer was lost (5xx, timeout, killed run) is looked for before it is retried."""

from __future__ import annotations

import logging
from datetime import date
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.delivery import LookupDeferredError, Messenger, Pacer, may_have_posted
from storage.outbox import SENT
from tests.conftest import Bot

NIA = "U01REP0001"
OMAR = "U01REP0002"
DAY = date(2026, 12, 3)


def unserved(bot: Bot) -> str:
    """Which of the two New York reps has no DM yet."""
    waiting = [rep for rep in (NIA, OMAR) if not bot.standin.dm_messages(rep)]
    assert len(waiting) == 1
    return waiting[0]


def failed_post(bot: Bot, status: int) -> str:
    """Whom the post Slack carried out but answered with `status` was meant for."""
    failed = [c for c in bot.standin.calls_to("chat.postMessage") if c.status == status]
    assert len(failed) == 1
    return str(failed[0].args["channel"])


def test_a_post_whose_answer_was_lost_is_found_and_not_sent_again(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.standin.fail_next("chat.postMessage", status=500, after=True)

    first = bot.tick("2026-12-03T21:30Z")
    rep = failed_post(bot, 500)
    with caplog.at_level(logging.INFO, logger="bot.outbound"):
        second = bot.tick("2026-12-03T21:31Z")

    assert (first.sent, first.failed) == ({"prompt": 1}, 1)
    assert second.sent == {} and second.failed == 0
    assert len(bot.standin.dm_messages(NIA)) == len(bot.standin.dm_messages(OMAR)) == 1
    row = bot.services.store.outbox.find("prompt", rep, DAY)
    assert row is not None and row.status == SENT
    assert row.ts == bot.standin.dm_messages(rep)[0]["ts"]
    assert "an earlier try reached Slack though its answer was lost" in caplog.text

    bot.tick("2026-12-03T23:32Z")  # the reminder is due 2 h after the prompt was recorded
    assert len(bot.standin.dm_messages(rep)) == 2, "the reminder follows the prompt as found"


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_that_posted_nothing_is_sent_on_the_next_tick_once(bot: Bot, status: int) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.standin.fail_next("chat.postMessage", status=status)

    first = bot.tick("2026-12-03T21:30Z")
    rep = unserved(bot)
    second = bot.tick("2026-12-03T21:31Z")

    assert (first.sent, second.sent) == ({"prompt": 1}, {"prompt": 1})
    assert len(bot.standin.dm_messages(NIA)) == len(bot.standin.dm_messages(OMAR)) == 1
    looked = bot.standin.calls_to("conversations.history")
    assert len(looked) == 1 and looked[0].args["channel"] == bot.standin.dm_channel(rep)


def test_a_check_slack_cannot_answer_posts_nothing_and_is_tried_again(bot: Bot) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.standin.fail_next("chat.postMessage", status=500, after=True)
    bot.tick("2026-12-03T21:30Z")
    bot.standin.fail_next("conversations.history", status=503)

    assert bot.tick("2026-12-03T21:31Z").failed == 1
    assert bot.tick("2026-12-03T21:32Z").failed == 0

    assert len(bot.standin.dm_messages(NIA)) == len(bot.standin.dm_messages(OMAR)) == 1
    assert len(bot.standin.calls_to("conversations.history")) == 2


def test_a_rate_limited_check_is_put_off_without_spending_an_attempt(bot: Bot) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.standin.fail_next("chat.postMessage", status=500, after=True)
    bot.tick("2026-12-03T21:30Z")
    rep = failed_post(bot, 500)
    bot.standin.fail_next("conversations.history", status=429, retry_after=30)

    put_off = bot.tick("2026-12-03T21:31Z")
    row = bot.services.store.outbox.find("prompt", rep, DAY)
    assert (put_off.failed, put_off.deferred, put_off.sent) == (0, 1, {})
    assert row is not None and (row.status, row.attempts) == ("failed", 1)

    done = bot.tick("2026-12-03T21:32Z")
    assert (done.failed, done.deferred, done.sent) == (0, 0, {})
    assert len(bot.standin.dm_messages(NIA)) == len(bot.standin.dm_messages(OMAR)) == 1
    assert len(bot.standin.calls_to("conversations.history")) == 2


def test_after_a_429_the_ticks_other_checks_wait_without_calling_slack(bot: Bot) -> None:
    bot.tick("2026-12-03T12:00Z")
    bot.standin.fail_next("chat.postMessage", status=503, times=2, after=True)
    bot.tick("2026-12-03T21:30Z")
    bot.standin.fail_next("conversations.history", status=429, retry_after=40)

    put_off = bot.tick("2026-12-03T21:31Z")
    assert (put_off.failed, put_off.deferred) == (0, 2)
    assert len(bot.standin.calls_to("conversations.history")) == 1, "one 429, not two"

    assert bot.tick("2026-12-03T21:32Z").deferred == 0
    assert len(bot.standin.dm_messages(NIA)) == len(bot.standin.dm_messages(OMAR)) == 1


def test_a_known_dm_is_read_without_conversations_open(bot: Bot) -> None:
    bot.tick("2026-12-02T21:30Z")  # yesterday's prompts went out: their DMs are on record
    bot.standin.fail_next("chat.postMessage", status=502, after=True)

    bot.tick("2026-12-03T21:30Z")
    rep = failed_post(bot, 502)
    bot.tick("2026-12-03T21:31Z")

    assert len(bot.standin.dm_messages(rep)) == 2, "yesterday's prompt and today's, once each"
    assert bot.standin.calls_to("conversations.open") == []
    assert len(bot.standin.calls_to("conversations.history")) == 1


def test_a_killed_run_that_had_posted_is_not_posted_again(bot: Bot) -> None:
    # A tick claimed Nia's prompt at 21:30, posted it, and was killed before recording it.
    claimed_at = bot.clock.set("2026-12-03T21:30Z")
    message_id = bot.services.store.outbox.claim("prompt", NIA, DAY, now=claimed_at)
    assert message_id is not None
    killed = Messenger(bot.client, Pacer(per_minute=600))
    posted = killed.post_dm(NIA, {"text": "Time to log today's calls"}, tag=message_id)

    assert bot.tick("2026-12-03T22:01Z").sent == {"prompt": 1}  # Omar's, within its grace
    assert len(bot.standin.dm_messages(NIA)) == 1
    row = bot.services.store.outbox.find("prompt", NIA, DAY)
    assert row is not None and (row.status, row.ts) == (SENT, posted.ts)


def test_a_lookup_waits_as_long_as_slacks_retry_after_says(bot: Bot) -> None:
    seconds = [1000.0]
    messenger = Messenger(bot.client, Pacer(per_minute=600), clock=lambda: seconds[0])
    bot.standin.fail_next("conversations.open", status=429, retry_after=40)

    with pytest.raises(LookupDeferredError) as first:
        messenger.find_post(NIA, 7, None)
    seconds[0] += 39
    with pytest.raises(LookupDeferredError) as second:
        messenger.find_post(NIA, 7, None)
    seconds[0] += 2
    found = messenger.find_post(NIA, 7, None)

    assert (first.value.seconds, second.value.seconds) == (40.0, 1.0)
    assert found is None
    assert len(bot.standin.calls_to("conversations.open")) == 2, "none while waiting"


def test_a_slot_given_back_is_not_waited_for() -> None:
    now = [0.0]
    waits: list[float] = []
    pacer = Pacer(per_minute=60, clock=lambda: now[0], sleep=waits.append)

    pacer.wait()
    pacer.give_back()
    pacer.wait()
    pacer.wait()

    assert waits == [1.0], "the second call took the slot given back; the third waits a second"


@pytest.mark.parametrize(
    ("failure", "maybe_posted"),
    [
        (TimeoutError("The read operation timed out"), True),
        (RemoteDisconnected("Remote end closed connection without response"), True),
        (URLError(ConnectionResetError(104, "Connection reset by peer")), True),
        (URLError(ConnectionRefusedError(111, "Connection refused")), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
    ],
)
def test_which_connection_failures_may_have_posted(failure: Exception, maybe_posted: bool) -> None:
    assert may_have_posted(failure) is maybe_posted


@pytest.mark.parametrize(
    ("status", "error", "maybe_posted"),
    [(500, "internal_error", True), (503, "service_unavailable", True), (200, "no_text", False)],
)
def test_which_slack_answers_may_have_posted(status: int, error: str, maybe_posted: bool) -> None:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=status,
    )
    assert may_have_posted(SlackApiError(error, response)) is maybe_posted
