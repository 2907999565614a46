"""Managers end to end: weekly report with charts, alerts, /stats and App Home, over HTTP."""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib.image
import pytest

from bot.runtime import team_specs
from bot.tick import TickReport, run_tick
from tests.conftest import Bot, wait_until

GRACE = "U01MGR0001"  # East's manager, New York
NIA, OMAR, PRIYA = "U01REP0001", "U01REP0002", "U01REP0003"
MONDAY = date(2026, 11, 30)


def seed_history(bot: Bot, weeks: int = 6, slump_from: date | None = None) -> None:
    """East's reps log steadily; Omar slumps from `slump_from`; Priya stops checking in."""
    store = bot.services.store
    settings = bot.services.settings
    start = MONDAY - timedelta(weeks=weeks)
    store.roster.sync_config(team_specs(settings), settings.admins, start)
    days: dict[tuple[str, date], dict[tuple[str, str], int]] = {}
    day = start
    while day < MONDAY + timedelta(days=3):
        if day.weekday() < 5 and day != date(2026, 11, 26):
            for rep in (NIA, OMAR, PRIYA):
                if rep == PRIYA and day >= MONDAY - timedelta(days=7):
                    continue
                calls = 3 if rep == OMAR and slump_from and day >= slump_from else 12
                days[rep, day] = {
                    ("cold_call", "no_answer"): calls - 2,
                    ("cold_call", "connected"): 1,
                    ("demo", "meeting_booked"): 1,
                }
        day += timedelta(days=1)
    store.entries.import_days(days, changed_by="test", source="import", now=bot.clock.now)


def test_weekly_report_with_real_png_charts(bot: Bot) -> None:
    seed_history(bot)
    report = bot.tick("2026-11-30T13:05Z")  # Monday 08:05 in New York

    assert report.sent.get("weekly_report") == 2  # East (New York) and EMEA (London)
    summary = next(m for m in bot.standin.dm_messages(GRACE) if m.get("blocks"))
    assert "East" in summary["text"] and "2026-W48" in str(summary["blocks"])

    uploads = bot.standin.uploads(GRACE)
    assert len(uploads) == 4
    for upload in uploads:
        assert upload.content and upload.content.startswith(b"\x89PNG")
        height, width = matplotlib.image.imread(io.BytesIO(upload.content)).shape[:2]
        assert 600 <= width <= 2000 and 250 <= height <= 2000
        assert upload.alt_txt and "2026-W48" in upload.title

    again = bot.tick("2026-11-30T13:06Z")
    assert "weekly_report" not in again.sent
    assert len(bot.standin.uploads(GRACE)) == 4


def test_a_saturday_report_covers_the_week_just_worked(bot: Bot) -> None:
    seed_history(bot)
    example = bot.services.settings
    reports = example.reports.model_copy(update={"weekday": "sat"})
    settings = example.model_copy(update={"reports": reports})

    def tick(when: str) -> TickReport:
        return run_tick(bot.clock.set(when), settings, bot.services.store, bot.client)

    assert "weekly_report" not in tick("2026-12-04T13:05Z").sent  # Friday
    report = tick("2026-12-05T13:05Z")  # Saturday 08:05 in New York

    assert report.sent.get("weekly_report") == 2
    summary = next(m for m in bot.standin.dm_messages(GRACE) if m.get("blocks"))
    assert "2026-W49" in str(summary["blocks"]) and "2026-W48" not in str(summary["blocks"])


def test_charts_that_failed_to_upload_follow_on_the_next_tick(bot: Bot) -> None:
    seed_history(bot)
    # More 5xx answers than the client's retries: the upload fails for this tick.
    bot.standin.fail_next("files.getUploadURLExternal", status=500, times=3)

    first = bot.tick("2026-11-30T13:05Z")
    assert first.sent.get("weekly_report") == 2
    assert bot.standin.uploads(GRACE) == []

    bot.tick("2026-11-30T13:06Z")
    assert len(bot.standin.uploads(GRACE)) == 4
    summaries = [m for m in bot.standin.dm_messages(GRACE) if m.get("blocks")]
    assert len(summaries) == 1, "the summary itself is not sent again"

    bot.tick("2026-11-30T13:07Z")
    assert len(bot.standin.uploads(GRACE)) == 4


