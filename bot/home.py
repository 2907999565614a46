"""Assemble and publish a person's App Home tab from stored numbers."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pandas as pd
from slack_sdk import WebClient

from bot.access import viewer
from bot.blocks.alerts import OPEN_ALERT_DAYS, open_alerts_blocks
from bot.blocks.checkin import WeekProgress
from bot.blocks.home import RepLine, TeamSection, home_view, not_on_a_team_home
from bot.blocks.replies import not_on_a_team
from bot.calendar import week_bounds
from bot.dataset import Dataset, load_dataset
from bot.progress import progress_from
from bot.services import Services
from bot.settings import Team
from metrics.compliance import compliance
from metrics.frames import to_day

logger = logging.getLogger(__name__)

# A Home tab holds 100 blocks: an admin sees the first teams and a count of the others.
MAX_TEAMS_ON_HOME = 20
STREAK_WEEKS = 12  # NOTE: a check-in streak longer than this shows as this long


def home_for(services: Services, user_id: str) -> dict[str, Any]:
    who = viewer(services.settings, user_id)
    if not who.known:
        return not_on_a_team_home(not_on_a_team()["text"])

    today = services.today_of(user_id)
    visible = list(services.settings.teams if who.admin else who.manages)
    teams = visible[:MAX_TEAMS_ON_HOME]
    shown = teams + ([who.team] if who.team and who.team not in teams else [])
    days = services.todays_of(rep for team in teams for rep in team.reps)
    dataset = _home_dataset(services, shown, [today, *days.values()])
    checkins = _compliance(dataset, today)

    week = checked_in = streak = None
    workday = True
    if who.is_rep:
        week = progress_from(dataset, [(user_id, today)])[user_id]
        checked_in = bool(services.store.entries.checked_in([(user_id, today)]))
        streak = _int(checkins, user_id, "streak")
        workday = _expected_on(dataset, user_id, today)

    progress = progress_from(dataset, days.items())
    sections = [_team_section(services, team, days, progress, checkins, dataset) for team in teams]
    extra = []
    if teams:
        since = today - timedelta(days=OPEN_ALERT_DAYS - 1)
        records = services.store.alerts.since(since, [team.name for team in teams])
        extra = open_alerts_blocks(records)
    return home_view(
        today=today,
        week=week,
        checked_in_today=bool(checked_in),
        workday_today=workday,
        streak=streak,
        teams=sections,
        extra=extra,
        more_teams=len(visible) - len(teams),
    )


def _home_dataset(services: Services, teams: list[Team], days: list[date]) -> Dataset:
    """One load for the whole tab: streak weeks back, to the end of the latest week shown."""
    first, _ = week_bounds(min(days))
    _, last = week_bounds(max(days))
    start = first - timedelta(weeks=STREAK_WEEKS)
    return load_dataset(services.store, services.settings, start, last, teams)


def _compliance(dataset: Dataset, today: date) -> pd.DataFrame:
    """This week's check-ins per rep, and streaks over the last weeks."""
    if dataset.expected.empty:
        return pd.DataFrame()
    monday, _ = week_bounds(today)
    week = compliance(dataset.checkins, dataset.expected, monday, today, today)
    return week.set_index("rep_id")


def _expected_on(dataset: Dataset, rep: str, day: date) -> bool:
    """Whether the rep is expected to check in on `day` (not a weekend, holiday or day off)."""
    expected = dataset.expected
    return bool(((expected["rep_id"] == rep) & (expected["work_date"] == to_day(day))).any())


def _int(frame: pd.DataFrame, rep: str, column: str) -> int | None:
    if rep not in frame.index:
        return None
    value = pd.to_numeric(frame[column]).get(rep)
    return None if value is None or pd.isna(value) else int(value)


def _team_section(
    services: Services,
    team: Team,
    days: dict[str, date],
    progress: dict[str, WeekProgress],
    checkins: pd.DataFrame,
    dataset: Dataset,
) -> TeamSection:
    """Each rep's week and today's check-in (or that today is off for them), for the manager."""
    checked = services.store.entries.checked_in((rep, days[rep]) for rep in team.reps)
    return TeamSection(
        name=team.name,
        reps=[
            RepLine(
                rep_id=rep,
                calls=progress[rep].calls,
                target=progress[rep].target,
                checked_in_today=(rep, days[rep]) in checked,
                days_checked_in=_int(checkins, rep, "checked_in_days"),
                days_expected=_int(checkins, rep, "expected_days"),
                due_today=_expected_on(dataset, rep, days[rep]),
            )
            for rep in team.reps
        ],
    )


def publish_home(client: WebClient, services: Services, user_id: str) -> None:
    client.views_publish(user_id=user_id, view=home_for(services, user_id))
    logger.debug("Published App Home for %s", user_id)
