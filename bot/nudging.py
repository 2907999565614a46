"""The one line of context in each rep's daily prompt: pace, a streak or a neglected call type."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta

from bot.dataset import Dataset
from bot.settings import Settings
from metrics.compliance import compliance
from metrics.nudges import neglected_call_types, pick_nudge
from metrics.pace import pace

logger = logging.getLogger(__name__)

HABIT_WEEKS = 4  # a call type's usual weekly calls come from this many working weeks
STREAK_WEEKS = 12  # NOTE: a check-in streak longer than this shows as this long


def nudge_window(as_of: date) -> tuple[date, date]:
    """The days a nudge reads: from a Monday STREAK_WEEKS back (which covers the habit
    weeks) to the Sunday of as_of's week, whose expected workdays pace needs."""
    monday = as_of - timedelta(days=as_of.weekday())
    weeks = max(STREAK_WEEKS, HABIT_WEEKS + 1)
    return monday - timedelta(weeks=weeks), monday + timedelta(days=6)


def nudge_for(dataset: Dataset, settings: Settings, rep_id: str, as_of: date) -> str | None:
    """One line for the rep's prompt on as_of (their local date), or None."""
    return nudges_for(dataset, settings, {rep_id: as_of})[rep_id]


def nudges_for(
    dataset: Dataset, settings: Settings, reps_days: Mapping[str, date]
) -> dict[str, str | None]:
    """The nudge of each rep on their own local date; None for all when nudges are off.

    Pace, compliance and neglected call types are computed once per distinct date (a
    tick's prompts fall on one or two), for all the reps asked about at once.
    """
    if not settings.nudges.enabled:
        return dict.fromkeys(reps_days)
    data = dataset.for_reps(set(reps_days))

    nudges: dict[str, str | None] = {}
    for day in sorted(set(reps_days.values())):
        _check_span(data, day)
        progress = pace(data.entries, data.checkins, data.expected, data.targets, day)
        streaks = compliance(data.checkins, data.expected, data.start, day, day)
        neglected = neglected_call_types(
            data.entries, data.checkins, data.expected, data.call_type_targets, day, HABIT_WEEKS
        )
        for rep_id in (rep for rep, rep_day in reps_days.items() if rep_day == day):
            # The prompt shows the week's calls against target; the nudge adds what it doesn't.
            nudges[rep_id] = pick_nudge(
                rep_id, progress, streaks, neglected, data.call_types, progress_shown=True
            )

    logger.debug(
        "Nudges for %d reps: %d with a line",
        len(reps_days),
        sum(line is not None for line in nudges.values()),
    )
    return {rep_id: nudges[rep_id] for rep_id in reps_days}


def _check_span(dataset: Dataset, as_of: date) -> None:
    """A dataset cut short would understate streaks or miscount the workdays left."""
    start, end = nudge_window(as_of)
    if start < dataset.start or end > dataset.end:
        raise ValueError(
            f"the dataset covers {dataset.start} to {dataset.end} but a nudge on {as_of} needs "
            f"{start} to {end}; load it with nudge_window()"
        )
