"""Faults during a tick: a timeout, a failing job, a failing directory sync or upload.

Each one is logged, the message it hit is retried on a later tick, and the rest of the
tick still goes out.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pytest

from bot.sandbox.faults import DROPPED
from bot.send_alerts import ALERT_RUN
from bot.send_reports import charts_kind
from storage.outbox import FAILED, SENT, SKIPPED
from tests.conftest import Bot
from tests.test_e2e_managers import seed_history

NIA, OMAR = "U01REP0001", "U01REP0002"
GRACE, MARCO, EMMA = "U01MGR0001", "U01MGR0002", "U01MGR0003"
LA_REPS = {"U01REP0004", "U01REP0005"}
DAY = date(2026, 12, 3)


def test_a_dropped_connection_fails_one_prompt_and_the_tick_goes_on(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.tick("2026-12-03T12:00Z")  # syncs the directory
    bot.standin.fail_next("chat.postMessage", status=DROPPED)

    with caplog.at_level(logging.WARNING):
        report = bot.tick("2026-12-03T21:30Z")

    rep, other = (NIA, OMAR) if not bot.standin.dm_messages(NIA) else (OMAR, NIA)
    assert report.sent == {"prompt": 1} and report.failed == 1
    assert not bot.standin.dm_messages(rep) and len(bot.standin.dm_messages(other)) == 1
    row = bot.services.store.outbox.find("prompt", rep, DAY)
    assert row is not None and row.status == FAILED and "RemoteDisconnected" in (row.detail or "")
    assert any(
        rep in r.getMessage() and "RemoteDisconnected" in r.getMessage() for r in caplog.records
    )

    assert bot.tick("2026-12-03T21:31Z").sent == {"prompt": 1}
    assert len(bot.standin.dm_messages(NIA)) == 1 and len(bot.standin.dm_messages(OMAR)) == 1


def test_a_failing_job_does_not_hold_back_the_others(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the check-ins")

    monkeypatch.setattr("bot.send_checkins.weeks_progress", broken)

    with caplog.at_level(logging.ERROR):
        bot.tick("2026-12-04T00:30Z")  # Los Angeles' 16:30 and New York's 19:30 alerts

    assert not any(bot.standin.dm_messages(rep) for rep in LA_REPS)
    run = bot.services.store.outbox.find(ALERT_RUN, GRACE, DAY)
    assert run is not None and run.status == SENT, "the alerts still ran"
    assert any(r.exc_info and "send_checkins" in r.getMessage() for r in caplog.records)

    monkeypatch.undo()
    # Los Angeles' two reps, and Denver's whose 16:30 was an hour ago.
    assert bot.tick("2026-12-04T00:31Z").sent.get("prompt") == 3, "sent on the next tick"
    assert all(bot.standin.dm_messages(rep) for rep in LA_REPS)


def test_a_failing_alert_run_spares_other_managers_and_is_retried(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import send_alerts

    real = send_alerts.evaluate_alerts

    def broken_for_east(dataset: Any, settings: Any, team: Any, today: date) -> Any:
        if team.name == "East":
            raise RuntimeError("a bug in a rule")
        return real(dataset, settings, team, today)

    monkeypatch.setattr(send_alerts, "evaluate_alerts", broken_for_east)
    bot.tick("2026-12-04T03:31Z")  # after 19:30 in New York and in Los Angeles

    store = bot.services.store
    assert store.outbox.find(ALERT_RUN, MARCO, DAY).status == SENT  # type: ignore[union-attr]
    assert store.outbox.find(ALERT_RUN, GRACE, DAY).status == FAILED  # type: ignore[union-attr]

    monkeypatch.undo()
    bot.tick("2026-12-04T03:32Z")
    assert store.outbox.find(ALERT_RUN, GRACE, DAY).status == SENT  # type: ignore[union-attr]


def test_a_failing_report_spares_the_other_managers(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import send_reports

    seed_history(bot)
    real = send_reports.build_team_report

    def broken_for_east(dataset: Any, settings: Any, team: Any, monday: date) -> Any:
        if team.name == "East":
            raise RuntimeError("a bug in the report")
        return real(dataset, settings, team, monday)

    monkeypatch.setattr(send_reports, "build_team_report", broken_for_east)
    assert bot.tick("2026-11-30T13:05Z").sent.get("weekly_report") == 1  # EMEA's
    assert len(bot.standin.uploads(EMMA)) == 4 and not bot.standin.dm_messages(GRACE)

    monkeypatch.undo()
    assert bot.tick("2026-11-30T13:06Z").sent.get("weekly_report") == 1  # East's
    assert len(bot.standin.uploads(GRACE)) == 4


def test_a_failed_directory_sync_does_not_stop_the_prompts(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    # More 5xx answers than the client's retries.
    bot.standin.fail_next("users.list", status=503, times=3)

    with caplog.at_level(logging.WARNING):
        report = bot.tick("2026-12-03T21:30Z")

    # Nobody's Slack time zone is known yet: East's three reps use the team's New York.
    assert report.sent == {"prompt": 3}
    assert any("users.list" in r.getMessage() for r in caplog.records)


def test_a_failed_directory_sync_is_not_retried_every_minute(bot: Bot) -> None:
    bot.standin.fail_next("users.list", status=200, error="missing_scope")
    bot.tick("2026-12-03T21:30Z")
    assert len(bot.standin.calls_to("users.list")) == 1

    for minute in range(31, 60):
        bot.tick(f"2026-12-03T21:{minute}Z")
    assert len(bot.standin.calls_to("users.list")) == 1, "backs off for at least 15 minutes"

    bot.tick("2026-12-03T22:00Z")
    assert len(bot.standin.calls_to("users.list")) == 2
    assert bot.services.store.roster.person(NIA).tz == "America/New_York"  # type: ignore[union-attr]
    bot.tick("2026-12-03T22:01Z")
    assert len(bot.standin.calls_to("users.list")) == 2, "synced: not asked again"


def test_charts_whose_upload_post_fails_are_retried(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.sandbox.server as server

    seed_history(bot)
    real = server.receive_upload
    answers = []

    def unavailable_once(ctx: Any, key: str, content: bytes) -> tuple[int, str]:
        answers.append(key)
        return (503, "unavailable") if len(answers) == 1 else real(ctx, key, content)

    monkeypatch.setattr(server, "receive_upload", unavailable_once)
    first = bot.tick("2026-11-30T13:05Z")

    assert first.sent.get("weekly_report") == 2
    week_48 = date(2026, 11, 23)  # the week the Monday report is about
    rows = [
        bot.services.store.outbox.find(charts_kind(team), manager, week_48)
        for team, manager in (
            (bot.services.settings.teams[0], GRACE),
            (bot.services.settings.teams[2], EMMA),
        )
    ]
    assert sorted(row.status for row in rows if row) == [FAILED, SENT]

    bot.tick("2026-11-30T13:06Z")
    assert len(bot.standin.uploads(GRACE)) == 4 and len(bot.standin.uploads(EMMA)) == 4


def test_a_shutdown_still_ends_the_tick_at_once(bot: Bot) -> None:
    import threading

    from bot.tick import run_tick

    stop = threading.Event()
    stop.set()  # SIGTERM arrived as the tick began
    now = bot.clock.set("2026-12-04T00:30Z")  # Los Angeles' prompts and New York's alerts

    report = run_tick(now, bot.services.settings, bot.services.store, bot.client, stop)

    assert report.sent == {} and report.failed == 0
    claimed = [m.kind for m in bot.services.store.outbox.all() if m.status != SKIPPED]
    assert claimed == [], "nothing claimed, and the alerts after the check-ins did not run"
