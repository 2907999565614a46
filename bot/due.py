"""Who is due a prompt or a reminder at a given instant, each in their own time zone."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.calendar import holiday_name, local_at, rep_zone
from bot.settings import WEEKDAYS, Settings
from storage.outbox import SENT, given_up
from storage.roster import RepRow
from storage.store import Store

logger = logging.getLogger(__name__)


class Kind(StrEnum):
    PROMPT = "prompt"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Due:
    """A check-in to send; `due_at` is in the rep's own time zone, so its date is their day."""

    kind: Kind
    rep: RepRow
    day: date
    due_at: datetime


@dataclass(frozen=True)
class Late:
    """Recorded as skipped, never sent: too long ago, or a reminder whose prompt never went."""

    kind: Kind
    rep: RepRow
    day: date
    due_at: datetime
    reason: str


def send_time(kind: Kind, settings: Settings) -> time:
    """The local clock time; app.yaml's validation keeps the reminder on the prompt's day."""
    start = datetime.combine(date.min, settings.schedule.checkin_time)
    if kind is Kind.REMINDER:
        start += timedelta(minutes=settings.schedule.reminder_delay_minutes)
    return start.time()


def lookback(settings: Settings) -> timedelta:
    """How long ago something may have fallen due and still be sent now: a prompt sent at the
    end of its grace window, then its reminder a delay later and that one's grace window.

    NOTE: after a downtime longer than this, the local days before the one it reaches are
    neither sent nor recorded as skipped: only the days it reaches are logged.
    """
    schedule = settings.schedule
    return timedelta(minutes=2 * schedule.grace_minutes + schedule.reminder_delay_minutes)


def deadline(item: Due, settings: Settings) -> datetime:
    """When the item's grace window ends: added in UTC, so a DST change in it counts in full.

    A check-in that fails to go out is tried again on every tick until then.
    """
    return item.due_at.astimezone(UTC) + timedelta(minutes=settings.schedule.grace_minutes)


def first_day_for_newcomer(now: datetime, tz: ZoneInfo, settings: Settings) -> date:
    """The first local day a rep added to a team at `now` can be asked to check in.

    Their today, unless today's prompt and its grace window are already over: then no tick
    will ask them today, and counting today as a missed check-in would be unfair.
    """
    today = now.astimezone(tz).date()
    prompt_at = local_at(today, send_time(Kind.PROMPT, settings), tz)
    last_call = prompt_at.astimezone(UTC) + timedelta(minutes=settings.schedule.grace_minutes)
    return today if now <= last_call else today + timedelta(days=1)


def find_due(
    now: datetime, settings: Settings, store: Store, reps: Sequence[RepRow]
) -> tuple[list[Due], list[Late]]:
    """Prompts and reminders that fall due by `now` and have not been decided yet.

    Every local day of a rep that `lookback` reaches is looked at, so what fell due before
    their local midnight is still sent (for that day) or recorded as skipped. A day counts
    only if it is one of the team's workdays, not a public holiday of the team's country, not
    a recorded day off and not checked in. A reminder falls due once its prompt has been sent
    for reminder_delay_minutes, and never for a prompt that was skipped or could not be sent.
    What failed to go out is due again until its grace window ends; anything past the grace
    window is returned as late.
    """
    scheduled = [item for rep in reps for item in _scheduled(rep, now, settings)]
    undecided = _undecided(scheduled, store)
    if not undecided:
        return [], []

    due, late = _within_grace([i for i in undecided if i.kind is Kind.PROMPT], now, settings)

    # Reminders follow the prompts as they actually went, including those skipped just now.
    reminders = [i for i in undecided if i.kind is Kind.REMINDER]
    skipped = {(item.rep.slack_id, item.day) for item in late}
    timed, orphaned = _after_prompts(reminders, skipped, now, settings, store)
    more_due, more_late = _within_grace(timed, now, settings)
    return due + more_due, late + orphaned + more_late


def _scheduled(rep: RepRow, now: datetime, settings: Settings) -> list[Due]:
    """The rep's prompts and reminders whose local clock time has come, on each working day
    from the one `lookback` reaches to their today."""
    tz = rep_zone(rep, settings)
    day = (now - lookback(settings)).astimezone(tz).date()
    today = now.astimezone(tz).date()

    items: list[Due] = []
    while day <= today:
        if _working(rep, day, settings):
            for kind in Kind:
                due_at = local_at(day, send_time(kind, settings), tz)
                if due_at <= now:
                    items.append(Due(kind, rep, day, due_at))
        day += timedelta(days=1)
    return items


def _undecided(items: list[Due], store: Store) -> list[Due]:
    """Drop what is already decided, days off and (for every kind) days already checked in."""
    pairs = {(item.rep.slack_id, item.day) for item in items}
    if not pairs:
        return []
    # A failed check-in is retried for as long as its grace window lasts, however often.
    decided = {kind: store.outbox.decided(kind, pairs, max_attempts=None) for kind in Kind}
    closed = store.days_off.among(pairs) | store.entries.checked_in(pairs)
    return [
        item
        for item in items
        if (pair := (item.rep.slack_id, item.day)) not in decided[item.kind] and pair not in closed
    ]


def _after_prompts(
    reminders: list[Due],
    skipped: set[tuple[str, date]],
    now: datetime,
    settings: Settings,
    store: Store,
) -> tuple[list[Due], list[Late]]:
    """Reminders timed from their prompt's sending, and those whose prompt will never go.

    A reminder whose prompt is still to send (or to retry) waits for it. The delay is added to
    the instant the prompt went, then brought back to the rep's zone, where their day is.
    """
    delay = timedelta(minutes=settings.schedule.reminder_delay_minutes)
    prompts = store.outbox.records(Kind.PROMPT, {(r.rep.slack_id, r.day) for r in reminders})

    timed: list[Due] = []
    orphaned: list[Late] = []
    for item in reminders:
        pair = (item.rep.slack_id, item.day)
        prompt = prompts.get(pair)
        if pair in skipped or (prompt is not None and given_up(prompt, max_attempts=None)):
            reason = "its prompt was not sent"
            orphaned.append(Late(item.kind, item.rep, item.day, item.due_at, reason))
        elif prompt is not None and prompt.status == SENT:
            after_prompt = ((prompt.sent_at or item.due_at) + delay).astimezone(item.due_at.tzinfo)
            due_at = max(item.due_at, after_prompt)
            if due_at <= now:
                timed.append(replace(item, due_at=due_at))
    return timed, orphaned


def _within_grace(
    items: list[Due], now: datetime, settings: Settings
) -> tuple[list[Due], list[Late]]:
    minutes = settings.schedule.grace_minutes
    due: list[Due] = []
    late: list[Late] = []
    for item in items:
        if now < deadline(item, settings):
            due.append(item)
            continue
        when = item.due_at.isoformat(timespec="minutes")
        reason = f"it fell due at {when}, past the {minutes} min grace window"
        late.append(Late(item.kind, item.rep, item.day, item.due_at, reason))
    return due, late


def _working(rep: RepRow, day: date, settings: Settings) -> bool:
    team = settings.team_named(rep.team)
    workdays = settings.workdays_of(team) if team else settings.schedule.workdays
    if WEEKDAYS[day.weekday()] not in workdays:
        return False
    holiday = holiday_name(rep.country, day)
    if holiday:
        logger.debug("No check-in for %s on %s: %s", rep.slack_id, day, holiday)
        return False
    return True