def test_reports_beyond_a_ticks_budget_wait_for_the_next_tick(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_history(bot)
    seconds = iter(range(0, 10_000, 30))  # every look at the clock: 30 s more have gone
    monkeypatch.setattr("bot.send_reports.monotonic", lambda: float(next(seconds)))

    first = bot.tick("2026-11-30T16:05Z")  # Monday morning for all three managers
    second = bot.tick("2026-11-30T16:06Z")
    third = bot.tick("2026-11-30T16:07Z")
    fourth = bot.tick("2026-11-30T16:08Z")

    assert [t.sent.get("weekly_report") for t in (first, second, third)] == [1, 1, 1]
    assert fourth.sent.get("weekly_report") is None
    managers = {"U01MGR0001", "U01MGR0002", "U01MGR0003"}
    assert all(bot.standin.uploads(m) for m in managers)


def test_alerts_reach_the_manager_once(bot: Bot) -> None:
    seed_history(bot, slump_from=MONDAY - timedelta(days=7))
    bot.tick("2026-12-02T12:00Z")
    bot.tick("2026-12-03T00:45Z")  # Wednesday 19:45 in New York: after the alert time

    texts = [m["text"] for m in bot.standin.dm_messages(GRACE)]
    assert any("Person 0002" in text and "below usual" in text for text in texts), texts
    assert any("Person 0003" in text and "missed check-ins" in text for text in texts), texts
    sent = len(bot.standin.dm_messages(GRACE))

    bot.tick("2026-12-03T00:50Z")
    bot.tick("2026-12-04T00:45Z")  # the next evening: same alerts are in their cool-down
    assert len(bot.standin.dm_messages(GRACE)) == sent

    records = bot.services.store.alerts.since(date(2026, 12, 1))
    assert records and all(r.sent_at is not None for r in records)
    assert {r.manager_id for r in records} == {GRACE}


def test_manager_home_shows_compliance_and_open_alerts(bot: Bot) -> None:
    seed_history(bot, slump_from=MONDAY - timedelta(days=7))
    bot.tick("2026-12-03T00:45Z")
    bot.clock.set("2026-12-03T15:00Z")

    bot.driver.open_home(GRACE)
    home = wait_until(lambda: bot.standin.home_view(GRACE))
    text = str(home["blocks"])
    assert "Open alerts" in text and "checked in" in text and OMAR in text


@pytest.mark.parametrize(
    ("asker", "text", "allowed"),
    [
        (NIA, "", True),
        (NIA, f"<@{OMAR}|omar>", False),
        (NIA, "team", False),
        (GRACE, f"<@{OMAR}|omar> 30d", True),
        (GRACE, "team East week", True),
        (GRACE, "team West", False),
        (GRACE, "<@U01REP0004>", False),
        ("U01ADMIN01", "team West month", True),
        ("U01ADMIN01", "<@U01REP0007> 2026-W48", True),
        ("U09STRANGER", "", False),
    ],
)
def test_stats_authorization_both_ways(bot: Bot, asker: str, text: str, allowed: bool) -> None:
    seed_history(bot)
    bot.clock.set("2026-12-02T18:00Z")

    answer = bot.driver.slash_command(asker, "/stats", text)

    assert answer.status == 200
    if not allowed:
        assert "Crunching" not in answer.text
        assert bot.standin.uploads(asker) == []
        return
    assert "Crunching" in answer.text
    final = wait_until(
        lambda: [e for e in bot.standin.ephemerals(asker) if e["source"] == "response_url"]
    )
    assert "calls" in final[-1]["text"].lower()
    if "U01REP0007" in text or "West" in text:
        return  # only East has history here: numbers, but no chart of nothing
    charts = wait_until(lambda: bot.standin.uploads(asker))
    assert charts and charts[0].content.startswith(b"\x89PNG")
