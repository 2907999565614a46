"""The stand-in's workspace: users, conversations with their messages, ephemerals and files.

All state is guarded by one re-entrant lock, held by the server for each call and by the
inspection helpers, so tests read a consistent picture while the bot is calling in.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.clock import Clock
from bot.sandbox.errors import WebApiError
from bot.sandbox.users import build_user


@dataclass
class ApiCall:
    """One request the stand-in answered (the token itself is never kept, only its type)."""

    method: str
    args: dict[str, Any]
    http_method: str
    content_type: str
    status: int
    response: dict[str, Any]
    at: float
    token_type: str | None = None


@dataclass
class Upload:
    """A file started with files.getUploadURLExternal, its bytes, and where it was shared."""

    file_id: str
    filename: str
    length: int
    alt_txt: str | None = None
    snippet_type: str | None = None
    title: str | None = None
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    ts: str | None = None


@dataclass
class Conversation:
    """A DM (user set) or a channel (name set) and its messages, oldest first."""

    id: str
    created: int
    user: str | None = None
    name: str | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)


class Workspace:
    """Everything the stand-in remembers about one Slack workspace and the bot installed in it."""

    def __init__(self, *, team_id: str, clock: Clock) -> None:
        self.team_id = team_id
        self.domain = "sandbox"
        self.clock = clock
        self.lock = threading.RLock()
        self.app_id = "A0SANDBOX1"
        self.bot_id = "B0SANDBOX1"
        self.bot_user_id = "U0SANDBOT1"
        self.users: dict[str, dict[str, Any]] = {}
        # users.list cuts some pages short, as Slack may, drawn from this seed; None: never.
        self.short_page_seed: int | None = 0
        self.conversations: dict[str, Conversation] = {}
        self.dm_of_user: dict[str, str] = {}
        self.ephemerals: list[dict[str, Any]] = []
        self.uploads: dict[str, Upload] = {}
        self._counters: dict[str, itertools.count[int]] = {}
        self._last_ts_us = 0
        self.add_user(self.bot_user_id, real_name="checkin", tz=None, is_bot=True)

    # ids, timestamps and hashes

    def new_id(self, prefix: str) -> str:
        """A fresh Slack-style ID such as D00000001 (matches ^[CGDZ][A-Z0-9]{8,}$)."""
        counter = self._counters.setdefault(prefix, itertools.count(1))
        return f"{prefix}{next(counter):08d}"

    def new_ts(self) -> str:
        """A message ts ("1712345678.000123"), unique and increasing."""
        self._last_ts_us = max(int(time.time() * 1_000_000), self._last_ts_us + 1)
        return f"{self._last_ts_us // 1_000_000}.{self._last_ts_us % 1_000_000:06d}"

    @staticmethod
    def new_hash() -> str:
        return f"{int(time.time())}.{secrets.token_hex(4)}"

    # users

    def add_user(
        self,
        user_id: str,
        *,
        real_name: str,
        tz: str | None = "America/New_York",
        deleted: bool = False,
        is_bot: bool = False,
    ) -> dict[str, Any]:
        user = build_user(
            user_id,
            team_id=self.team_id,
            real_name=real_name,
            tz=tz,
            deleted=deleted,
            is_bot=is_bot,
            updated=int(time.time()),
        )
        self.users[user_id] = user
        return user

    def user(self, user_id: str | None) -> dict[str, Any]:
        if user_id is None or user_id not in self.users:
            raise WebApiError("user_not_found")
        return self.users[user_id]

    # conversations

    def dm_with(self, user_id: str) -> Conversation:
        """The bot's DM with a user, opened on first use as Slack does."""
        channel_id = self.dm_of_user.get(user_id)
        if channel_id is None:
            channel_id = self.new_id("D")
            self.conversations[channel_id] = Conversation(
                id=channel_id, created=int(time.time()), user=user_id
            )
            self.dm_of_user[user_id] = channel_id
        return self.conversations[channel_id]

    def add_channel(self, channel_id: str, name: str) -> Conversation:
        channel = Conversation(id=channel_id, created=int(time.time()), name=name)
        self.conversations[channel_id] = channel
        return channel

    def conversation(self, channel: str | None, *, user_ids: bool) -> Conversation:
        """A conversation by ID or, where Slack allows it (`user_ids`), by a user's ID."""
        if channel in self.conversations:
            return self.conversations[channel]
        if user_ids and channel in self.users:
            return self.dm_with(channel)
        raise WebApiError("channel_not_found")

    def message(self, conversation: Conversation, ts: str | None) -> dict[str, Any]:
        for message in conversation.messages:
            if message["ts"] == ts:
                return message
        raise WebApiError("message_not_found")

    def bot_message(self, text: str, blocks: list[dict[str, Any]] | None) -> dict[str, Any]:
        """A message object as chat.postMessage returns it for a bot post."""
        message: dict[str, Any] = {
            "user": self.bot_user_id,
            "type": "message",
            "ts": self.new_ts(),
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "text": text,
            "team": self.team_id,
            "bot_profile": {
                "id": self.bot_id,
                "app_id": self.app_id,
                "name": "checkin",
                "deleted": False,
                "team_id": self.team_id,
            },
        }
        if blocks is not None:
            message["blocks"] = blocks
        return message

    def ephemeral(
        self,
        *,
        user: str,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        source: str,
    ) -> dict[str, Any]:
        """Record a message only `user` sees; `source` says how it arrived."""
        entry = {
            "user": user,
            "channel": channel,
            "text": text,
            "blocks": blocks or [],
            "message_ts": self.new_ts(),
            "source": source,
        }
        self.ephemerals.append(entry)
        return entry
