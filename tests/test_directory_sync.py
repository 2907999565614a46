"""The directory sync in a workspace of thousands: a few users.list pages a tick, resumed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from bot.directory import FAILED_SYNC_KIND, PAGES_PER_TICK, SYNC_KEY
from bot.runtime import open_services
from bot.sandbox import SlackStandIn
from bot.sandbox.clock import ManualClock
from bot.sandbox.workspace import ApiCall
from bot.services import Services
from bot.tick import TickReport, run_tick
from tests.conftest import PEOPLE_TZ, Bot

NIA = "U01REP0001"
OMAR = "U01REP0002"
CHI = "U01REP0003"  # on East (New York), lives in Chicago
COLLEAGUES = 3_000  # people the bot never messages, listed before its own


@pytest.fixture
def slack_clock() -> ManualClock:
    """Slack's rate-limit clock, moved with the bot's so a tick a minute is a minute to Slack."""
    return ManualClock()


@pytest.fixture
def standin(slack_clock: ManualClock) -> Iterator[SlackStandIn]:
    """A workspace of a few thousand people; the bot's reps come on users.list's last pages."""
    with SlackStandIn(clock=slack_clock) as running:
        for n in range(COLLEAGUES):
            running.add_user(f"U02COLL{n:04d}", real_name=f"Colleague {n}", tz="Asia/Tokyo")
        for user_id, tz in PEOPLE_TZ.items():
            running.add_user(user_id, real_name=f"Person {user_id[-4:]}", tz=tz)
        yield running


def tick(bot: Bot, slack_clock: ManualClock, when: str) -> TickReport:
    """Tick at `when` (forward in time), moving Slack's clock just as far."""
    before = bot.clock.now
    after = bot.clock.set(when)
    slack_clock.advance((after - before).total_seconds())
    return bot.tick()


def list_calls(bot: Bot) -> list[ApiCall]:
    return bot.standin.calls_to("users.list")


def tick_until_synced(bot: Bot, slack_clock: ManualClock) -> list[int]:
    """Tick once a minute until the pass ends; the users.list calls of each tick."""
    per_tick: list[int] = []
    while bot.services.store.sync_cursors.current(SYNC_KEY).running and len(per_tick) < 60:
        before = len(list_calls(bot))
        tick(bot, slack_clock, (bot.clock.now + timedelta(minutes=1)).isoformat())
        per_tick.append(len(list_calls(bot)) - before)
    return per_tick


def test_first_prompts_go_out_before_the_directory_is_read(
    bot: Bot, slack_clock: ManualClock
) -> None:
    report = tick(bot, slack_clock, "2026-12-03T21:30Z")

    assert len(list_calls(bot)) == PAGES_PER_TICK
    assert bot.services.store.sync_cursors.current(SYNC_KEY).running
    assert report.sent == {"prompt": 3}
    # Not reached yet, so on the team's New York hour (the NOTE in bot/directory.py).
    assert bot.services.store.roster.person(CHI).tz is None  # type: ignore[union-attr]
    assert bot.standin.dm_messages(CHI)

    per_tick = tick_until_synced(bot, slack_clock)

    calls = list_calls(bot)
    state = bot.services.store.sync_cursors.current(SYNC_KEY)
    assert all(spent <= PAGES_PER_TICK for spent in per_tick)
    assert [call.status for call in calls] == [200] * len(calls), "never rate-limited"
    # 3,014 people: more than the 16 full pages of 200, since Slack may cut pages short.
    assert state.pages == len(calls) > 16
    assert bot.standin.calls_to("users.info") == []
    assert bot.services.store.roster.person(CHI).tz == "America/Chicago"  # type: ignore[union-attr]

    # The next day the directory's zone holds: Chicago's 16:30 is 22:30Z.
    assert tick(bot, slack_clock, "2026-12-04T21:30Z").sent.get("prompt") == 2
    assert tick(bot, slack_clock, "2026-12-04T22:30Z").sent.get("prompt") == 1
    assert len(bot.standin.dm_messages(CHI)) == 2


