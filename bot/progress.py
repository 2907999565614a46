"""Week-to-date calls against target, the numbers every prompt and summary shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from bot.blocks.checkin import DayTotals, WeekProgress
from bot.calendar import week_bounds, workdays_between
from bot.settings import Settings
from storage.store import Store


def week_progress(
    store: Store, settings: Settings, rep_id: str, day: date, today: date | None = None
) -> WeekProgress:
    """The week holding `day` as of the rep's `today` (default: `day` is today)."""
    return weeks_progress(store, settings, [(rep_id, max(day, today or day))], week_of=day)[rep_id]


def weeks_progress(
    store: Store,
    settings: Settings,
    pairs: Iterable[tuple[str, date]],
    week_of: date | None = None,
) -> dict[str, WeekProgress]:
    """Progress for many reps with one query: each rep's ISO week holding their day.

    Each pair is (rep, the rep's today); workdays left are counted after it. With `week_of`,
    the week shown is the one holding that day instead, and a week already over says so.
    """
    reps_days = dict(pairs)
    if not reps_days:
        return {}
    weeks = {rep: week_bounds(week_of or day) for rep, day in reps_days.items()}
    start = min(monday for monday, _ in weeks.values())
    end = max(sunday for _, sunday in weeks.values())

    calls = dict.fromkeys(reps_days, 0)
    for row in store.entries.rows(start, end, rep_ids=list(reps_days)):
        monday, sunday = weeks[row.rep_id]
        if monday <= row.work_date <= sunday:
            calls[row.rep_id] += row.count
    days_off = set(store.days_off.between(start, end))

    progress = {}
    for rep, day in reps_days.items():
        working = _working_days(settings, rep, *weeks[rep], days_off)
        monday, sunday = weeks[rep]
        progress[rep] = WeekProgress(
            calls=calls[rep],
            target=_week_target(settings, rep, len(working)),
            workdays_left=sum(1 for d in working if d > day),
            past_week=monday if day > sunday else None,
        )
    return progress


def _working_days(
    settings: Settings, rep_id: str, monday: date, sunday: date, days_off: set[tuple[str, date]]
) -> list[date]:
    """The rep's workdays that week: not a holiday, not a day off."""
    team = settings.team_of(rep_id)
    if team is None:
        return []
    workdays = workdays_between(monday, sunday, settings.workdays_of(team), team.country)
    return [day for day in workdays if (rep_id, day) not in days_off]


def _week_target(settings: Settings, rep_id: str, working: int) -> int | None:
    """The weekly target, pro rata for a week shortened by holidays or days off."""
    target = settings.weekly_target_calls(rep_id)
    team = settings.team_of(rep_id)
    if target is None or team is None:
        return target
    usual = len(settings.workdays_of(team))
    return round(target * min(working, usual) / usual)


def day_totals(settings: Settings, day: date, counts: Mapping[tuple[str, str], int]) -> DayTotals:
    connects, meetings = settings.connect_outcomes(), settings.meeting_outcomes()
    return DayTotals(
        day=day,
        calls=sum(counts.values()),
        connects=sum(n for (_, outcome), n in counts.items() if outcome in connects),
        meetings=sum(n for (_, outcome), n in counts.items() if outcome in meetings),
    )
