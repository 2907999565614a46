"""Assemble and publish a person's App Home tab from stored numbers."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient

from bot.access import viewer
from bot.blocks.home import RepLine, TeamSection, home_view, not_on_a_team_home
from bot.blocks.replies import not_on_a_team
from bot.progress import weeks_progress
from bot.services import Services
from bot.settings import Team

logger = logging.getLogger(__name__)

# A Home tab holds 100 blocks; each team takes four, so an admin sees the first teams only.
MAX_TEAMS_ON_HOME = 20


def home_for(services: Services, user_id: str) -> dict[str, Any]:
    who = viewer(services.settings, user_id)
    if not who.known:
        return not_on_a_team_home(not_on_a_team()["text"])

    today = services.today_of(user_id)
    week = None
    checked_in = False
    if who.is_rep:
        week = weeks_progress(services.store, services.settings, [(user_id, today)])[user_id]
        checked_in = bool(services.store.entries.checked_in([(user_id, today)]))

    teams = list(services.settings.teams if who.admin else who.manages)[:MAX_TEAMS_ON_HOME]
    sections = [_team_section(services, team) for team in teams]
    return home_view(today=today, week=week, checked_in_today=checked_in, teams=sections)


def _team_section(services: Services, team: Team) -> TeamSection:
    days = {rep: services.today_of(rep) for rep in team.reps}
    progress = weeks_progress(services.store, services.settings, days.items())
    checked = services.store.entries.checked_in(days.items())
    return TeamSection(
        name=team.name,
        reps=[
            RepLine(
                rep_id=rep,
                calls=progress[rep].calls,
                target=progress[rep].target,
                checked_in_today=(rep, days[rep]) in checked,
            )
            for rep in team.reps
        ],
    )


def publish_home(client: WebClient, services: Services, user_id: str) -> None:
    client.views_publish(user_id=user_id, view=home_for(services, user_id))
    logger.debug("Published App Home for %s", user_id)
