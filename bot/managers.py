"""Managers as the scheduled jobs see them: their teams and their local clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.calendar import first_zone
from bot.settings import WEEKDAYS, Settings, Team
from storage.store import Store


@dataclass(frozen=True)
class ManagerClock:
    user_id: str
    teams: tuple[Team, ...]
    tz: ZoneInfo
    local: datetime

    @property
    def today(self) -> date:
        return self.local.date()

    def past(self, at: time) -> bool:
        return self.local.time() >= at

    def is_weekday(self, name: str) -> bool:
        return WEEKDAYS[self.today.weekday()] == name


def managers_at(now: datetime, settings: Settings, store: Store) -> list[ManagerClock]:
    """Every manager with their teams, in their Slack time zone (else their first team's)."""
    people = {p.slack_id: p for p in store.roster.people()}
    by_manager: dict[str, list[Team]] = {}
    for team in settings.teams:
        by_manager.setdefault(team.manager, []).append(team)

    clocks = []
    for user_id, teams in by_manager.items():
        person = people.get(user_id)
        if person is not None and not person.active:
            continue
        tz = first_zone(person.tz if person else None, teams[0].timezone)
        clocks.append(ManagerClock(user_id, tuple(teams), tz, now.astimezone(tz)))
    return clocks
