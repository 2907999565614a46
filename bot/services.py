"""What every listener and job needs, built once at start and passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.calendar import first_zone
from bot.settings import Settings
from storage.store import Store


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    settings: Settings
    store: Store
    clock: Callable[[], datetime] = utc_now

    def zone_of(self, user_id: str) -> ZoneInfo:
        """The person's Slack time zone, else their team's, else the configured default."""
        person = self.store.roster.person(user_id)
        team = self.settings.team_of(user_id) or next(
            iter(self.settings.teams_managed_by(user_id)), None
        )
        return first_zone(
            person.tz if person else None,
            team.timezone if team else None,
            self.settings.default_timezone,
        )

    def today_of(self, user_id: str) -> date:
        """The person's local date right now."""
        return self.clock().astimezone(self.zone_of(user_id)).date()
