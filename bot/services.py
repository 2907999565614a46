"""What every listener and job needs, built once at start and passed in explicitly."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from time import monotonic
from zoneinfo import ZoneInfo

from bot.calendar import first_zone
from bot.followups import FollowUps
from bot.settings import Settings
from storage.store import Store


def utc_now() -> datetime:
    return datetime.now(UTC)


# Threads kept for reloading an open check-in form, which its rep is looking at.
FORM_WORKERS = 2


@dataclass(frozen=True)
class Services:
    """`followups` runs the Slack calls after an ack (DM updates, notes, Home, /stats);
    `form_followups` only reloads open forms, so a form never waits behind those calls
    while they wait out a 429."""

    settings: Settings
    store: Store
    clock: Callable[[], datetime] = utc_now
    followups: FollowUps = field(default_factory=FollowUps)
    form_followups: FollowUps = field(default_factory=lambda: FollowUps(workers=FORM_WORKERS))

    def close_followups(self, timeout: float) -> None:
        """On shutdown: both kinds of follow-up share `timeout` seconds to finish."""
        deadline = monotonic() + timeout
        self.form_followups.close(timeout)
        self.followups.close(max(0.0, deadline - monotonic()))

    def zone_of(self, user_id: str) -> ZoneInfo:
        """The person's Slack time zone, else their team's, else the configured default."""
        person = self.store.roster.person(user_id)
        return self._zone(user_id, person.tz if person else None)

    def _zone(self, user_id: str, slack_tz: str | None) -> ZoneInfo:
        team = self.settings.team_of(user_id) or next(
            iter(self.settings.teams_managed_by(user_id)), None
        )
        return first_zone(slack_tz, team.timezone if team else None, self.settings.default_timezone)

    def today_of(self, user_id: str) -> date:
        """The person's local date right now."""
        return self.clock().astimezone(self.zone_of(user_id)).date()

    def zones_of(self, user_ids: Iterable[str]) -> dict[str, ZoneInfo]:
        """Time zones for many people (as zone_of) from one read of the directory cache."""
        tz = {p.slack_id: p.tz for p in self.store.roster.people()}
        return {user_id: self._zone(user_id, tz.get(user_id)) for user_id in user_ids}

    def todays_of(self, user_ids: Iterable[str]) -> dict[str, date]:
        """Local dates for many people from one read of the directory cache."""
        now = self.clock()
        return {
            user_id: now.astimezone(zone).date()
            for user_id, zone in self.zones_of(user_ids).items()
        }
