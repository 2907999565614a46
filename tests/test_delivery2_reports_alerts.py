"""Reports and alerts that fail are tried a few times, then given up in one clear line.

A report that cannot be built is not rebuilt every minute of the report day; charts are
retried only when their upload was recorded as failed; alerts already decided wait for no
pacing turn.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pytest

from bot.send_reports import charts_kind, report_kind
from storage.outbox import GIVEN_UP, SENT
from tests.conftest import Bot
from tests.test_delivery2_checkins import messages_about, slack_down, slack_up
from tests.test_e2e_managers import seed_history

GRACE, EMMA = "U01MGR0001", "U01MGR0003"
DAY = date(2026, 12, 3)
WEEK_48 = date(2026, 11, 23)  # the week Monday 2026-11-30's report is about


def test_a_report_that_fails_to_build_is_tried_three_times_then_given_up(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot import send_reports

    seed_history(bot)
    real = send_reports.build_team_report
    builds: list[str] = []

    def broken_for_east(dataset: Any, settings: Any, team: Any, monday: date) -> Any:
        builds.append(team.name)
        if team.name == "East":
            raise RuntimeError("a bug in the report")
        return real(dataset, settings, team, monday)

    monkeypatch.setattr(send_reports, "build_team_report", broken_for_east)
    with caplog.at_level(logging.WARNING):
        for minute in range(5, 11):
            bot.tick(f"2026-11-30T13:{minute:02d}Z")

    assert builds.count("East") == 3 and builds.count("EMEA") == 1
    failures = [r for r in caplog.records if "East" in r.getMessage() and r.exc_info]
    assert len(failures) == 3
    assert "the next tick tries again" in failures[0].getMessage()
    assert "given up after 3 attempts" in failures[2].getMessage()
    team = bot.services.settings.teams[0]
    row = bot.services.store.outbox.find(report_kind(team), GRACE, WEEK_48)
    assert (
        row is not None and row.status == GIVEN_UP and "a bug in the report" in (row.detail or "")
    )
    assert len(bot.standin.uploads(EMMA)) == 4


def test_charts_that_fail_to_build_after_the_summary_are_retried_boundedly(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import send_reports

    seed_history(bot)
    bot.standin.fail_next("files.getUploadURLExternal", status=500, times=3)
    bot.tick("2026-11-30T13:05Z")  # East's summary goes out; its charts fail to upload
    assert bot.standin.uploads(GRACE) == []

    builds: list[str] = []

    def broken(dataset: Any, settings: Any, team: Any, monday: date) -> Any:
        builds.append(team.name)
        raise RuntimeError("a bug in the charts")

    monkeypatch.setattr(send_reports, "build_team_report", broken)
    for minute in range(6, 11):
        bot.tick(f"2026-11-30T13:{minute:02d}Z")

    assert builds == ["East", "East"], "the failed upload was the first of three attempts"
    team = bot.services.settings.teams[0]
    row = bot.services.store.outbox.find(charts_kind(team), GRACE, WEEK_48)
    assert row is not None and row.status == GIVEN_UP
    summaries = [m for m in bot.standin.dm_messages(GRACE) if m.get("blocks")]
    assert len(summaries) == 1


def test_charts_of_a_summary_whose_process_died_right_after_it_still_go_out(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import send_reports

    seed_history(bot)
    with monkeypatch.context() as died:
        died.setattr(send_reports, "_upload_charts", lambda *args: None)
        bot.tick("2026-11-30T13:05Z")  # East's summary goes out; the charts are never claimed
    assert bot.standin.uploads(GRACE) == []

    bot.tick("2026-11-30T13:06Z")
    bot.tick("2026-11-30T13:07Z")

    assert len(bot.standin.uploads(GRACE)) == 4
    summaries = [m for m in bot.standin.dm_messages(GRACE) if m.get("blocks")]
    assert len(summaries) == 1


def test_alerts_given_up_take_no_pacing_turn(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.delivery import Messenger

    seed_history(bot, slump_from=date(2026, 11, 23))
    bot.tick("2026-12-02T12:00Z")
    slack_down(bot)
    for minute in (45, 46, 47):  # 23:45 on Wednesday in New York: three tries each
        bot.tick(f"2026-12-03T04:{minute}Z")
    slack_up(bot)
    alerts = [m for m in bot.services.store.outbox.all() if m.kind.startswith("alert:")]
    assert alerts and all(m.status == GIVEN_UP for m in alerts)

    turns: list[float] = []
    real_wait = Messenger.wait_turn

    def counted(self: Messenger) -> None:
        turns.append(1)
        real_wait(self)

    monkeypatch.setattr(Messenger, "wait_turn", counted)
    bot.tick("2026-12-03T04:48Z")  # no check-in is due either

    assert turns == [], "nothing left to post"
    assert all(r.sent_at is None for r in bot.services.store.alerts.since(DAY - timedelta(1)))


def test_an_alert_is_tried_three_times_and_the_last_warning_says_so(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    seed_history(bot, slump_from=date(2026, 11, 23))
    bot.tick("2026-12-02T12:00Z")
    slack_down(bot)
    with caplog.at_level(logging.WARNING):
        for minute in (45, 46, 47, 48):
            bot.tick(f"2026-12-03T04:{minute}Z")

    warnings = messages_about(caplog, "Could not send the alert", GRACE)
    first_alert = warnings[0].split(" to ")[0]
    tries = [w for w in warnings if w.startswith(first_alert + " ")]
    assert len(tries) == 3
    assert "then tries again" in tries[0] and "given up after 3 attempts" in tries[2]
    assert SENT not in {m.status for m in bot.services.store.outbox.all() if "alert:" in m.kind}


def test_a_report_is_not_given_up_while_slack_asks_its_check_to_wait(bot: Bot) -> None:
    """A report has three attempts: a check put off by a 429 must not spend them."""
    seed_history(bot)
    bot.standin.fail_next("chat.postMessage", status=500, after=True)
    bot.tick("2026-11-30T13:05Z")  # East's summary reaches Slack; its answer is lost
    assert len(bot.standin.dm_messages(GRACE)) == 1 and bot.standin.uploads(GRACE) == []

    for minute in range(6, 10):
        bot.standin.fail_next("conversations.history", status=429, retry_after=30)
        assert bot.tick(f"2026-11-30T13:{minute:02d}Z").deferred == 1
    bot.tick("2026-11-30T13:10Z")

    team = bot.services.settings.teams[0]
    row = bot.services.store.outbox.find(report_kind(team), GRACE, WEEK_48)
    assert row is not None and row.status == SENT
    summaries = [m for m in bot.standin.dm_messages(GRACE) if not m.get("files")]
    assert len(summaries) == 1, "found in the DM, not posted again"
    assert len(bot.standin.uploads(GRACE)) == 4, "and its charts followed it"
