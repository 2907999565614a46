"""response_url: the per-interaction webhook an app posts to (bolt's `respond()`).

Slack lets each one be used up to 5 times within 30 minutes. A post shows an ephemeral
message by default, or posts in the channel, replaces or deletes the original message.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import WebApiError
from bot.sandbox.methods.chat import message_content
from bot.sandbox.rules import protocol
from bot.sandbox.workspace import Workspace

logger = logging.getLogger(__name__)

RESPONSE_PATH = "response/"


@dataclass
class ResponseUrl:
    """Who a response_url answers, where, and (for a click on a message) which message."""

    user_id: str
    channel: str
    message_ts: str | None
    issued_at: float
    uses: int = 0


class ResponseUrls:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self.urls: dict[str, ResponseUrl] = {}

    def issue(self, user_id: str, channel: str, message_ts: str | None = None) -> str:
        """A fresh key; the server serves it under /response/<key>."""
        key = f"{self.ws.team_id}/{len(self.urls) + 1}/{secrets.token_urlsafe(12)}"
        self.urls[key] = ResponseUrl(user_id, channel, message_ts, self.ws.clock())
        return key

    def post(self, key: str, body: Any) -> tuple[int, str]:
        """Apply one post; answers (HTTP status, body text) as Slack's webhook endpoint does."""
        url = self.urls.get(key)
        if url is None:
            return 404, "no_service"
        if not isinstance(body, dict):
            return 400, "invalid_payload"
        expired = self.ws.clock() - url.issued_at > protocol("response_url_ttl_seconds")
        if expired or url.uses >= protocol("response_url_max_uses"):
            return 404, "expired_url" if expired else "used_url"

        try:
            self._apply(url, body)
        except WebApiError as failure:
            logger.info("Refused a response_url post for %s: %s", url.user_id, failure.error)
            return 400, failure.error
        url.uses += 1
        return 200, "ok"

    def _apply(self, url: ResponseUrl, body: dict[str, Any]) -> None:
        touches_channel = (
            body.get("delete_original")
            or body.get("replace_original")
            or body.get("response_type") == "in_channel"
        )
        if not touches_channel:
            # Only the asker sees it, where they typed: even a DM between two people, which
            # the bot is not in and could not post to through the Web API.
            text, blocks = message_content(body)
            self.ws.ephemeral(
                user=url.user_id,
                channel=url.channel,
                text=text or "",
                blocks=blocks,
                source="response_url",
            )
            return

        conversation = self.ws.conversation(url.channel, user_ids=True)
        if body.get("delete_original"):
            conversation.messages.remove(self.ws.message(conversation, url.message_ts))
            return

        text, blocks = message_content(body)
        if body.get("replace_original"):
            original = self.ws.message(conversation, url.message_ts)
            original["text"] = text or ""
            original["blocks"] = blocks or []
        else:
            conversation.messages.append(self.ws.bot_message(text or "", blocks))
