"""Nudges over a real store: behind pace, a neglected call type, a streak, and switched off.

The history is test_alerting's: East logs ten cold calls each workday from Mon 5 Oct 2026.
The prompt goes out on Wed 2 Dec before anyone checked in that day.
"""

from __future__ import annotations

from datetime import date

import pytest
from test_alerting import REP1, REP2, REP3, START, history, seed

from bot.dataset import Dataset, load_dataset
from bot.nudging import nudge_for, nudge_window, nudges_for
from bot.settings import Settings
from storage.store import Store

TUE, WED = date(2026, 12, 1), date(2026, 12, 2)


@pytest.fixture
def dataset(store: Store, settings: Settings) -> Dataset:
    """U01REP0001 skipped Tue 24 Nov; U01REP0002 makes 6 calls a day this week; U01REP0003
    (60 calls, 8 demos a week) makes 12 cold calls a day this week and no demo."""
    days = history(settings, START, TUE)
    del days[REP1, date(2026, 11, 24)]
    days |= history(settings, date(2026, 11, 30), TUE, [REP2], lambda _: {("cold_call", "lost"): 6})
    days |= history(
        settings, date(2026, 11, 30), TUE, [REP3], lambda _: {("cold_call", "no_answer"): 12}
    )
    seed(store, settings, days)
    return load_dataset(store, settings, *nudge_window(WED))


def test_window_covers_streaks_and_the_whole_week() -> None:
    assert nudge_window(WED) == (date(2026, 9, 7), date(2026, 12, 6))


def test_behind_pace_comes_first(dataset: Dataset, settings: Settings) -> None:
    # 12 calls over Monday and Tuesday project to 30 of 50; today is not over yet. The prompt
    # already shows "12 of 50", so the nudge gives the projection instead.
    assert (
        nudge_for(dataset, settings, REP2, WED) == "At this pace the week ends near 30 of 50 calls"
    )


def test_a_neglected_call_type_with_a_target(dataset: Dataset, settings: Settings) -> None:
    # On pace (24 of 60 after two of five days), but no demo against a target of 8.
    assert (
        nudge_for(dataset, settings, REP3, WED) == "No Demo calls yet this week; your target is 8"
    )


def test_a_streak_when_on_pace(dataset: Dataset, settings: Settings) -> None:
    # Wed 25, Fri 27 Nov (Thanksgiving skipped), Mon 30 Nov, Tue 1 Dec.
    assert nudge_for(dataset, settings, REP1, WED) == "4-day check-in streak"


def test_batch_matches_one_by_one(dataset: Dataset, settings: Settings) -> None:
    reps = {REP1: WED, REP2: WED, REP3: TUE, "U01REP0004": WED, "U9NOBODY": WED}

    nudges = nudges_for(dataset, settings, reps)

    assert list(nudges) == list(reps)
    assert nudges == {rep: nudge_for(dataset, settings, rep, day) for rep, day in reps.items()}
    assert nudges["U01REP0004"] == "At this pace the week ends near 0 of 45 calls"  # no check-ins
    assert nudges["U9NOBODY"] is None


def test_switched_off(dataset: Dataset, settings: Settings) -> None:
    off = settings.model_copy(
        update={"nudges": settings.nudges.model_copy(update={"enabled": False})}
    )

    assert nudge_for(dataset, off, REP2, WED) is None
    assert nudges_for(dataset, off, {REP1: WED, REP3: WED}) == {REP1: None, REP3: None}


def test_a_short_dataset_is_refused(store: Store, settings: Settings) -> None:
    short = load_dataset(store, settings, date(2026, 11, 30), WED)

    with pytest.raises(ValueError, match="nudge_window"):
        nudge_for(short, settings, REP1, WED)
