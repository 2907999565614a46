"""Who is due a prompt or a reminder at a given instant, each in their own time zone."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.calendar import holiday_name, local_at, rep_zone
from bot.settings import WEEKDAYS, Settings
from storage.roster import RepRow
from storage.store import Store

logger = logging.getLogger(__name__)


class Kind(StrEnum):
    PROMPT = "prompt"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Due:
    kind: Kind
    rep: RepRow
    day: date
    due_at: datetime


@dataclass(frozen=True)
class Late:
    """Fell due longer ago than the grace window: recorded as skipped, never sent."""

    kind: Kind
    rep: RepRow
    day: date
    due_at: datetime


def send_time(kind: Kind, settings: Settings) -> time:
    start = datetime.combine(date.min, settings.schedule.checkin_time)
    if kind is Kind.REMINDER:
        start += timedelta(minutes=settings.schedule.reminder_delay_minutes)
    return start.time()


def find_due(
    now: datetime, settings: Settings, store: Store, reps: Sequence[RepRow]
) -> tuple[list[Due], list[Late]]:
    """Prompts and reminders that fall due by `now` and have not been decided yet.

    A rep's day counts only if it is one of their team's workdays, not a public holiday
    of the team's country and not a recorded day off. A reminder also needs the day not
    to be checked in. Anything past the grace window is returned as late.
    """
    grace = timedelta(minutes=settings.schedule.grace_minutes)
    candidates: list[Due] = []
    for rep in reps:
        tz = rep_zone(rep, settings)
        day = now.astimezone(tz).date()
        if not _working(rep, day, settings):
            continue
        for kind in Kind:
            due_at = local_at(day, send_time(kind, settings), tz)
            if due_at <= now:
                candidates.append(Due(kind, rep, day, due_at))
    if not candidates:
        return [], []

    # Drop what is already decided, days off and (for every kind) days already checked in.
    pairs = {(d.rep.slack_id, d.day) for d in candidates}
    decided = {kind: store.outbox.decided(kind, pairs) for kind in Kind}
    days_off = store.days_off.among(pairs)
    checked_in = store.entries.checked_in(pairs)

    due: list[Due] = []
    late: list[Late] = []
    for item in candidates:
        pair = (item.rep.slack_id, item.day)
        if pair in decided[item.kind] or pair in days_off or pair in checked_in:
            continue
        if now - item.due_at >= grace:
            late.append(Late(item.kind, item.rep, item.day, item.due_at))
        else:
            due.append(item)
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
