"""The daily check-in prompts and reminders due at a tick, with each prompt's nudge."""

from __future__ import annotations

import logging

from bot.blocks import Message
from bot.blocks.checkin import WeekProgress, prompt_message, reminder_message
from bot.dataset import load_dataset
from bot.due import Due, Kind, Late, find_due
from bot.nudging import nudge_window, nudges_for
from bot.outbound import deliver, isolated
from bot.progress import weeks_progress
from bot.settings import Settings
from bot.tick_context import Tick, TickReport
from storage.store import Store

logger = logging.getLogger(__name__)


def send_checkins(tick: Tick) -> None:
    settings, store = tick.settings, tick.store
    due, late = find_due(tick.now, settings, store, store.roster.active_reps())
    _record_late(late, store, settings, tick.report)
    if not due:
        return

    # One minute's worth of posts a tick, oldest first: a big fan-out spreads over the next
    # ticks (still within the grace window) instead of holding the scheduler for minutes.
    due.sort(key=lambda d: d.due_at)
    budget = settings.delivery.posts_per_minute
    if len(due) > budget:
        logger.info(
            "%d check-ins due; sending %d now, the rest on the next ticks", len(due), budget
        )
        due = due[:budget]
    progress = weeks_progress(store, settings, [(d.rep.slack_id, d.day) for d in due])
    nudges = _nudges(settings, store, [d for d in due if d.kind is Kind.PROMPT])
    for item in due:
        with isolated(f"The {item.kind} for {item.rep.slack_id} on {item.day}"):
            message = _message(item, progress[item.rep.slack_id], nudges.get(item.rep.slack_id))
            deliver(tick, item.kind, item.rep.slack_id, item.day, message)


def _message(item: Due, week: WeekProgress, nudge: str | None) -> Message:
    if item.kind is Kind.REMINDER:
        return reminder_message(day=item.day, week=week)
    first_name = (item.rep.display_name or "").split(" ")[0] or None
    return prompt_message(first_name=first_name, day=item.day, week=week, nudge=nudge)


def _nudges(settings: Settings, store: Store, prompts: list[Due]) -> dict[str, str | None]:
    """One line per prompted rep, from one load of their recent history."""
    if not prompts or not settings.nudges.enabled:
        return {}
    days = {d.rep.slack_id: d.day for d in prompts}
    start = min(nudge_window(day)[0] for day in days.values())
    end = max(nudge_window(day)[1] for day in days.values())
    teams = [t for t in settings.teams if set(t.reps) & set(days)]
    dataset = load_dataset(store, settings, start, end, teams)
    return nudges_for(dataset, settings, days)


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
