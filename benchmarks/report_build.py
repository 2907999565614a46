"""How long the weekly report takes: load_dataset + build_team_report on seeded SQLite.

Two scenarios, each seeded with store.entries.import_days into a fresh SQLite file in a
temporary folder:

  demo  the repository's app.yaml (3 teams, 8 reps), 12 weeks of history;
  large 100 teams of 10 reps, 52 weeks of history (about 1.5 million entry rows).

Run from the repository root:

    .venv/bin/python benchmarks/report_build.py              # both scenarios
    .venv/bin/python benchmarks/report_build.py --only demo
    .venv/bin/python benchmarks/report_build.py --weeks 13   # a shorter large history

NOTE: seeding dominates the large scenario. import_days goes through the ORM and writes an
audit row per cell, about 900 rep-days a second on a 2-core machine, so a year for 1,000
reps takes roughly five minutes before anything is measured; --weeks shortens it.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Generic, TypeVar

from sqlalchemy import func, select

from bot.dataset import Dataset, load_dataset
from bot.report import build_team_report, report_span, report_week_for
from bot.runtime import team_specs
from bot.settings import Settings, load_settings
from storage.models import CheckIn, Entry
from storage.store import Store

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 30)  # reports on 2026-W48
CELLS_PER_DAY = 6
SEED = 48


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["demo", "large"], help="run one scenario")
    parser.add_argument("--weeks", type=int, default=52, help="history of the large scenario")
    args = parser.parse_args(argv)
    if not 1 <= args.weeks <= 104:
        parser.error("--weeks must be between 1 and 104")

    logging.basicConfig(level=logging.WARNING)
    if args.only in (None, "demo"):
        run("demo: app.yaml, 3 teams / 8 reps, 12 weeks", load_settings(REPO / "app.yaml"), 12)
    if args.only in (None, "large"):
        run(f"large: 100 teams / 1,000 reps, {args.weeks} weeks", large_settings(), args.weeks)
    return 0


def run(title: str, settings: Settings, weeks: int) -> None:
    """Seed a fresh database, then time one team's report and every team's."""
    say(f"\n== {title}\n")
    monday, _, label = report_week_for(TODAY)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{folder}/bench.db")
        try:
            seeded = timed(lambda: seed(store, settings, monday, weeks))
            entries, checkins = counts(store)
            say(
                f"{'seed':<16} {seeded.seconds:8.2f} s  {seeded.value:,} rep-days: "
                f"{entries:,} entry rows, {checkins:,} check-ins\n"
            )
            measure(store, settings, monday, label)
        finally:
            store.close()


def measure(store: Store, settings: Settings, monday: date, label: str) -> None:
    span = report_span(settings, monday)
    team = settings.teams[0]

    one = timed(lambda: load_dataset(store, settings, *span, teams=[team]))
    say_load("load 1 team", one.seconds, one.value)
    built = timed(lambda: build_team_report(one.value, settings, team, monday))
    say(f"{'build 1 team':<16} {built.seconds:8.2f} s  {label}, {len(built.value.charts)} charts\n")

    every = timed(lambda: load_dataset(store, settings, *span))
    say_load(f"load all {len(settings.teams)}", every.seconds, every.value)
    reports = timed(
        lambda: [build_team_report(every.value, settings, t, monday) for t in settings.teams]
    )
    per_team = reports.seconds / len(settings.teams)
    say(f"{'build all':<16} {reports.seconds:8.2f} s  ({per_team:.2f} s a team)\n")
    say(f"{'total, 1 team':<16} {one.seconds + built.seconds:8.2f} s\n")
    say(f"{'total, all':<16} {every.seconds + reports.seconds:8.2f} s\n")


def large_settings() -> Settings:
    """100 US teams of 10 reps, each with a plan, on app.yaml's call types and outcomes."""
    teams = [
        {
            "name": f"Team {team:03d}",
            "manager": f"UM{team:07d}",
            "reps": [f"UR{team:03d}{rep:04d}" for rep in range(10)],
            "plan": {
                "calls_per_rep_per_week": 50,
                "connect_rate": 0.3,
                "meeting_rate": 0.25,
                "win_rate": 0.2,
                "average_deal_value": 12000,
            },
        }
        for team in range(100)
    ]
    base = load_settings(REPO / "app.yaml").model_dump()
    return Settings.model_validate(base | {"teams": teams, "targets": {"default": {"calls": 50}}})


def seed(store: Store, settings: Settings, monday: date, weeks: int) -> int:
    """Every rep logs about six cells on each weekday of `weeks` weeks ending `monday`'s."""
    first = monday - timedelta(weeks=weeks - 1)
    store.roster.sync_config(team_specs(settings), settings.admins, first)
    cells = [(c.key, o.key) for c in settings.call_types for o in settings.outcomes]
    rng = random.Random(SEED)

    days = {
        (rep, day): {cell: rng.randint(1, 8) for cell in rng.sample(cells, CELLS_PER_DAY)}
        for day in weekdays(first, monday + timedelta(days=6))
        for team in settings.teams
        for rep in team.reps
    }
    now = datetime.now(UTC)
    store.entries.import_days(days, changed_by="benchmark", source="import", now=now, chunk=2000)
    return len(days)


def weekdays(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        if day.weekday() < 5:
            yield day


def counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as connection:
        entries = connection.scalar(select(func.count()).select_from(Entry)) or 0
        checkins = connection.scalar(select(func.count()).select_from(CheckIn)) or 0
    return entries, checkins


T = TypeVar("T")


@dataclass(frozen=True)
class Timed(Generic[T]):
    seconds: float
    value: T


def timed(work: Callable[[], T]) -> Timed[T]:
    started = time.perf_counter()
    value = work()
    return Timed(time.perf_counter() - started, value)


def say_load(what: str, seconds: float, dataset: Dataset) -> None:
    say(
        f"{what:<16} {seconds:8.2f} s  {len(dataset.entries):,} entry rows, "
        f"{len(dataset.checkins):,} check-ins, {len(dataset.expected):,} expected days "
        f"({dataset.start} to {dataset.end})\n"
    )


def say(text: str) -> None:
    """Results go to stdout, where a benchmark's reader looks for them."""
    sys.stdout.write(text)
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
