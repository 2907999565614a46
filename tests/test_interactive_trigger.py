"""Calls bound to a trigger_id go out once: a busy Slack gets the person a line, not silence."""

from __future__ import annotations

import urllib.error
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.listeners.actions import BUSY as BUSY_CLICK
from bot.listeners.commands import BUSY as BUSY_COMMAND
from tests.conftest import Bot, wait_until

NIA = "U01REP0001"


def views_open_answers(bot: Bot) -> list[tuple[int, Any]]:
    return [
        (call.status, call.response.get("error")) for call in bot.standin.calls_to("views.open")
    ]


def ephemeral_texts(bot: Bot, user_id: str) -> list[str]:
    return [entry["text"] for entry in bot.standin.ephemerals(user_id)]


def home_button_block(bot: Bot, user_id: str) -> str:
    """The block_id Slack gave the Home tab's Log button."""
    bot.driver.open_home(user_id)
    home = wait_until(lambda: bot.standin.home_view(user_id))
    for block in home["blocks"]:
        if any(e.get("action_id") == "open_checkin" for e in block.get("elements", [])):
            return str(block["block_id"])
    raise AssertionError("the Home tab has no Log button")


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 429, "retry_after": 4},
        {"status": 200, "error": "expired_trigger_id"},
        {"status": 503},
    ],
)
def test_a_click_while_slack_is_busy_is_answered_and_not_retried(
    bot: Bot, fault: dict[str, Any]
) -> None:
    bot.tick("2026-12-03T21:30Z")
    prompt = bot.last_dm(NIA)
    bot.standin.fail_next("views.open", **fault)

    assert bot.driver.click(NIA, prompt, "open_checkin").status == 200

    assert wait_until(lambda: BUSY_CLICK in ephemeral_texts(bot, NIA))
    assert [status for status, _ in views_open_answers(bot)] == [fault["status"]]
    assert bot.standin.open_view(NIA) is None

    bot.driver.click(NIA, prompt, "open_checkin")
    assert wait_until(lambda: bot.standin.open_view(NIA))
    assert ephemeral_texts(bot, NIA) == [BUSY_CLICK]


def test_checkin_while_slack_is_busy_says_to_run_it_again(bot: Bot) -> None:
    bot.clock.set("2026-12-03T22:00Z")
    bot.standin.fail_next("views.open", status=429, retry_after=4)

    assert bot.driver.slash_command(NIA, "/checkin").ok

    answers = wait_until(
        lambda: [e for e in bot.standin.ephemerals(NIA) if e["source"] == "response_url"]
    )
    assert [answer["text"] for answer in answers] == [BUSY_COMMAND]
    assert views_open_answers(bot) == [(429, "ratelimited")]
    assert bot.standin.open_view(NIA) is None


def test_checkin_when_slack_cannot_be_reached_says_to_run_it_again(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(self: WebClient, **kwargs: Any) -> None:
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr(WebClient, "views_open", unreachable)
    bot.clock.set("2026-12-03T22:00Z")

    bot.driver.slash_command(NIA, "/checkin")

    assert wait_until(lambda: BUSY_COMMAND in ephemeral_texts(bot, NIA))


def test_a_click_on_the_home_tab_while_slack_is_busy_is_answered_in_the_dm(bot: Bot) -> None:
    bot.clock.set("2026-12-03T22:00Z")
    block_id = home_button_block(bot, NIA)
    bot.standin.fail_next("views.open", status=429, retry_after=4)

    assert bot.driver.view_action(NIA, block_id, "open_checkin", home=True).status == 200

    assert wait_until(lambda: [m["text"] for m in bot.standin.dm_messages(NIA)] == [BUSY_CLICK])
    assert ephemeral_texts(bot, NIA) == []
    assert views_open_answers(bot) == [(429, "ratelimited")]
    posted = bot.standin.calls_to("chat.postMessage")[-1]
    assert posted.args["channel"] == NIA and posted.response["ok"]