def test_a_pass_logs_its_start_and_end_only(
    bot: Bot, slack_clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.directory"):
        tick(bot, slack_clock, "2026-12-03T12:00Z")
        tick_until_synced(bot, slack_clock)

    lines = [r.getMessage() for r in caplog.records if r.name == "bot.directory"]
    assert len(lines) == 2
    assert lines[0].startswith("Directory sync started")
    assert lines[1].startswith("Directory synced")
    assert "12 of 12 people found there, 0 looked up" in lines[1]


def test_a_restart_resumes_the_pass_from_the_saved_cursor(
    bot: Bot, slack_clock: ManualClock, database_url: str
) -> None:
    tick(bot, slack_clock, "2026-12-03T12:00Z")
    saved = list_calls(bot)[-1].response["response_metadata"]["next_cursor"]
    bot.services.store.close()

    # A new process on the same database (cron's next `checkin tick`).
    services = open_services(bot.services.settings, database_url, clock=bot.clock)
    try:
        now = bot.clock.set("2026-12-03T12:01Z")
        slack_clock.advance(60)
        run_tick(now, services.settings, services.store, bot.client)

        calls = list_calls(bot)
        assert calls[PAGES_PER_TICK].args.get("cursor") == saved
        assert services.store.sync_cursors.current(SYNC_KEY).pages == 2 * PAGES_PER_TICK
    finally:
        services.store.close()


def test_an_invalid_cursor_starts_the_pass_again(bot: Bot, slack_clock: ManualClock) -> None:
    tick(bot, slack_clock, "2026-12-03T12:00Z")
    bot.standin.fail_next("users.list", status=200, error="invalid_cursor")

    tick(bot, slack_clock, "2026-12-03T12:01Z")

    calls = list_calls(bot)
    assert calls[PAGES_PER_TICK].response["error"] == "invalid_cursor"
    assert calls[PAGES_PER_TICK + 1].args.get("cursor") is None, "the first page again"
    state = bot.services.store.sync_cursors.current(SYNC_KEY)
    assert state.running and state.pages == PAGES_PER_TICK - 1
    assert not bot.services.store.outbox.all(f"{FAILED_SYNC_KIND}:12:00"), "no back-off"

    tick_until_synced(bot, slack_clock)
    assert bot.services.store.roster.person(CHI).tz == "America/Chicago"  # type: ignore[union-attr]


def test_a_failed_page_is_tried_again_from_the_same_cursor_after_a_wait(
    bot: Bot, slack_clock: ManualClock
) -> None:
    tick(bot, slack_clock, "2026-12-03T12:00Z")
    saved = bot.services.store.sync_cursors.current(SYNC_KEY).cursor
    bot.standin.fail_next("users.list", status=503, times=3)  # more than the client's retries

    tick(bot, slack_clock, "2026-12-03T12:01Z")
    for minute in range(2, 30):
        tick(bot, slack_clock, f"2026-12-03T12:{minute:02d}Z")
    assert len(list_calls(bot)) == PAGES_PER_TICK + 3, "waits before trying again"

    tick(bot, slack_clock, "2026-12-03T12:30Z")
    assert list_calls(bot)[PAGES_PER_TICK + 3].args.get("cursor") == saved


def test_a_shutdown_pauses_the_pass_at_the_saved_cursor(
    bot: Bot, slack_clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    tick(bot, slack_clock, "2026-12-03T12:00Z")
    saved = bot.services.store.sync_cursors.current(SYNC_KEY).cursor
    stop = threading.Event()
    stop.set()

    with caplog.at_level(logging.INFO, logger="bot.directory"):
        now = bot.clock.set("2026-12-03T12:01Z")
        run_tick(now, bot.services.settings, bot.services.store, bot.client, stop)

    assert len(list_calls(bot)) == PAGES_PER_TICK, "no page read once stopping"
    assert f"Directory sync paused for shutdown after {PAGES_PER_TICK} pages" in caplog.text
    tick(bot, slack_clock, "2026-12-03T12:02Z")
    assert list_calls(bot)[PAGES_PER_TICK].args.get("cursor") == saved


def test_a_rate_limited_page_ends_the_share_without_sleeping(
    bot: Bot, slack_clock: ManualClock
) -> None:
    tick(bot, slack_clock, "2026-12-03T21:00Z")
    saved = bot.services.store.sync_cursors.current(SYNC_KEY).cursor
    bot.standin.fail_next("users.list", status=429, retry_after=30)

    report = tick(bot, slack_clock, "2026-12-03T21:30Z")

    assert report.sent == {"prompt": 3}
    assert len(list_calls(bot)) == PAGES_PER_TICK + 1, "the 429 was not waited out and retried"
    assert list_calls(bot)[-1].status == 429
    tick(bot, slack_clock, "2026-12-03T21:31Z")
    assert list_calls(bot)[PAGES_PER_TICK + 1].args.get("cursor") == saved


def test_a_rate_limited_users_info_ends_the_lookups_without_sleeping(
    bot: Bot, slack_clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    # Two reps users.list does not return (as with guests); users.info is busy.
    for user_id in (OMAR, CHI):
        del bot.standin.workspace.users[user_id]
    bot.standin.fail_next("users.info", status=429, retry_after=30)

    with caplog.at_level(logging.WARNING, logger="bot.directory"):
        tick(bot, slack_clock, "2026-12-03T21:00Z")
        tick_until_synced(bot, slack_clock)

    lookups = bot.standin.calls_to("users.info")
    assert [call.status for call in lookups] == [429], "one refused call, no retry, no second"
    assert "users.info is rate-limited; 2 people users.list did not return" in caplog.text
    assert not bot.services.store.sync_cursors.current(SYNC_KEY).running, "the pass ended"


def test_two_workers_never_read_the_same_page(
    bot: Bot, slack_clock: ManualClock, database_url: str
) -> None:
    other = open_services(bot.services.settings, database_url, clock=bot.clock)
    now = bot.clock.set("2026-12-03T12:00Z")
    start = threading.Barrier(2)

    def worker(services: Services) -> None:
        start.wait()
        run_tick(now, services.settings, services.store, bot.client)

    try:
        threads = [threading.Thread(target=worker, args=(s,)) for s in (bot.services, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.store.close()

    cursors = [call.args.get("cursor") for call in list_calls(bot)]
    assert len(cursors) == len(set(cursors)) >= PAGES_PER_TICK
    assert bot.services.store.sync_cursors.current(SYNC_KEY).pages == len(cursors)


def test_the_sync_waits_for_the_cache_to_go_stale(bot: Bot, slack_clock: ManualClock) -> None:
    tick(bot, slack_clock, "2026-12-03T12:00Z")
    tick_until_synced(bot, slack_clock)
    spent = len(list_calls(bot))

    tick(bot, slack_clock, "2026-12-04T11:00Z")
    assert len(list_calls(bot)) == spent, "synced within directory_sync_hours"

    tick(bot, slack_clock, "2026-12-04T12:30Z")
    assert len(list_calls(bot)) == spent + PAGES_PER_TICK
    assert bot.services.store.sync_cursors.current(SYNC_KEY).started_at.date() == date(2026, 12, 4)  # type: ignore[union-attr]
