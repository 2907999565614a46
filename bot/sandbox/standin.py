"""SlackStandIn: a local Slack Web API and Socket Mode endpoint, checked as Slack checks calls.

    with SlackStandIn() as slack:
        slack.add_user("U0REP00001", real_name="Ana Ruiz", tz="America/Chicago")
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        client.chat_postMessage(channel="U0REP00001", text="Time to log today's calls")
        assert slack.dm_messages("U0REP00001")[0]["text"] == "Time to log today's calls"

Posting into the DM of a deactivated (deleted) person answers `is_archived` from
chat.postMessage / chat.postEphemeral and `is_inactive` from chat.update, and
conversations.open answers `user_disabled`. NOTE: live Slack has been seen to accept
chat.postMessage to a deactivated user (python-slack-sdk issue #1156); pass
reject_posts_to_deactivated=False to behave that way instead.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from bot.sandbox.clock import DEFAULT_CLOCK, Clock
from bot.sandbox.context import Context
from bot.sandbox.dispatch import WebApi
from bot.sandbox.faults import Fault, FaultPlan, default_error
from bot.sandbox.ratelimit import RateLimiter
from bot.sandbox.rules import default_rate_limits, rate_window_seconds
from bot.sandbox.server import API_PATH, SandboxHttpServer
from bot.sandbox.socket_mode import SocketModeServer
from bot.sandbox.surfaces import Surfaces
from bot.sandbox.users import changed_user
from bot.sandbox.webhooks import RESPONSE_PATH, ResponseUrls
from bot.sandbox.workspace import ApiCall, Upload, Workspace

logger = logging.getLogger(__name__)


class SlackStandIn:
    """The Slack side of a test or demo: a workspace, its Web API over HTTP, and Socket Mode."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-sandbox",
        app_token: str = "xapp-sandbox",
        team_id: str = "T0SANDBOX",
        rate_limits: Mapping[str, int] | None = None,
        enforce_rate_limits: bool = True,
        reject_posts_to_deactivated: bool = True,
        clock: Clock = DEFAULT_CLOCK,
        rate_clock: Clock | None = None,
    ) -> None:
        """`rate_clock` times the rate-limit windows alone (default: `clock`), for a
        simulation whose days pass in seconds while triggers still expire in real time."""
        self.bot_token = bot_token
        self.app_token = app_token
        self.workspace = Workspace(team_id=team_id, clock=clock)
        self.surfaces = Surfaces(self.workspace)
        self.socket_mode = SocketModeServer(app_id=self.workspace.app_id)
        self.response_urls = ResponseUrls(self.workspace)
        self.faults = FaultPlan()

        limiter = None
        if enforce_rate_limits:
            limits = default_rate_limits() | dict(rate_limits or {})
            limiter = RateLimiter(
                limits, window_seconds=rate_window_seconds(), clock=rate_clock or clock
            )
        self._ctx = Context(
            ws=self.workspace,
            surfaces=self.surfaces,
            base_url="",
            socket_url=self.socket_mode.issue_url,
            reject_posts_to_deactivated=reject_posts_to_deactivated,
        )
        self._api = WebApi(
            self._ctx,
            tokens={bot_token: "bot", app_token: "app"},
            limiter=limiter,
            faults=self.faults,
        )
        self._http = SandboxHttpServer(self._api, self.response_urls)
        self._ctx.base_url = self._http.url

    # lifecycle

    def start(self) -> None:
        self._http.start()
        self.socket_mode.start()

    def stop(self) -> None:
        self.socket_mode.stop()
        self._http.stop()

    def __enter__(self) -> SlackStandIn:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return self._http.url

    @property
    def api_url(self) -> str:
        """The base_url to give slack_sdk's WebClient."""
        return self._http.url + API_PATH

    @property
    def team_id(self) -> str:
        return self.workspace.team_id

    @property
    def bot_user_id(self) -> str:
        return self.workspace.bot_user_id

    # the workspace

    def add_user(
        self,
        user_id: str,
        *,
        real_name: str,
        tz: str | None = "America/New_York",
        deleted: bool = False,
        is_bot: bool = False,
    ) -> None:
        with self.workspace.lock:
            self.workspace.add_user(
                user_id, real_name=real_name, tz=tz, deleted=deleted, is_bot=is_bot
            )

    def update_user(self, user_id: str, **changes: Any) -> dict[str, Any]:
        """Change real_name, tz, deleted, is_bot or name; returns the user for user_change."""
        with self.workspace.lock:
            user = changed_user(self._known_user(user_id), changes, updated=int(time.time()))
            self.workspace.users[user_id] = user
            return copy.deepcopy(user)

    def user(self, user_id: str) -> dict[str, Any]:
        with self.workspace.lock:
            return copy.deepcopy(self._known_user(user_id))

    def _known_user(self, user_id: str) -> dict[str, Any]:
        user = self.workspace.users.get(user_id)
        if user is None:
            raise LookupError(f"no user {user_id!r} in the stand-in; call add_user first")
        return user

    def add_channel(self, channel_id: str, name: str) -> None:
        """A public channel the bot is in (IDs must look like C0XXXXXXXX)."""
        with self.workspace.lock:
            self.workspace.add_channel(channel_id, name)

    def dm_channel(self, user_id: str) -> str:
        """The ID of the bot's DM with a user (opened now if needed)."""
        with self.workspace.lock:
            return self.workspace.dm_with(self._known_user(user_id)["id"]).id

    # what happened

    @property
    def calls(self) -> list[ApiCall]:
        with self.workspace.lock:
            return list(self._api.calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def messages(self, channel_id: str) -> list[dict[str, Any]]:
        with self.workspace.lock:
            conversation = self.workspace.conversations.get(channel_id)
            return copy.deepcopy(conversation.messages) if conversation else []

    def dm_messages(self, user_id: str) -> list[dict[str, Any]]:
        """The bot's DM with the user as it reads now (updates applied, deletions gone)."""
        with self.workspace.lock:
            channel_id = self.workspace.dm_of_user.get(user_id)
        return self.messages(channel_id) if channel_id else []

    def ephemerals(self, user_id: str) -> list[dict[str, Any]]:
        """Messages only this person saw: chat.postEphemeral, response_url, command replies."""
        with self.workspace.lock:
            return [copy.deepcopy(e) for e in self.workspace.ephemerals if e["user"] == user_id]

    def open_view(self, user_id: str) -> dict[str, Any] | None:
        """The modal on top of the person's stack, with id, hash and current state."""
        with self.workspace.lock:
            return copy.deepcopy(self.surfaces.top(user_id))

    def modal_stack(self, user_id: str) -> list[dict[str, Any]]:
        with self.workspace.lock:
            return copy.deepcopy(self.surfaces.stacks.get(user_id, []))

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self.workspace.lock:
            return copy.deepcopy(self.surfaces.homes.get(user_id))

    def uploads(self, user_id_or_channel: str) -> list[Upload]:
        """Files shared into a channel, or into the bot's DM with a user."""
        with self.workspace.lock:
            channel = self.workspace.dm_of_user.get(user_id_or_channel, user_id_or_channel)
            return [
                copy.deepcopy(u) for u in self.workspace.uploads.values() if channel in u.channels
            ]

    # faults and interaction plumbing

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        error: str | None = None,
        times: int = 1,
        after: bool = False,
    ) -> None:
        """Answer the next `times` calls of `method` with HTTP `status` (429 adds Retry-After;
        DROPPED, 0, hangs up without an answer).

        With `after`, each call does its work first (a post is posted) and its answer is lost.
        """
        fault = Fault(status, retry_after, error or default_error(status), times, after)
        self.faults.add(method, fault)

    def recover(self, method: str) -> None:
        """Drop the failures still planned for `method`: the outage is over."""
        self.faults.clear(method)

    def issue_trigger_id(self, user_id: str) -> str:
        """A trigger_id as an interaction carries: usable once, for about 3 seconds."""
        with self.workspace.lock:
            return self.surfaces.issue_trigger(user_id)

    def response_url(self, user_id: str, channel: str, *, message_ts: str | None = None) -> str:
        """A URL on this server that takes respond() posts; message_ts enables replace_original."""
        with self.workspace.lock:
            key = self.response_urls.issue(user_id, channel, message_ts)
        return f"{self.url}{RESPONSE_PATH}{key}"
