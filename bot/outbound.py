"""Delivering a tick's work: each DM exactly once, and one job's failure kept from the rest."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError

from bot.delivery import Posted, RecipientGoneError, TokenRejectedError
from bot.tick_context import StopRequestedError, Tick

logger = logging.getLogger(__name__)

# What a call to Slack may fail with that says nothing about the bot's own code: Slack's
# answers, refused connections, timeouts. Anything else is logged with its traceback.
SLACK_FAILURES = (SlackClientError, OSError)


def failure_reason(exc: Exception) -> str:
    """Slack's error code, or the exception's type and message (a timeout, a refused connection)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error"))
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
    tick: Tick, kind: str, user_id: str, day: date, message: Mapping[str, Any]
) -> Posted | None:
    """Claim, post and record one DM exactly once; returns where it went when it was sent.

    Raises StopRequestedError instead of claiming once the tick was asked to stop, so a shutdown
    leaves every message either sent or unclaimed for the next run. Any failure other than a
    rejected token or a recipient who is gone is recorded as retryable, and the tick goes on.

    NOTE: at most once, not exactly once, if the process is killed (not stopped) between
    the claim and mark_sent: the row stays `pending` and no later tick retries it. A 5xx or
    a read timeout after Slack had posted anyway is retried (by the client, or by the next
    tick) and posts twice: Slack's chat.postMessage has no idempotency key to prevent it.
    """
    tick.messenger.wait_turn()
    if tick.stop.is_set():
        raise StopRequestedError
    store, report = tick.store, tick.report
    message_id = store.outbox.claim(kind, user_id, day)
    if message_id is None:
        return None  # another tick or worker got there first

    try:
        posted = tick.messenger.post_dm(user_id, message)
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
        store.outbox.mark_failed(message_id, str(problem), final=False)
        logger.error("Slack rejected the bot token (%s); stopping this tick", problem)
        raise
    except Exception as exc:
        reason = failure_reason(exc)
        store.outbox.mark_failed(message_id, reason, final=False)
        report.failed += 1
        logger.warning(
            "Could not send the %s to %s (%s); the next tick retries",
            kind,
            user_id,
            reason,
            exc_info=not isinstance(exc, SLACK_FAILURES),
        )
        return None

    store.outbox.mark_sent(message_id, posted.channel, posted.ts, tick.now)
    report.count_sent(kind)
    logger.debug("Sent the %s for %s to %s", kind, day, user_id)
    return posted
