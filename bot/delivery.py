"""Posting to people: DMs addressed to user IDs, paced under Slack's workspace-wide limit."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack_client import rate_limit_retries_only, single_try

logger = logging.getLogger(__name__)

# Slack's answers that mean the person can no longer be messaged (a deactivated
# user's DM is archived, so posting to it answers is_archived).
PERSON_GONE = frozenset({"user_not_found", "user_disabled", "account_inactive", "is_archived"})
# Answers that mean the bot itself cannot post: stop the run rather than blame the people.
TOKEN_PROBLEMS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired"})
# Every post carries its outbox ID in Slack's message metadata, so a retry can tell whether
# an earlier try whose answer was lost had been posted.
TAG_EVENT_TYPE = "checkin_message_posted"  # Slack suggests noun_verb names
TAG_KEY = "outbox_id"
# How far back in a DM a retry looks for its earlier try: the newest 3 x 15 messages. A
# page of 15 fits the smallest conversations.history page Slack gives any app.
# NOTE: internal apps may call conversations.history about 50 times a minute; a distributed
# app outside the Marketplace gets 1 a minute, so after a large Slack incident its checks
# clear that slowly and check-ins still owed one when their grace window ends are skipped.
HISTORY_PAGES = 3
HISTORY_PAGE_SIZE = 15
DEFAULT_RETRY_AFTER = 60.0


class RecipientGoneError(Exception):
    """Slack says this user is deactivated or unknown."""

    def __init__(self, user_id: str, error: str) -> None:
        super().__init__(f"{user_id}: {error}")
        self.user_id = user_id
        self.error = error


class TokenRejectedError(Exception):
    """The bot token is not accepted; every further call would fail the same way."""


class LookupDeferredError(Exception):
    """Slack asked the bot to wait before reading DMs again: the check is put off, not failed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Slack asked to wait {seconds:.0f} s before reading DMs again")
        self.seconds = seconds


class PostUnconfirmedError(Exception):
    """A post failed in a way that may have reached Slack all the same: its answer was lost."""

    def __init__(self, user_id: str, reason: str) -> None:
        super().__init__(f"{user_id}: {reason}")
        self.reason = reason


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

    def give_back(self) -> None:
        """Return the last slot taken, unused: the next call need not wait for it."""
        with self._lock:
            self._next = max(self._clock(), self._next - self._interval)


class Messenger:
    """Posts the bot's DMs at the pacer's rate, each tagged so that it can be found again.

    The caller waits its turn before claiming a message, not after, so that a shutdown
    during the wait leaves nothing claimed and unsent.

    A post is retried in place only after a 429, which Slack answers before doing anything.
    A 5xx, a timeout or a dropped connection may come after Slack posted: the post raises
    PostUnconfirmedError, and the retry (a later tick) first looks for it with `find_post`.

    One Messenger serves one tick. Once Slack answers a lookup with 429, the tick's later
    lookups are put off until its Retry-After has passed rather than spent on more 429s.
    """

    def __init__(
        self, client: WebClient, pacer: Pacer, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.client = client
        self.pacer = pacer
        self._posting = rate_limit_retries_only(client)
        self._checking = single_try(client)
        self._clock = clock
        self._lookups_resume_at = 0.0

    def wait_turn(self) -> None:
        """Block until the next post fits the per-minute budget."""
        self.pacer.wait()

    def skip_turn(self) -> None:
        """The turn taken was not used for a post: give it back to the pacer."""
        self.pacer.give_back()

    def post_dm(self, user_id: str, message: Mapping[str, Any], *, tag: int) -> Posted:
        """Post to the user's ID, which Slack delivers in the app's DM: no conversations.open.

        `tag` (the outbox's message ID) goes into the message's metadata for `find_post`.
        Call wait_turn first: this posts at once.
        """
        try:
            response = self._call(
                user_id,
                self._posting.chat_postMessage,
                channel=user_id,
                metadata={"event_type": TAG_EVENT_TYPE, "event_payload": {TAG_KEY: tag}},
                **message,
            )
        except (SlackApiError, OSError) as exc:
            if may_have_posted(exc):
                raise PostUnconfirmedError(user_id, _reason(exc)) from exc
            raise
        return Posted(channel=response["channel"], ts=response["ts"])

    def find_post(self, user_id: str, tag: int, channel: str | None) -> Posted | None:
        """The post tagged `tag` in the person's DM, if an earlier try did reach Slack.

        Reads the newest HISTORY_PAGES pages of the DM (`channel`, else the one
        conversations.open names). Each call is tried once: an outage fails this check, and
        the caller's retry checks again later. A 429, now or earlier in this tick, raises
        LookupDeferredError: the check is owed, not failed.
        """
        if channel is None:
            opened = self._lookup(user_id, self._checking.conversations_open, users=user_id)
            channel = str(opened["channel"]["id"])

        cursor = None
        for _ in range(HISTORY_PAGES):
            page = self._lookup(
                user_id,
                self._checking.conversations_history,
                channel=channel,
                limit=HISTORY_PAGE_SIZE,
                include_all_metadata=True,
                cursor=cursor,
            )
            for message in page.get("messages") or []:
                if _tag_of(message) == tag:
                    return Posted(channel=channel, ts=str(message["ts"]))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                break
        return None

    def _lookup(self, user_id: str, method: Callable[..., Any], **kwargs: Any) -> Any:
        """A lookup call, unless Slack asked to wait; a 429 starts the wait it asks for."""
        wait = self._lookups_resume_at - self._clock()
        if wait > 0:
            raise LookupDeferredError(wait)

        try:
            return self._call(user_id, method, **kwargs)
        except SlackApiError as exc:
            if exc.response.status_code != 429:
                raise
            wait = _retry_after(exc)
            self._lookups_resume_at = self._clock() + wait
            logger.info(
                "Slack rate-limited reading DMs (%s); checks for lost answers wait %.0f s",
                method.__name__,
                wait,
            )
            raise LookupDeferredError(wait) from exc

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


def may_have_posted(exc: Exception) -> bool:
    """Whether a failed call may have been carried out: Slack answered 5xx, or the answer
    never came (a timeout, a dropped connection). A refused connection never reached Slack.
    """
    if isinstance(exc, SlackApiError):
        return exc.response.status_code >= 500
    if isinstance(exc, URLError) and isinstance(exc.reason, ConnectionRefusedError):
        return False
    return isinstance(exc, OSError) and not isinstance(exc, ConnectionRefusedError)


def _retry_after(exc: SlackApiError) -> float:
    """Seconds Slack asked to wait; a minute, the span of its per-minute limits, if unsaid."""
    headers = {name.lower(): value for name, value in (exc.response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):  # slack_sdk keeps each header as a list of values
        value = value[0] if value else None
    try:
        return max(1.0, float(value)) if value is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER


def _tag_of(message: Mapping[str, Any]) -> int | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != TAG_EVENT_TYPE:
        return None
    tag = (metadata.get("event_payload") or {}).get(TAG_KEY)
    return tag if isinstance(tag, int) else None


def _reason(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return f"HTTP {exc.response.status_code} {exc.response.get('error')}"
    return f"{type(exc).__name__}: {exc}"
