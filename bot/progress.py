"""Week-to-date calls against target, the numbers every prompt, summary and App Home shows.

They come from metrics.pace over the same Dataset that /stats, nudges, alerts and the weekly
report read, so a rep sees one target and one count of workdays left wherever they look.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd

from bot.blocks.checkin import DayTotals, WeekProgress
from bot.calendar import week_bounds
from bot.dataset import Dataset, load_dataset
from bot.settings import Settings
from metrics.frames import between
from metrics.pace import pace
from storage.store import Store

logger = logging.getLogger(__name__)


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
    """Progress for many reps from one load of their teams' data; see progress_from."""
    reps_days = dict(pairs)
    if not reps_days:
        return {}

    weeks = [week_bounds(week_of or day) for day in reps_days.values()]
    teams = [team for team in settings.teams if not reps_days.keys().isdisjoint(team.reps)]
    start, end = min(monday for monday, _ in weeks), max(sunday for _, sunday in weeks)
    dataset = load_dataset(store, settings, start, end, teams)

    return progress_from(dataset, reps_days.items(), week_of)


def progress_from(
    dataset: Dataset, pairs: Iterable[tuple[str, date]], week_of: date | None = None
) -> dict[str, WeekProgress]:
    """Each rep's ISO week holding their day, as metrics.pace sees it.

    Each pair is (rep, the rep's today). With `week_of`, the week shown is the one holding
    that day instead, and a week already over says so. The dataset must cover those weeks.

    The target is the weekly one pro rata for the workdays expected of the rep that week:
    holidays, days off and the days before they joined (their team membership or their
    first logged day, whichever is earlier) each take a day's share off. A rep with no
    workday expected that week has a week off, with no target.

    Workdays left count today until the rep has checked in. A 16:30 prompt's count does not
    hold today's calls yet, so today is still a day whose calls are to come: "32 of 50
    calls, 3 workdays left" on a Wednesday adds up to the week. Once logged, today drops out.

    NOTE: weeks are ISO weeks, Monday to Sunday, here as everywhere in metrics/. A team that
    works Sunday to Thursday has the Sunday that starts its week counted with the Monday to
    Thursday before it.
    """
    reps_days = dict(pairs)
    as_of = {rep: _as_of(day, week_of) for rep, day in reps_days.items()}
    _check_span(dataset, as_of.values())

    progress: dict[str, WeekProgress] = {}
    for day in sorted(set(as_of.values())):
        over = {rep: reps_days[rep] > week_bounds(day)[1] for rep, d in as_of.items() if d == day}
        progress |= _progress_on(dataset, day, over)
    return {rep: progress[rep] for rep in reps_days}


def _as_of(today: date, week_of: date | None) -> date:
    """The day the week is seen from: today, or the last day of a week shown after it ended."""
    monday, sunday = week_bounds(week_of or today)
    return min(max(today, monday), sunday)


def _check_span(dataset: Dataset, days: Iterable[date]) -> None:
    """Pace needs every expected day of the week; a shorter dataset would shrink the target."""
    for day in days:
        monday, sunday = week_bounds(day)
        if monday < dataset.start or sunday > dataset.end:
            raise ValueError(
                f"the dataset covers {dataset.start} to {dataset.end} but the week of {day} "
                f"needs {monday} to {sunday}; load whole ISO weeks"
            )


def _progress_on(
    dataset: Dataset, as_of: date, over: Mapping[str, bool]
) -> dict[str, WeekProgress]:
    """The reps in `over` (rep -> whether their week is already over), as of `as_of`."""
    monday, _ = week_bounds(as_of)
    week = pace(dataset.entries, dataset.checkins, dataset.expected, dataset.targets, as_of)
    rows = {str(row["rep_id"]): row for row in week.to_dict("records")}
    calls = between(dataset.entries, monday, as_of).groupby("rep_id")["count"].sum()

    progress = {}
    for rep, past in over.items():
        progress[rep] = _week(rows.get(rep), int(calls.get(rep, 0)), monday if past else None)
    logger.debug("Week progress as of %s for %d reps", as_of, len(progress))
    return progress


def _week(row: Mapping[Hashable, Any] | None, calls: int, past_week: date | None) -> WeekProgress:
    """One rep's progress from their pace row; no row means no workday expected that week."""
    if row is None:
        return WeekProgress(
            calls=calls, target=None, workdays_left=0, past_week=past_week, week_off=True
        )
    target = None if pd.isna(row["target"]) else round(float(row["target"]))
    left = 0 if past_week is not None else int(row["workdays_left"])
    return WeekProgress(calls=calls, target=target, workdays_left=left, past_week=past_week)


def day_totals(settings: Settings, day: date, counts: Mapping[tuple[str, str], int]) -> DayTotals:
    connects, meetings = settings.connect_outcomes(), settings.meeting_outcomes()
    return DayTotals(
        day=day,
        calls=sum(counts.values()),
        connects=sum(n for (_, outcome), n in counts.items() if outcome in connects),
        meetings=sum(n for (_, outcome), n in counts.items() if outcome in meetings),
    )
