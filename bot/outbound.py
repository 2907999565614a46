"""Delivering a tick's work: each DM exactly once, and one job's failure kept from the rest."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.delivery import (
    LookupDeferredError,
    Posted,
    PostUnconfirmedError,
    RecipientGoneError,
    TokenRejectedError,
)
from bot.tick_context import TICK_PERIOD, StopRequestedError, Tick
from storage.outbox import MAX_ATTEMPTS

logger = logging.getLogger(__name__)

# What a call to Slack may fail with that says nothing about the bot's own code: Slack's
# answers, refused connections, timeouts. Anything else is logged with its traceback.
SLACK_FAILURES = (SlackClientError, OSError, PostUnconfirmedError)


def failure_reason(exc: Exception) -> str:
    """Slack's error code, or the exception's type and message (a timeout, a refused connection)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error"))
    if isinstance(exc, PostUnconfirmedError):
        return exc.reason
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def isolated(what: str) -> Iterator[None]:
    """Run one job of a tick so that its failure is logged and the tick's other jobs still run.

    A shutdown request and a rejected token still end the tick: every later job would be
    cut short or fail the same way.
    """
    try:
        yield
    except (StopRequestedError, TokenRejectedError):
        raise
    except Exception:
        logger.exception("%s failed; the rest of the tick goes on and a later tick retries", what)


def deliver(
    tick: Tick,
    kind: str,
    user_id: str,
    day: date,
    message: Mapping[str, Any],
    *,
    retry_until: datetime | None = None,
) -> Posted | None:
    """Claim, post and record one DM exactly once; returns where it went when it was sent.

    Raises StopRequestedError instead of claiming once the tick was asked to stop, so a shutdown
    leaves every message either sent or unclaimed for the next run. A failed post, other than a
    rejected token or a recipient who is gone, is tried again by later ticks: until `retry_until`
    when given (a check-in's grace window), else MAX_ATTEMPTS times in all.

    A try that may have reached Slack unbeknown to us (a 5xx, a timeout, a run killed between
    claiming and recording) is looked for in the DM before the next try posts again.
    NOTE: that check has limits. It reads the newest messages of the DM only (see
    bot.delivery.HISTORY_PAGES), and a post Slack still holds in flight when the next tick
    looks (a minute later; a killed run's claim is looked at after its lease) is not seen.
    """
    tick.messenger.wait_turn()
    tick.check_stop()
    store, report = tick.store, tick.report
    max_attempts = None if retry_until else MAX_ATTEMPTS
    message_id = store.outbox.claim(kind, user_id, day, now=tick.now, max_attempts=max_attempts)
    if message_id is None:
        return None  # another tick or worker got there first

    try:
        earlier = _earlier_try(tick, message_id, user_id)
        posted = earlier or tick.messenger.post_dm(user_id, message, tag=message_id)
    except LookupDeferredError as deferred:
        _put_off(tick, message_id, kind, user_id, deferred)
        return None
    except RecipientGoneError as gone:
        store.outbox.mark_failed(message_id, gone.error, final=True)
        if store.roster.mark_inactive(user_id, gone.error):
            report.deactivated.append(user_id)
            logger.warning(
                "Slack says %s is %s: marked inactive, no more messages to them",
                user_id,
                gone.error,
            )
        return None
    except TokenRejectedError as problem:
        store.outbox.mark_failed(message_id, str(problem), final=False, max_attempts=max_attempts)
        logger.error("Slack rejected the bot token (%s); stopping this tick", problem)
        raise
    except Exception as exc:
        report.failed += 1
        what = f"Could not send the {kind} to {user_id}"
        unconfirmed = isinstance(exc, PostUnconfirmedError)
        record_failure(
            tick, message_id, what, exc, retry_until=retry_until, unconfirmed=unconfirmed
        )
        return None

    store.outbox.mark_sent(message_id, posted.channel, posted.ts, tick.now)
    if earlier is None:
        report.count_sent(kind)
        logger.debug("Sent the %s for %s to %s", kind, day, user_id)
    return posted


def _earlier_try(tick: Tick, message_id: int, user_id: str) -> Posted | None:
    """Where an earlier try of this message went, if it reached Slack though its answer was
    lost; None when there was no such try or it is not in the DM."""
    store = tick.store
    if not store.outbox.unconfirmed(message_id):
        return None

    earlier = tick.messenger.find_post(user_id, message_id, store.outbox.dm_channel(user_id))
    if earlier is None:
        logger.info(
            "Message %d to %s is not in their DM: its earlier try never reached Slack; posting it",
            message_id,
            user_id,
        )
    else:
        logger.info(
            "Found message %d to %s in their DM: an earlier try reached Slack though its "
            "answer was lost; recorded as sent, not posted again",
            message_id,
            user_id,
        )
    return earlier


def _put_off(
    tick: Tick, message_id: int, kind: str, user_id: str, deferred: LookupDeferredError
) -> None:
    """Give back a claim whose check for an earlier try Slack asked to wait for.

    Nothing was tried, so no attempt is spent and no post slot used; a later tick checks.
    """
    tick.store.outbox.release(message_id)
    tick.messenger.skip_turn()
    tick.report.deferred += 1
    logger.debug(
        "Put off the %s to %s (message %d): %s; a later tick looks for it, then sends it",
        kind,
        user_id,
        message_id,
        deferred,
    )


def record_failure(
    tick: Tick,
    message_id: int,
    what: str,
    exc: Exception,
    *,
    retry_until: datetime | None = None,
    unconfirmed: bool = False,
) -> None:
    """Record that claimed work failed, and log whether a later tick tries it again.

    With `retry_until`, later ticks try until then (a tick runs every TICK_PERIOD, so a failure
    with less than that left is the last); without, it is given up after MAX_ATTEMPTS in all.
    `unconfirmed`: the try may have reached Slack, so the next one looks for it first.
    """
    reason = failure_reason(exc)
    last_chance = retry_until is not None and tick.now + TICK_PERIOD >= retry_until
    max_attempts = None if retry_until else MAX_ATTEMPTS
    gave_up = tick.store.outbox.mark_failed(
        message_id,
        reason,
        final=last_chance,
        max_attempts=max_attempts,
        unconfirmed_at=tick.now if unconfirmed else None,
    )

    ours = not isinstance(exc, SLACK_FAILURES)  # a bug or the database: worth a traceback
    logger.log(
        logging.ERROR if ours else logging.WARNING,
        "%s (%s%s); %s",
        what,
        reason,
        ", and it may have reached Slack" if unconfirmed else "",
        _what_next(gave_up, retry_until, unconfirmed),
        exc_info=ours,
    )


def _what_next(gave_up: bool, retry_until: datetime | None, unconfirmed: bool) -> str:
    again = "the next tick tries again"
    if unconfirmed:
        again = "the next tick looks for it in Slack, then tries again"
    if retry_until is None:
        return f"given up after {MAX_ATTEMPTS} attempts" if gave_up else again
    deadline = retry_until.isoformat(timespec="minutes")
    if gave_up:
        return f"given up: its grace window ends at {deadline}"
    return f"{again} (until {deadline}, the end of its grace window)"
