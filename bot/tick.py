"""One tick: everything the bot must send at an instant.

`run_tick` is a plain function of (now, settings, store, Slack client), so APScheduler's
minute job, `checkin tick --now ...` from cron and tests all run the same code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.checkin import prompt_message, reminder_message
from bot.delivery import Messenger, Pacer, RecipientGoneError, TokenRejectedError
from bot.directory import sync_directory
from bot.due import Due, Kind, Late, find_due
from bot.progress import weeks_progress
from bot.settings import Settings
from storage.store import Store

logger = logging.getLogger(__name__)


@dataclass
class TickReport:
    sent: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    failed: int = 0
    deactivated: list[str] = field(default_factory=list)

    def count_sent(self, kind: str) -> None:
        self.sent[kind] = self.sent.get(kind, 0) + 1

    def busy(self) -> bool:
        return bool(self.sent or self.skipped or self.failed or self.deactivated)


def run_tick(now: datetime, settings: Settings, store: Store, client: WebClient) -> TickReport:
    """Send the prompts and reminders due at `now`; safe to run twice for the same instant."""
    report = TickReport()
    messenger = Messenger(client, Pacer(settings.delivery.posts_per_minute))

    # Refresh time zones from Slack's directory when the cache is stale.
    oldest = store.roster.oldest_sync()
    if oldest is None or now - oldest > timedelta(hours=settings.delivery.directory_sync_hours):
        report.deactivated += sync_directory(client, store, now)

    due, late = find_due(now, settings, store, store.roster.active_reps())
    _record_late(late, store, settings, report)
    if due:
        _send_due(sorted(due, key=lambda d: d.due_at), now, settings, store, messenger, report)

    if report.busy():
        logger.info(
            "Tick %s: sent %s, skipped %d, failed %d",
            now.isoformat(timespec="minutes"),
            report.sent or "nothing",
            report.skipped,
            report.failed,
        )
    return report


def _record_late(late: list[Late], store: Store, settings: Settings, report: TickReport) -> None:
    for item in late:
        grace = settings.schedule.grace_minutes
        reason = f"due at {item.due_at.isoformat()}, past the {grace} min grace window"
        if store.outbox.record_skipped(item.kind, item.rep.slack_id, item.day, reason):
            report.skipped += 1
            logger.warning(
                "Skipped the %s for %s on %s: it fell due at %s, too long ago to send now",
                item.kind,
                item.rep.slack_id,
                item.day,
                item.due_at.isoformat(timespec="minutes"),
            )


def _send_due(
    due: list[Due],
    now: datetime,
    settings: Settings,
    store: Store,
    messenger: Messenger,
    report: TickReport,
) -> None:
    progress = weeks_progress(store, settings, [(d.rep.slack_id, d.day) for d in due])
    for item in due:
        rep_id = item.rep.slack_id
        message_id = store.outbox.claim(item.kind, rep_id, item.day)
        if message_id is None:
            continue  # another tick or worker got there first

        week = progress[rep_id]
        if item.kind is Kind.PROMPT:
            first_name = (item.rep.display_name or "").split(" ")[0] or None
            message = prompt_message(first_name=first_name, day=item.day, week=week)
        else:
            message = reminder_message(day=item.day, week=week)

        try:
            posted = messenger.post_dm(rep_id, message)
        except RecipientGoneError as gone:
            store.outbox.mark_failed(message_id, gone.error, final=True)
            if store.roster.mark_inactive(rep_id, gone.error):
                report.deactivated.append(rep_id)
                logger.warning(
                    "Slack says %s is %s: marked inactive, no more messages to them",
                    rep_id,
                    gone.error,
                )
            continue
        except TokenRejectedError as problem:
            store.outbox.mark_failed(message_id, str(problem), final=False)
            logger.error("Slack rejected the bot token (%s); stopping this tick", problem)
            raise
        except SlackApiError as exc:
            store.outbox.mark_failed(message_id, str(exc.response.get("error")), final=False)
            report.failed += 1
            logger.warning(
                "Could not send the %s to %s (%s); the next tick retries",
                item.kind,
                rep_id,
                exc.response.get("error"),
            )
            continue

        store.outbox.mark_sent(message_id, posted.channel, posted.ts, now)
        report.count_sent(item.kind)
        logger.debug("Sent the %s for %s to %s", item.kind, item.day, rep_id)
