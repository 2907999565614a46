"""Work after the ack runs off Bolt's listener threads: a 429 wait never costs a click."""

from __future__ import annotations

import logging
import threading

import pytest

from bot.followups import DEFAULT_WORKERS, FollowUps
from tests.conftest import Bot, wait_until

NIA = "U01REP0001"  # East, New York
OTHERS = ["U01REP0002", "U01REP0003", "U01REP0004", "U01REP0005", "U01REP0006"]


def test_one_persons_follow_ups_run_in_order_and_one_at_a_time() -> None:
    followups = FollowUps(workers=4)
    ran: list[int] = []
    first_may_end = threading.Event()

    followups.submit("U1", "first", lambda: (first_may_end.wait(5), ran.append(1)))
    followups.submit("U1", "second", lambda: ran.append(2))
    followups.submit("U2", "other person", lambda: ran.append(3))

    assert wait_until(lambda: ran == [3]), "another person's work does not wait in U1's line"
    first_may_end.set()
    assert followups.wait(5)
    assert ran == [3, 1, 2]
    followups.close(timeout=1)


def test_a_failed_follow_up_is_logged_and_the_next_one_still_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    followups = FollowUps(workers=1)
    ran: list[str] = []

    def fails() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="bot.followups"):
        followups.submit("U1", "summary of 2026-12-03 for U1", fails)
        followups.submit("U1", "a note to U1", lambda: ran.append("note"))
        assert followups.wait(5)

    assert ran == ["note"]
    assert "Follow-up failed: summary of 2026-12-03 for U1" in caplog.text
    followups.close(timeout=1)


def test_closing_drops_what_is_still_queued_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    followups = FollowUps(workers=1)
    release = threading.Event()
    ran: list[str] = []
    followups.submit("U1", "slow", lambda: release.wait(5))
    followups.submit("U1", "queued behind it", lambda: ran.append("queued"))

    with caplog.at_level(logging.WARNING, logger="bot.followups"):
        followups.close(timeout=0.1)
        followups.submit("U2", "after the stop", lambda: ran.append("after"))
    release.set()

    assert followups.wait(5), "the slow one ends; nothing dropped runs after it"
    assert ran == []
    assert "1 follow-up(s) not run, e.g. queued behind it" in caplog.text
    assert "Stopping: not running the follow-up after the stop" in caplog.text


def test_updates_waiting_out_429s_do_not_keep_a_rep_from_logging(bot: Bot) -> None:
    """Five Home tabs wait out a 429 each: once, that held all 5 of Bolt's threads."""
    bot.clock.set("2026-12-03T22:00Z")
    bot.standin.fail_next("views.publish", status=429, retry_after=4, times=len(OTHERS))
    for person in OTHERS:
        assert bot.driver.open_home(person).ok

    reply = bot.driver.slash_command(NIA, "/checkin")

    assert reply.ok, reply.slack_errors or reply.text
    assert wait_until(lambda: bot.standin.open_view(NIA)), "the trigger was used in time"
    assert wait_until(lambda: all(bot.standin.home_view(p) for p in OTHERS), timeout=20)


def test_a_picked_day_reloads_the_form_while_other_updates_wait_out_429s(bot: Bot) -> None:
    """The rep is looking at the form: its reload must not queue behind Home tabs that
    wait out a 429 on every follow-up thread."""
    bot.clock.set("2026-12-03T22:00Z")
    assert bot.driver.slash_command(NIA, "/checkin").ok
    assert wait_until(lambda: bot.standin.open_view(NIA))
    bot.standin.fail_next("views.publish", status=429, retry_after=8, times=len(OTHERS))
    for person in OTHERS:
        assert bot.driver.open_home(person).ok
    wait_until(lambda: len(bot.standin.calls_to("views.publish")) >= DEFAULT_WORKERS)

    assert bot.driver.view_action(NIA, "work_date", "date", "2026-12-01").ok

    assert wait_until(lambda: "20261201" in str(bot.standin.open_view(NIA)), timeout=4)
    assert bot.standin.home_view(OTHERS[0]) is None, "the Home tabs were still waiting"


def test_a_summary_that_meets_a_429_shows_once_slack_allows(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")
    prompt = bot.last_dm(NIA)
    bot.driver.click(NIA, prompt, "open_checkin")
    wait_until(lambda: bot.standin.open_view(NIA))
    bot.standin.fail_next("chat.update", status=429, retry_after=2)

    answer = bot.driver.fill_modal(NIA, {"cold_call.no_answer.20261203": 9})

    assert answer.ok, answer.text
    assert wait_until(lambda: "9 calls" in bot.last_dm(NIA)["text"], timeout=10)
    updates = bot.standin.calls_to("chat.update")
    assert [call.status for call in updates] == [429, 200]
    assert bot.last_dm(NIA)["ts"] == prompt["ts"]
