"""A person who writes to the bot's DM hears, in one line, where their words are understood."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.blocks.replies import not_on_a_team
from bot.listeners.events import handle_direct_message
from bot.settings import Settings
from tests.conftest import Bot, wait_until

NIA, MANAGER, ADMIN, STRANGER = "U01REP0001", "U01MGR0001", "U01ADMIN01", "U09STRANGER"


def dm_event(bot: Bot, user_id: str, text: str, **extra: Any) -> dict[str, Any]:
    """A message.im event shaped like the one captured from live Slack (mercury-slack-web)."""
    ts = f"{time.time():.6f}"
    return {
        "client_msg_id": "1efd76a1-5075-4c2c-ad38-1284820b429f",
        "type": "message",
        "text": text,
        "user": user_id,
        "ts": ts,
        "team": bot.standin.team_id,
        "channel": bot.standin.dm_channel(user_id),
        "event_ts": ts,
        "channel_type": "im",
        **extra,
    }


def replies(bot: Bot, user_id: str) -> list[str]:
    return [message["text"] for message in bot.standin.dm_messages(user_id)]


def test_a_rep_who_answers_the_check_in_in_words_is_shown_how_to_log(bot: Bot) -> None:
    answer = bot.driver.send_event(dm_event(bot, NIA, "12 cold calls"))

    assert answer.status == 200
    texts = wait_until(lambda: replies(bot, NIA))
    assert len(texts) == 1
    assert "nothing was logged" in texts[0]
    assert "*Log today's calls*" in texts[0]
    assert "`/checkin 12 cold_call no_answer`" in texts[0]


@pytest.mark.parametrize(
    ("user_id", "says"),
    [(MANAGER, "`/stats`"), (ADMIN, "`/stats`"), (STRANGER, not_on_a_team()["text"])],
)
def test_managers_admins_and_strangers_get_their_own_line(
    bot: Bot, user_id: str, says: str
) -> None:
    bot.driver.send_event(dm_event(bot, user_id, "hello?"))

    texts = wait_until(lambda: replies(bot, user_id))
    assert len(texts) == 1 and says in texts[0]


@pytest.mark.parametrize(
    "extra",
    [
        {"subtype": "message_changed", "hidden": True},
        {"subtype": "file_share"},
        {"bot_id": "B0SOMEBOT1"},
        {"channel_type": "channel"},
    ],
)
def test_edits_file_shares_bots_and_channels_get_no_answer(
    bot: Bot, settings: Settings, extra: dict[str, Any]
) -> None:
    handle_direct_message(dm_event(bot, NIA, "12 cold calls", **extra), bot.client, settings)

    assert bot.standin.calls_to("chat.postMessage") == []


def test_a_reply_in_a_thread_is_answered_in_that_thread(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")  # Nia's check-in, 16:30 in New York
    prompt = bot.last_dm(NIA)

    bot.driver.send_event(dm_event(bot, NIA, "did 12 today", thread_ts=prompt["ts"]))

    reply = wait_until(lambda: [m for m in bot.standin.dm_messages(NIA) if m.get("thread_ts")])
    assert reply and reply[0]["thread_ts"] == prompt["ts"]
    assert "nothing was logged" in reply[0]["text"]
