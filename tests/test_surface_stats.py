"""/stats and the weekly report as people use them: never stuck, never silent, names as typed."""

from __future__ import annotations

import logging
import urllib.error
from datetime import date, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.blocks.stats import CHART_IN_DM
from bot.listeners.stats import CHART_NOT_SENT, FAILED, WORKING
from bot.runtime import team_specs
from bot.settings import Settings
from bot.stats_request import StatsRefused, parse_stats
from tests.conftest import Bot, example_with_team, wait_until

MANAGER, WEST_MANAGER, ADMIN = "U01MGR0001", "U01MGR0002", "U01ADMIN01"
NIA, OMAR = "U01REP0001", "U01REP0002"
MONDAY = date(2026, 11, 30)
WEST = "R&D <West>"  # Slack sends it in command text as "R&amp;D &lt;West&gt;"
PEOPLES_DM = "D0PEOPLE0001"  # a DM between two people: the bot is not in it


@pytest.fixture(scope="module")
def settings() -> Settings:
    """The example app.yaml with West renamed to hold the characters Slack escapes."""
    return example_with_team("West", name=WEST)


def seed_week(bot: Bot) -> None:
    """East's reps log 12 calls a workday over the last two weeks, up to Wednesday."""
    store, settings = bot.services.store, bot.services.settings
    store.roster.sync_config(team_specs(settings), settings.admins, MONDAY - timedelta(weeks=2))
    days = {
        (rep, MONDAY + timedelta(days=offset)): {("cold_call", "no_answer"): 12}
        for rep in (NIA, OMAR)
        for offset in range(-14, 3)
        if (MONDAY + timedelta(days=offset)).weekday() < 5
    }
    store.entries.import_days(days, changed_by="test", source="import", now=bot.clock.now)


def stats(bot: Bot, asker: str, text: str = "", **where: Any) -> list[dict[str, Any]]:
    """Type /stats and wait for the lazy answers; every ephemeral after the ack."""
    ack = bot.driver.slash_command(asker, "/stats", text, **where)
    assert ack.status == 200 and WORKING in ack.text
    answers = wait_until(
        lambda: [e for e in bot.standin.ephemerals(asker) if e["source"] == "response_url"]
    )
    assert answers, "no answer reached the asker through the response_url"
    return answers


def wait_for_chart_or_note(bot: Bot, asker: str) -> None:
    wait_until(
        lambda: (
            bot.standin.uploads(asker)
            or any(e["text"] == CHART_NOT_SENT for e in bot.standin.ephemerals(asker))
        )
    )


# Names with dollar signs (mathtext) --------------------------------------------------------


def test_a_dollar_name_gets_numbers_and_chart(bot: Bot) -> None:
    bot.driver.user_change(NIA, real_name="Kevin $^_^$")
    seed_week(bot)
    bot.clock.set("2026-12-02T18:00Z")

    answers = stats(bot, NIA)

    assert "36 calls" in answers[0]["text"]  # Mon to Wed, 12 a day
    chart = wait_until(lambda: bot.standin.uploads(NIA))
    assert chart and chart[0].content.startswith(b"\x89PNG")
    assert "Kevin $^_^$" in chart[0].title


def test_weekly_report_goes_out_with_dollar_names(bot: Bot) -> None:
    bot.standin.update_user(NIA, real_name="Cash $$")
    bot.standin.update_user(OMAR, real_name="Bill $$ (AE)")
    seed_week(bot)

    report = bot.tick("2026-11-30T13:05Z")  # Monday 08:05 in New York

    assert report.sent.get("weekly_report") == 2
    uploads = bot.standin.uploads(MANAGER)
    assert len(uploads) == 4
    assert any("Cash $$" in upload.alt_txt for upload in uploads if upload.alt_txt)


# Never left at "Crunching the numbers…" ----------------------------------------------------


