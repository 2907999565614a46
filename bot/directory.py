"""Slack's user directory, cached: time zones from a users.list sync paced across ticks.

A pass reads users.list a few pages a tick from the cursor saved in the database, so no
tick waits for a large workspace, and cron ticks, restarts and a second worker carry on
where the last tick stopped. Sends never ask Slack about a person.

NOTE: in the first minutes after install (and for anyone added to app.yaml since the last
pass), a rep the pass has not reached yet has no Slack time zone, so their check-in follows
their team's time zone until it does: a rep who lives in another zone may get that day's
prompt at the team's hour. A workspace of 5,000 people takes about 6 ticks to read.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.delivery import PERSON_GONE
from bot.outbound import SLACK_FAILURES, failure_reason
from bot.settings import Settings
from storage.roster import Profile
from storage.store import Store
from storage.sync_cursors import SyncState

logger = logging.getLogger(__name__)

PAGE_SIZE = 200
# users.list is Tier 2 (about 20 calls a minute per workspace): two workers ticking every
# minute stay at half of it.
PAGES_PER_TICK = 5
# A worker that died while holding the sync frees it after this long.
CLAIM_LEASE = timedelta(minutes=10)
# A failed sync is noted in the outbox per quarter hour (UTC) and not tried again in the
# same or the next one: 15 to 30 minutes later, in every process that ticks.
RETRY_MINUTES = 15  # divides an hour, so the slots line up with it
FAILED_SYNC_KIND = "directory_sync"
SYNC_KEY = "users.list"


def profile_of(user: Mapping[str, Any]) -> Profile:
    """Read a Slack user object (users.list, users.info or a user_change event)."""
    profile = user.get("profile") or {}
    name = profile.get("real_name") or user.get("real_name") or profile.get("display_name")
    return Profile(
        slack_id=str(user["id"]),
        display_name=name or user.get("name"),
        tz=user.get("tz") or None,
        deleted=bool(user.get("deleted")),
    )


def refresh_directory(
    client: WebClient,
    store: Store,
    settings: Settings,
    now: datetime,
    stop: threading.Event | None = None,
) -> list[str]:
    """Read this tick's share of the directory pass; return the IDs newly marked inactive.

    A pass starts once the cached profiles are stale and goes on, PAGES_PER_TICK pages a
    tick, until its last page. A failed page never stops the tick: it goes on with the
    cached time zones (the team's zone for anyone not reached yet), and the sync waits
    before trying that page again rather than spending a Tier 2 call every minute.
    Setting `stop` (on shutdown) ends the share before its next page; the saved cursor
    keeps the place.
    """
    state = store.sync_cursors.current(SYNC_KEY)
    if not state.running and _fresh(store, settings, now):
        return []
    if _failed_lately(store, now):
        return []

    held = store.sync_cursors.claim(state, now, until=now + CLAIM_LEASE)
    if held is None:
        logger.debug("Another worker is reading Slack's directory; this tick leaves it to them")
        return []
    if not state.running:
        logger.info(
            "Directory sync started: reading users.list, %d pages of up to %d people a tick",
            PAGES_PER_TICK,
            PAGE_SIZE,
        )

    share = DirectoryPass(client, store, held, now, stop or threading.Event())
    try:
        share.read()
    except Exception as exc:
        _note_failure(store, now, exc)
    finally:
        store.sync_cursors.release(share.held)

    for user_id in share.gone:
        logger.warning("Slack says %s is deactivated: marked inactive, no more messages", user_id)
    return share.gone


def _fresh(store: Store, settings: Settings, now: datetime) -> bool:
    """Everyone active was synced within directory_sync_hours."""
    oldest = store.roster.oldest_sync()
    stale_after = timedelta(hours=settings.delivery.directory_sync_hours)
    return oldest is not None and now - oldest <= stale_after


def _slot(at: datetime) -> tuple[str, date]:
    """The outbox key of the quarter hour holding `at`: ("directory_sync:21:30", its UTC date)."""
    at = at.astimezone(UTC)
    minute = at.minute - at.minute % RETRY_MINUTES
    return f"{FAILED_SYNC_KIND}:{at.hour:02d}:{minute:02d}", at.date()


def _failed_lately(store: Store, now: datetime) -> bool:
    """A sync failed in this quarter hour or the one before."""
    slots = (_slot(now), _slot(now - timedelta(minutes=RETRY_MINUTES)))
    return any(store.outbox.decided(kind, [(SYNC_KEY, day)]) for kind, day in slots)


def _note_failure(store: Store, now: datetime, exc: Exception) -> None:
    reason = failure_reason(exc)
    kind, day = _slot(now)
    failure_id = store.outbox.claim(kind, SYNC_KEY, day, now=now)
    if failure_id is not None:
        store.outbox.mark_failed(failure_id, reason, final=True)
    logger.warning(
        "Could not sync Slack's directory with users.list (%s); sending with the cached time "
        "zones (the team's zone for anyone not synced yet), next try from the same page in "
        "%d to %d minutes",
        reason,
        RETRY_MINUTES,
        2 * RETRY_MINUTES,
        exc_info=not isinstance(exc, SLACK_FAILURES),
    )


def _without_rate_limit_waits(client: WebClient) -> WebClient:
    """The same client, except that a 429 ends the call instead of sleeping inside the tick."""
    lister = copy.copy(client)
    lister.retry_handlers = [
        handler
        for handler in client.retry_handlers
        if not isinstance(handler, RateLimitErrorRetryHandler)
    ]
    return lister


class DirectoryPass:
    """One tick's share of a pass over users.list, holding the sync while it reads."""

    def __init__(
        self,
        client: WebClient,
        store: Store,
        held: SyncState,
        now: datetime,
        stop: threading.Event,
    ) -> None:
        self.client = client
        self.lister = _without_rate_limit_waits(client)
        self.store = store
        self.held = held
        self.now = now
        self.stop = stop
        self.known = {person.slack_id for person in store.roster.people()}
        self.gone: list[str] = []

    def read(self) -> None:
        """Read up to PAGES_PER_TICK pages from the saved cursor, the last one ending the pass."""
        for _ in range(PAGES_PER_TICK):
            if self.stop.is_set():
                logger.info(
                    "Directory sync paused for shutdown after %d pages; it goes on from there",
                    self.held.pages,
                )
                return
            if not self._read_page():
                return

    def _read_page(self) -> bool:
        """Apply the page at the saved cursor and save the next one; False to stop this tick."""
        try:
            response = self.lister.users_list(limit=PAGE_SIZE, cursor=self.held.cursor)
        except SlackApiError as exc:
            return self._page_refused(exc)

        self._apply(response.get("members") or [])

        next_cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not next_cursor:
            self._complete()
            return False
        return self._keep(self.store.sync_cursors.advance(self.held, next_cursor))

    def _page_refused(self, exc: SlackApiError) -> bool:
        """Start over after a stale cursor, stop for this tick when rate-limited, else raise."""
        if exc.response.status_code == 429:
            logger.warning(
                "users.list is rate-limited; the directory sync goes on from the same page "
                "next tick"
            )
            return False
        if exc.response.get("error") == "invalid_cursor" and self.held.cursor:
            logger.warning(
                "Slack no longer accepts the directory sync's saved users.list cursor (after "
                "%d pages); the pass starts again from the first page",
                self.held.pages,
            )
            return self._keep(self.store.sync_cursors.restart(self.held, self.now))
        raise exc

    def _apply(self, members: Sequence[Mapping[str, Any]]) -> None:
        profiles = [profile_of(user) for user in members if user.get("id") in self.known]
        self.gone += self.store.roster.apply_profiles(profiles, self.now)
        logger.debug(
            "users.list page %d: %d members, %d of them known here",
            self.held.pages + 1,
            len(members),
            len(profiles),
        )

    def _complete(self) -> None:
        """After the last page: look up whom the pass did not list, and stamp everyone synced."""
        started = self.held.started_at or self.now
        people = self.store.roster.people()
        missing = sorted(
            person.slack_id
            for person in people
            if person.synced_at is None or person.synced_at < started
        )

        # People users.list did not return (guests, other workspaces): ask about each one once.
        looked_up = self._look_up(missing)
        self.store.roster.touch(missing, self.now)

        if self._keep(self.store.sync_cursors.finish(self.held)):
            logger.info(
                "Directory synced: %d users.list pages since %s, %d of %d people found there, "
                "%d looked up with users.info",
                self.held.pages,
                started.isoformat(timespec="minutes"),
                len(people) - len(missing),
                len(people),
                looked_up,
            )

    def _look_up(self, user_ids: list[str]) -> int:
        """users.info for each, until Slack says to slow down; returns how many were asked.

        A 429 ends the lookups rather than sleeping inside the tick: those not asked keep
        their cached profile (or their team's time zone) until the next pass.
        """
        for asked, user_id in enumerate(user_ids):
            try:
                self.gone += _lookup_one(self.lister, self.store, user_id, self.now)
            except _RateLimitedError:
                logger.warning(
                    "users.info is rate-limited; %d people users.list did not return keep "
                    "their cached profile until the next pass",
                    len(user_ids) - asked,
                )
                return asked
        return len(user_ids)

    def _keep(self, state: SyncState | None) -> bool:
        """Hold on to the state just saved; False once another worker has taken the sync over."""
        if state is None:
            logger.warning(
                "Another worker took over the directory sync after this tick held it for over "
                "%d minutes; leaving the rest of the pass to them",
                CLAIM_LEASE // timedelta(minutes=1),
            )
            return False
        self.held = state
        return True


class _RateLimitedError(Exception):
    """users.info answered 429."""


def _lookup_one(client: WebClient, store: Store, user_id: str, now: datetime) -> list[str]:
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        if exc.response.status_code == 429:
            raise _RateLimitedError from exc
        error = str(exc.response.get("error", ""))
        if error in PERSON_GONE and store.roster.mark_inactive(user_id, error):
            return [user_id]
        if error not in PERSON_GONE:
            logger.warning(
                "users.info for %s failed (%s); keeping the cached profile", user_id, error
            )
        return []
    return store.roster.apply_profiles([profile_of(user)], now)


def apply_user_change(store: Store, user: Mapping[str, Any], now: datetime) -> None:
    """A user_change event: update the cached profile of someone the bot knows."""
    gone = store.roster.apply_profiles([profile_of(user)], now)
    for user_id in gone:
        logger.warning("%s was deactivated in Slack: marked inactive", user_id)
