"""People and teams: mirrored from app.yaml, enriched with what Slack's directory says."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Membership, Person, Team

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TeamSpec:
    """A team as configured: plain values, so storage never depends on the config schema."""

    name: str
    manager: str
    reps: Sequence[str]
    country: str
    timezone: str


@dataclass(frozen=True)
class Profile:
    """What Slack's directory says of a user (users.list, users.info or a user_change event)."""

    slack_id: str
    display_name: str | None
    tz: str | None
    deleted: bool


@dataclass(frozen=True)
class RepRow:
    slack_id: str
    display_name: str | None
    tz: str | None
    team: str
    team_timezone: str
    country: str
    joined_on: date


class Roster:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def sync_config(
        self,
        teams: Sequence[TeamSpec],
        admins: Sequence[str],
        joined_on: date | Mapping[str, date],
    ) -> None:
        """Make people, teams and memberships match app.yaml; entries of removed reps stay.

        `joined_on` is the day a rep who joins a team now counts from: one day for everyone,
        or a day per rep ID (each in their own time zone); reps already on it keep theirs.
        """
        with self._sessions.begin() as session:
            roles = _roles(teams, admins)
            for slack_id, role in roles.items():
                person = session.get(Person, slack_id)
                if person is None:
                    session.add(Person(slack_id=slack_id, role=role, active=True))
                else:
                    person.role = role
            session.flush()

            # Teams first, then memberships: a rep may move between teams in one edit.
            by_name = {t.name: t for t in session.scalars(select(Team))}
            for spec in teams:
                team = by_name.get(spec.name) or Team(name=spec.name)
                team.manager_id = spec.manager
                team.country = spec.country
                team.timezone = spec.timezone
                session.add(team)
            for name, team in by_name.items():
                if name not in {t.name for t in teams}:
                    session.delete(team)
            session.flush()

            self._sync_memberships(session, teams, joined_on)

        logger.info("Roster synced from configuration: %d teams, %d people", len(teams), len(roles))

    def _sync_memberships(
        self, session: Session, teams: Sequence[TeamSpec], joined_on: date | Mapping[str, date]
    ) -> None:
        def first_day(rep_id: str) -> date:
            return joined_on if isinstance(joined_on, date) else joined_on[rep_id]

        team_ids = {t.name: t.id for t in session.scalars(select(Team))}
        wanted = {rep: team_ids[spec.name] for spec in teams for rep in spec.reps}
        current = {m.rep_id: m for m in session.scalars(select(Membership))}

        for rep_id, membership in current.items():
            if rep_id not in wanted:
                session.delete(membership)
            elif membership.team_id != wanted[rep_id]:
                membership.team_id = wanted[rep_id]
                membership.joined_on = first_day(rep_id)
        for rep_id, team_id in wanted.items():
            if rep_id not in current:
                session.add(Membership(rep_id=rep_id, team_id=team_id, joined_on=first_day(rep_id)))

    def apply_profiles(self, profiles: Iterable[Profile], now: datetime) -> list[str]:
        """Store Slack's time zones and names; return the IDs that Slack says are gone."""
        deactivated: list[str] = []
        with self._sessions.begin() as session:
            known = {p.slack_id: p for p in session.scalars(select(Person))}
            for profile in profiles:
                person = known.get(profile.slack_id)
                if person is None:
                    continue
                person.display_name = profile.display_name or person.display_name
                person.tz = profile.tz or person.tz
                person.synced_at = now
                if profile.deleted and person.active:
                    person.active = False
                    person.inactive_reason = "deactivated in Slack"
                    deactivated.append(person.slack_id)
                elif not profile.deleted and not person.active:
                    person.active = True
                    person.inactive_reason = None
        return deactivated

    def touch(self, slack_ids: Iterable[str], now: datetime) -> None:
        """Note that the directory was asked about these people, whatever it answered."""
        with self._sessions.begin() as session:
            session.execute(
                update(Person).where(Person.slack_id.in_(list(slack_ids))).values(synced_at=now)
            )

    def mark_inactive(self, slack_id: str, reason: str) -> bool:
        """Stop messaging someone; True only the first time, so callers log it once."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(Person)
                .where(Person.slack_id == slack_id, Person.active.is_(True))
                .values(active=False, inactive_reason=reason)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def person(self, slack_id: str) -> Person | None:
        with self._sessions() as session:
            return session.get(Person, slack_id)

    def people(self) -> list[Person]:
        with self._sessions() as session:
            return list(session.scalars(select(Person).order_by(Person.slack_id)))

    def oldest_sync(self) -> datetime | None:
        """When the least recently synced active person was last seen in Slack's directory."""
        with self._sessions() as session:
            people = session.scalars(select(Person).where(Person.active.is_(True))).all()
            if any(p.synced_at is None for p in people):
                return None
            return min((p.synced_at for p in people if p.synced_at), default=None)

    def active_reps(self) -> list[RepRow]:
        """Every active rep on a team, with what is needed to work out their local time."""
        query = (
            select(Person, Team, Membership)
            .join(Membership, Membership.rep_id == Person.slack_id)
            .join(Team, Team.id == Membership.team_id)
            .where(Person.active.is_(True))
            .order_by(Person.slack_id)
        )
        with self._sessions() as session:
            return [
                RepRow(
                    slack_id=person.slack_id,
                    display_name=person.display_name,
                    tz=person.tz,
                    team=team.name,
                    team_timezone=team.timezone,
                    country=team.country,
                    joined_on=membership.joined_on,
                )
                for person, team, membership in session.execute(query)
            ]


def _roles(teams: Sequence[TeamSpec], admins: Sequence[str]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for spec in teams:
        for rep in spec.reps:
            roles[rep] = "rep"
        roles[spec.manager] = "manager"
    for admin in admins:
        roles[admin] = "admin"
    return roles
