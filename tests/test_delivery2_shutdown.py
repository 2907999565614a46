"""A shutdown request (SIGTERM) during a tick's alerts or reports: nothing more is started."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest

from bot.send_alerts import ALERT_RUN
from bot.tick import TickReport, run_tick
from tests.conftest import Bot
from tests.test_e2e_managers import seed_history


def tick_with(bot: Bot, when: str, stop: threading.Event) -> TickReport:
    now = bot.clock.set(when)
    return run_tick(now, bot.services.settings, bot.services.store, bot.client, stop)


def test_a_shutdown_during_an_alert_run_claims_no_other_run(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import send_alerts

    stop = threading.Event()
    evaluated: list[str] = []

    def quiet_then_stopped(dataset: Any, settings: Any, team: Any, today: date) -> list[Any]:
        evaluated.append(team.name)
        stop.set()  # SIGTERM arrives while the first manager's rules run
        return []

    monkeypatch.setattr(send_alerts, "evaluate_alerts", quiet_then_stopped)
    tick_with(bot, "2026-12-04T03:31Z", stop)  # after 19:30 in New York and Los Angeles

    runs = [m for m in bot.services.store.outbox.all(ALERT_RUN)]
    assert len(evaluated) == 1 and len(runs) == 1, "the run under way ends; no other starts"

    stop.clear()
    tick_with(bot, "2026-12-04T03:32Z", stop)
    assert len(bot.services.store.outbox.all(ALERT_RUN)) == 2, "the next tick runs the rest"


def test_a_shutdown_during_a_report_builds_no_other_report(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import send_reports

    seed_history(bot)
    stop = threading.Event()
    built: list[str] = []
    real_build = send_reports.build_team_report

    def counted(dataset: Any, settings: Any, team: Any, monday: date) -> Any:
        built.append(team.name)
        return real_build(dataset, settings, team, monday)

    real_upload = bot.client.files_upload_v2

    def upload_then_stopped(**kwargs: Any) -> Any:
        stop.set()  # SIGTERM arrives while the first report's charts upload
        return real_upload(**kwargs)

    monkeypatch.setattr(send_reports, "build_team_report", counted)
    monkeypatch.setattr(bot.client, "files_upload_v2", upload_then_stopped)
    report = tick_with(bot, "2026-11-30T16:05Z", stop)  # Monday morning for all three managers

    assert len(built) == 1, "the report under way (summary and charts) ends; no other is built"
    assert report.sent.get("weekly_report") == 1

    monkeypatch.setattr(bot.client, "files_upload_v2", real_upload)
    stop.clear()
    assert tick_with(bot, "2026-11-30T16:06Z", stop).sent.get("weekly_report") == 2
