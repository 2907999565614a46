"""Posting to people: DMs addressed to user IDs, paced under Slack's workspace-wide limit."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)

# Slack's answers that mean the person can no longer be messaged (a deactivated
# user's DM is archived, so posting to it answers is_archived).
PERSON_GONE = frozenset({"user_not_found", "user_disabled", "account_inactive", "is_archived"})
# Answers that mean the bot itself cannot post: stop the run rather than blame the people.
TOKEN_PROBLEMS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired"})


class RecipientGoneError(Exception):
    """Slack says this user is deactivated or unknown."""

    def __init__(self, user_id: str, error: str) -> None:
        super().__init__(f"{user_id}: {error}")
        self.user_id = user_id
        self.error = error


class TokenRejectedError(Exception):
    """The bot token is not accepted; every further call would fail the same way."""


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


class Pacer:
    """Spaces calls evenly so that a fan-out stays under a per-minute budget."""

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self._interval = 60.0 / per_minute
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            self._sleep(start - now)


class Messenger:
    """Posts the bot's DMs at the pacer's rate.

    The caller waits its turn before claiming a message, not after, so that a shutdown
    during the wait leaves nothing claimed and unsent.
    """

    def __init__(self, client: WebClient, pacer: Pacer) -> None:
        self.client = client
        self.pacer = pacer

    def wait_turn(self) -> None:
        """Block until the next post fits the per-minute budget."""
        self.pacer.wait()

    def post_dm(self, user_id: str, message: Mapping[str, Any]) -> Posted:
        """Post to the user's ID, which Slack delivers in the app's DM: no conversations.open.

        Call wait_turn first: this posts at once.
        """
        response = self._call(user_id, self.client.chat_postMessage, channel=user_id, **message)
        return Posted(channel=response["channel"], ts=response["ts"])

    def _call(self, user_id: str, method: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return method(**kwargs)
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            if error in TOKEN_PROBLEMS:
                raise TokenRejectedError(error) from exc
            if error == "account_inactive" and not self._token_ok():
                raise TokenRejectedError(error) from exc
            if error in PERSON_GONE:
                raise RecipientGoneError(user_id, error) from exc
            raise

    def _token_ok(self) -> bool:
        """account_inactive can also mean the bot's own workspace is gone: ask auth.test."""
        try:
            self.client.auth_test()
        except SlackApiError:
            return False
        return True