def test_an_unexpected_error_is_logged_and_said_in_one_line(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the numbers fell over")

    monkeypatch.setattr("bot.listeners.stats.compute_stats", broken)

    with caplog.at_level(logging.ERROR, logger="bot.listeners.stats"):
        answers = stats(bot, MANAGER, "team")

    assert [answer["text"] for answer in answers] == [FAILED]
    assert "Could not answer /stats 'team' from U01MGR0001" in caplog.text
    assert "the numbers fell over" in caplog.text  # the traceback is in the log


# The chart reaches the bot's DM, or the asker hears it could not -------------------------


def test_stats_typed_in_a_dm_between_two_people_sends_the_chart_to_the_bots_dm(
    bot: Bot,
) -> None:
    seed_week(bot)
    bot.clock.set("2026-12-02T18:00Z")

    stats(bot, NIA, channel_id=PEOPLES_DM)
    wait_for_chart_or_note(bot, NIA)
    stats(bot, NIA, "last week", channel_id=PEOPLES_DM)
    wait_until(lambda: len(bot.standin.uploads(NIA)) == 2)

    assert len(bot.standin.uploads(NIA)) == 2
    assert bot.standin.uploads(PEOPLES_DM) == []
    assert CHART_NOT_SENT not in [e["text"] for e in bot.standin.ephemerals(NIA)]
    answers = [e for e in bot.standin.ephemerals(NIA) if e["source"] == "response_url"]
    assert all(CHART_IN_DM in str(answer["blocks"]) for answer in answers)
    opened = bot.standin.calls_to("conversations.open")
    assert len(opened) == 1, "the bot's DM is opened once and remembered"


def test_stats_typed_in_the_bots_dm_needs_no_pointer_to_the_chart(bot: Bot) -> None:
    seed_week(bot)
    bot.clock.set("2026-12-02T18:00Z")

    answers = stats(bot, NIA)
    wait_for_chart_or_note(bot, NIA)

    assert bot.standin.uploads(NIA)
    assert CHART_IN_DM not in str(answers[0]["blocks"])


def test_a_dm_slack_will_not_open_still_gets_the_numbers(bot: Bot) -> None:
    seed_week(bot)
    bot.clock.set("2026-12-02T18:00Z")
    bot.standin.fail_next("conversations.open", status=200, error="user_disabled")

    stats(bot, NIA, channel_id=PEOPLES_DM)
    wait_for_chart_or_note(bot, NIA)

    texts = [e["text"] for e in bot.standin.ephemerals(NIA) if e["source"] == "response_url"]
    assert "36 calls" in texts[0] and texts[-1] == CHART_NOT_SENT
    assert CHART_IN_DM not in str(bot.standin.ephemerals(NIA)[0].get("blocks"))
    assert bot.standin.uploads(NIA) == []


def test_a_chart_slack_refuses_is_reported_in_one_line(bot: Bot) -> None:
    seed_week(bot)
    bot.clock.set("2026-12-02T18:00Z")
    # More 5xx answers than the client's retries: the upload fails.
    bot.standin.fail_next("files.completeUploadExternal", status=500, times=3)

    answers = stats(bot, NIA)
    wait_for_chart_or_note(bot, NIA)

    assert "36 calls" in answers[0]["text"]
    assert [e["text"] for e in bot.standin.ephemerals(NIA)][-1] == CHART_NOT_SENT


def test_a_chart_whose_upload_url_fails_is_reported_in_one_line(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(self: WebClient, **kwargs: object) -> None:
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr(WebClient, "files_upload_v2", unreachable)
    seed_week(bot)
    bot.clock.set("2026-12-02T18:00Z")

    stats(bot, NIA)
    wait_for_chart_or_note(bot, NIA)

    assert [e["text"] for e in bot.standin.ephemerals(NIA)][-1] == CHART_NOT_SENT


# Team names with &, < and > ----------------------------------------------------------------


def test_a_team_name_with_escaped_characters_is_found(bot: Bot) -> None:
    answers = stats(bot, WEST_MANAGER, "team r&d <west> last week")

    assert answers[0]["text"].startswith("Stats for R&amp;D &lt;West&gt;, last week")


def test_an_unknown_team_is_quoted_once_escaped(settings: Settings) -> None:
    with pytest.raises(StatsRefused) as refused:
        parse_stats("team R&amp;D", asker=ADMIN, settings=settings, today=MONDAY)

    assert "no team called `R&amp;D`" in str(refused.value)
    assert "&amp;amp;" not in str(refused.value)


def test_a_bare_escaped_team_name_gets_the_hint(settings: Settings) -> None:
    with pytest.raises(StatsRefused) as refused:
        parse_stats("r&amp;d &lt;west&gt;", asker=ADMIN, settings=settings, today=MONDAY)

    assert "`/stats team r&amp;d &lt;west&gt;`" in str(refused.value)
