"""Slack's user directory, cached: time zones from a paced users.list sync, never per send."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.delivery import PERSON_GONE
from bot.outbound import SLACK_FAILURES, failure_reason
from bot.settings import Settings
from storage.roster import Profile
from storage.store import Store

logger = logging.getLogger(__name__)

PAGE_SIZE = 200
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


def _pages(client: WebClient) -> Iterator[Mapping[str, Any]]:
    # users.list is Tier 2 (about 20 a minute): the client's retry handler waits out 429s.
    cursor: str | None = None
    while True:
        response = client.users_list(limit=PAGE_SIZE, cursor=cursor)
        yield from response.get("members", [])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return


def refresh_directory(
    client: WebClient, store: Store, settings: Settings, now: datetime
) -> list[str]:
    """Sync when the cached profiles are stale; return the IDs newly marked inactive.

    A failed sync never stops the tick: it goes on with the cached time zones (the team's
    zone for anyone never synced), and the sync waits before trying again rather than
    spending a Tier 2 call every minute.
    """
    oldest = store.roster.oldest_sync()
    stale_after = timedelta(hours=settings.delivery.directory_sync_hours)
    if oldest is not None and now - oldest <= stale_after:
        return []
    if _failed_lately(store, now):
        return []

    try:
        return sync_directory(client, store, now)
    except Exception as exc:
        _note_failure(store, now, exc)
        return []


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
    failure_id = store.outbox.claim(kind, SYNC_KEY, day)
    if failure_id is not None:
        store.outbox.mark_failed(failure_id, reason, final=True)
    logger.warning(
        "Could not sync Slack's directory with users.list (%s); sending with the cached time "
        "zones (the team's zone for anyone never synced), next try in %d to %d minutes",
        reason,
        RETRY_MINUTES,
        2 * RETRY_MINUTES,
        exc_info=not isinstance(exc, SLACK_FAILURES),
    )


def sync_directory(client: WebClient, store: Store, now: datetime) -> list[str]:
    """Refresh names, time zones and deactivations; return the IDs newly marked inactive."""
    known = {p.slack_id for p in store.roster.people()}
    profiles = [profile_of(user) for user in _pages(client) if user.get("id") in known]
    gone = store.roster.apply_profiles(profiles, now)

    # People users.list did not return (guests, other workspaces): ask about each one once.
    missing = known - {p.slack_id for p in profiles}
    for user_id in sorted(missing):
        gone += _lookup_one(client, store, user_id, now)
    store.roster.touch(missing, now)

    for user_id in gone:
        logger.warning("Slack says %s is deactivated: marked inactive, no more messages", user_id)
    logger.info(
        "Directory synced: %d of %d people found in users.list, %d looked up, %d deactivated",
        len(profiles),
        len(known),
        len(missing),
        len(gone),
    )
    return gone


def _lookup_one(client: WebClient, store: Store, user_id: str, now: datetime) -> list[str]:
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
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
