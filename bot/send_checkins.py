"""The daily check-in prompts and reminders due at a tick, with each prompt's nudge."""

from __future__ import annotations

import logging
from datetime import date, datetime

from bot.blocks import Message
from bot.blocks.checkin import WeekProgress, first_name, prompt_message, reminder_message
from bot.dataset import load_dataset
from bot.due import Due, Kind, Late, deadline, find_due
from bot.nudging import nudge_window, nudges_for
from bot.outbound import deliver, isolated
from bot.progress import weeks_progress
from bot.settings import Settings
from bot.tick_context import Tick, TickReport
from storage.store import Store

logger = logging.getLogger(__name__)

RepDay = tuple[str, date]


def send_checkins(tick: Tick) -> None:
    settings, store = tick.settings, tick.store
    due, late = find_due(tick.now, settings, store, store.roster.active_reps())
    _record_late(late, store, tick.report)
    if not due:
        return

    # One minute's worth of posts a tick, oldest first: a big fan-out spreads over the next
    # ticks (still within the grace window) instead of holding the scheduler for minutes.
    # NOTE: a message put off because Slack rate-limited its lost-answer check still counts
    # against this budget, so during such a recovery newer prompts wait for later ticks.
    due.sort(key=lambda d: d.due_at)
    budget = settings.delivery.posts_per_minute
    if len(due) > budget:
        logger.info(
            "%d check-ins due; sending %d now, the rest on the next ticks", len(due), budget
        )
        due = due[:budget]
    progress = _progress(settings, store, due)
    nudges = _nudges(settings, store, [d for d in due if d.kind is Kind.PROMPT])
    for item in due:
        key = (item.rep.slack_id, item.day)
        with isolated(f"The {item.kind} for {item.rep.slack_id} on {item.day}"):
            message = _message(item, progress[key], nudges.get(key), tick.now)
            until = deadline(item, settings)
            deliver(tick, item.kind, item.rep.slack_id, item.day, message, retry_until=until)


def _message(item: Due, week: WeekProgress, nudge: str | None, now: datetime) -> Message:
    """The prompt or reminder; one sent after local midnight names its day on the button.

    The rep's today is read in the zone of `due_at`, which find_due keeps as the rep's own.
    """
    today = now.astimezone(item.due_at.tzinfo).date()
    if item.kind is Kind.REMINDER:
        return reminder_message(day=item.day, week=week, today=today)
    name = first_name(item.rep.display_name)
    return prompt_message(first_name=name, day=item.day, week=week, nudge=nudge, today=today)


def _progress(settings: Settings, store: Store, due: list[Due]) -> dict[RepDay, WeekProgress]:
    """Each check-in's week as of its own day."""
    progress: dict[RepDay, WeekProgress] = {}
    for batch in _batches(due):
        weeks = weeks_progress(store, settings, batch.items())
        progress |= {(rep, batch[rep]): week for rep, week in weeks.items()}
    return progress


def _nudges(settings: Settings, store: Store, prompts: list[Due]) -> dict[RepDay, str | None]:
    """One line per prompt, from one load of the prompted reps' recent history."""
    if not prompts or not settings.nudges.enabled:
        return {}
    start = min(nudge_window(d.day)[0] for d in prompts)
    end = max(nudge_window(d.day)[1] for d in prompts)
    reps = {d.rep.slack_id for d in prompts}
    teams = [t for t in settings.teams if reps.intersection(t.reps)]
    dataset = load_dataset(store, settings, start, end, teams)

    nudges: dict[RepDay, str | None] = {}
    for batch in _batches(prompts):
        lines = nudges_for(dataset, settings, batch)
        nudges |= {(rep, batch[rep]): line for rep, line in lines.items()}
    return nudges


def _batches(items: list[Due]) -> list[dict[str, date]]:
    """The items' (rep, day) pairs as rep -> day maps, as progress and nudges take them.

    A rep due for two days at once (yesterday's reminder after local midnight, and today's
    prompt) goes into a second map; nearly every tick needs only one.
    """
    batches: list[dict[str, date]] = []
    for rep, day in dict.fromkeys((d.rep.slack_id, d.day) for d in items):
        batch = next((b for b in batches if rep not in b), None)
        if batch is None:
            batch = {}
            batches.append(batch)
        batch[rep] = day
    return batches


def _record_late(late: list[Late], store: Store, report: TickReport) -> None:
    for item in late:
        if store.outbox.record_skipped(item.kind, item.rep.slack_id, item.day, item.reason):
            report.skipped += 1
            logger.warning(
                "Skipped the %s for %s on %s: %s",
                item.kind,
                item.rep.slack_id,
                item.day,
                item.reason,
            )
