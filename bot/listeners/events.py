"""Events: the App Home tab opening, profile changes, and what people write in the bot's DM.

Bolt acks an event once its listener starts, so a listener only queues its Web API calls
as follow-ups (see bot.followups) and returns.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.access import Viewer, viewer
from bot.blocks.replies import not_on_a_team
from bot.directory import apply_user_change
from bot.home import publish_home
from bot.services import Services
from bot.settings import Settings

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            user_id = event["user"]
            services.followups.submit(
                user_id, f"App Home for {user_id}", lambda: publish_home(client, services, user_id)
            )

    @app.event("user_change")
    def user_changed(event: dict[str, Any]) -> None:
        apply_user_change(services.store, event["user"], services.clock())

    @app.event("message")
    def direct_message(event: dict[str, Any], client: WebClient) -> None:
        services.followups.submit(
            event.get("user") or "",
            "an answer to a DM",
            lambda: handle_direct_message(event, client, services.settings),
        )


def handle_direct_message(event: dict[str, Any], client: WebClient, settings: Settings) -> None:
    """A person wrote to the bot's DM: say in one line where their words are understood.

    The bot reads no free text, so a rep who answers a check-in with "12 cold calls" would
    otherwise hear nothing and believe the calls were logged. Edits, file shares, joins and
    bot messages (subtypes, bot_id) are left alone. The answer is posted with the client, not
    Bolt's `say`: in a thread, `say` first reads the thread (conversations.replies) for AI
    assistant context this bot does not use.
    """
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    user_id = event.get("user")
    if not user_id:
        return

    client.chat_postMessage(
        channel=event["channel"],
        text=dm_pointer(viewer(settings, user_id), settings),
        thread_ts=event.get("thread_ts"),
    )
    logger.info("Answered a DM from %s with where to log or ask instead", user_id)


def dm_pointer(who: Viewer, settings: Settings) -> str:
    """One line: a rep is shown how to log, a manager or admin how to ask for numbers."""
    if who.is_rep:
        example = f"/checkin 12 {settings.call_types[0].key} {settings.outcomes[0].key}"
        return (
            "I don't read messages here, so nothing was logged. Press *Log today's calls* on "
            f"my check-in, or type `{example}` (`/checkin help` shows more)."
        )
    if who.known:
        return "I don't read messages here. Type `/stats` for numbers (`/stats help` shows more)."
    return str(not_on_a_team()["text"])
