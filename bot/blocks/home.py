"""The App Home tab: a rep's week, a manager's team at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks import BlockDict, context, escape, long_day, plain, section
from bot.blocks.checkin import WeekProgress, week_line


@dataclass(frozen=True)
class RepLine:
    """One rep in a manager's view."""

    rep_id: str
    calls: int
    target: int | None
    checked_in_today: bool
    days_checked_in: int | None = None  # this week, of the days expected so far
    days_expected: int | None = None


@dataclass(frozen=True)
class TeamSection:
    name: str
    reps: Sequence[RepLine]


def home_view(
    *,
    today: date,
    week: WeekProgress | None,
    checked_in_today: bool,
    workday_today: bool = True,
    streak: int | None = None,
    teams: Sequence[TeamSection] = (),
    extra: Sequence[BlockDict] = (),
) -> dict[str, Any]:
    """A rep sees their week (`week`); a manager or admin sees each team in `teams`.

    `workday_today` is False on a weekend, holiday or day off: no check-in is due then.
    """
    blocks: list[BlockDict] = [{"type": "header", "text": plain(f"{long_day(today)}")}]
    if week is not None:
        blocks += _rep_blocks(today, week, checked_in_today, workday_today, streak)
    for team in teams:
        blocks += _team_blocks(team)
    blocks += list(extra)
    return {"type": "home", "blocks": blocks[:100]}


def not_on_a_team_home(line: str) -> dict[str, Any]:
    return {"type": "home", "blocks": [section(line)]}


def _rep_blocks(
    today: date, week: WeekProgress, checked_in: bool, workday: bool, streak: int | None
) -> list[BlockDict]:
    if checked_in:
        status = "You have checked in today."
    elif workday:
        status = "You have not checked in today yet."
    else:
        status = "No check-in due today."
    if streak:
        status += f" Check-in streak: {streak} workday{'s' if streak != 1 else ''}."
    return [
        section(f"*Your week*\n{week_line(week)}\n{status}"),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "open_checkin",
                    "text": plain("Log today's calls" if not checked_in else "Edit today"),
                    "value": today.isoformat(),
                    "style": "primary",
                }
            ],
        },
        {"type": "divider"},
    ]


def _team_blocks(team: TeamSection) -> list[BlockDict]:
    if not team.reps:
        return [section(f"*{escape(team.name)}*\nNo reps on this team yet."), {"type": "divider"}]
    lines = [_rep_line(rep) for rep in team.reps]
    done = sum(rep.checked_in_today for rep in team.reps)
    return [
        section(f"*{escape(team.name)}* — this week"),
        section("\n".join(lines)),
        context(f"{done} of {len(team.reps)} reps checked in today."),
        {"type": "divider"},
    ]


def _rep_line(rep: RepLine) -> str:
    mark = ":white_check_mark:" if rep.checked_in_today else ":hourglass_flowing_sand:"
    target = f" of {rep.target}" if rep.target else ""
    line = f"{mark} <@{rep.rep_id}>: {rep.calls}{target} calls"
    if rep.days_expected:
        line += f" · checked in {rep.days_checked_in or 0}/{rep.days_expected} days"
    return line
