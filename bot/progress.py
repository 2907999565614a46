"""Week-to-date calls against target, the numbers every prompt and summary shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from bot.blocks.checkin import DayTotals, WeekProgress
from bot.calendar import week_bounds, workdays_between
from bot.settings import Settings
from storage.store import Store


def week_progress(store: Store, settings: Settings, rep_id: str, day: date) -> WeekProgress:
    return weeks_progress(store, settings, [(rep_id, day)])[rep_id]


def weeks_progress(
    store: Store, settings: Settings, pairs: Iterable[tuple[str, date]]
) -> dict[str, WeekProgress]:
    """Progress for many reps with one query: each rep's ISO week holding their day."""
    reps_days = dict(pairs)
    if not reps_days:
        return {}
    weeks = {rep: week_bounds(day) for rep, day in reps_days.items()}
    start = min(monday for monday, _ in weeks.values())
    end = max(sunday for _, sunday in weeks.values())

    calls = dict.fromkeys(reps_days, 0)
    for row in store.entries.rows(start, end, rep_ids=list(reps_days)):
        monday, sunday = weeks[row.rep_id]
        if monday <= row.work_date <= sunday:
            calls[row.rep_id] += row.count

    return {
        rep: WeekProgress(
            calls=calls[rep],
            target=settings.weekly_target_calls(rep),
            workdays_left=_workdays_left(settings, rep, day),
        )
        for rep, day in reps_days.items()
    }


def _workdays_left(settings: Settings, rep_id: str, day: date) -> int:
    """Workdays after `day` in its week (holidays excluded)."""
    team = settings.team_of(rep_id)
    if team is None:
        return 0
    _, sunday = week_bounds(day)
    if day >= sunday:
        return 0
    return len(
        workdays_between(day + timedelta(days=1), sunday, settings.workdays_of(team), team.country)
    )


def day_totals(settings: Settings, day: date, counts: Mapping[tuple[str, str], int]) -> DayTotals:
    connects, meetings = settings.connect_outcomes(), settings.meeting_outcomes()
    return DayTotals(
        day=day,
        calls=sum(counts.values()),
        connects=sum(n for (_, outcome), n in counts.items() if outcome in connects),
        meetings=sum(n for (_, outcome), n in counts.items() if outcome in meetings),
    )
