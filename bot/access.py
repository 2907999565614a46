"""Who may do what: reps log and see their own numbers, managers their team's, admins all."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings, Team


@dataclass(frozen=True)
class Viewer:
    user_id: str
    team: Team | None  # the team they are a rep on
    manages: tuple[Team, ...]
    admin: bool

    @property
    def is_rep(self) -> bool:
        return self.team is not None

    @property
    def known(self) -> bool:
        """On some team in app.yaml, in any role."""
        return self.is_rep or bool(self.manages) or self.admin

    def may_see_rep(self, rep_id: str) -> bool:
        return (
            self.admin
            or rep_id == self.user_id
            or any(rep_id in team.reps for team in self.manages)
        )

    def may_see_team(self, team: Team) -> bool:
        return self.admin or any(team.name == managed.name for managed in self.manages)


def viewer(settings: Settings, user_id: str) -> Viewer:
    return Viewer(
        user_id=user_id,
        team=settings.team_of(user_id),
        manages=tuple(settings.teams_managed_by(user_id)),
        admin=settings.is_admin(user_id),
    )
