"""One DM, exactly once: claim it in the outbox, post it, record what Slack answered."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.delivery import Posted, RecipientGoneError, TokenRejectedError
from bot.tick_context import StopRequestedError, Tick

logger = logging.getLogger(__name__)


def deliver(
    tick: Tick, kind: str, user_id: str, day: date, message: Mapping[str, Any]
) -> Posted | None:
    """Claim, post and record one DM exactly once; returns where it went when it was sent.

    Raises StopRequestedError instead of claiming once the tick was asked to stop, so a shutdown
    leaves every message either sent or unclaimed for the next run.

    NOTE: at most once, not exactly once, if the process is killed (not stopped) between
    the claim and mark_sent: the row stays `pending` and no later tick retries it. A 5xx
    that Slack answered after posting anyway would be retried by the client and post twice.
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
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        store.outbox.mark_failed(message_id, error, final=False)
        report.failed += 1
        logger.warning(
            "Could not send the %s to %s (%s); the next tick retries", kind, user_id, error
        )
        return None

    store.outbox.mark_sent(message_id, posted.channel, posted.ts, tick.now)
    report.count_sent(kind)
    logger.debug("Sent the %s for %s to %s", kind, day, user_id)
    return posted
