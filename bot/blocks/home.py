"""The App Home tab: a rep's week, a manager's team at a glance."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks import (
    SECTION_TEXT_LIMIT,
    BlockDict,
    context,
    escape,
    long_day,
    plain,
    plural,
    section,
)
from bot.blocks.checkin import WeekProgress, week_line
from bot.blocks.stats import packed_lines

logger = logging.getLogger(__name__)

HOME_BLOCK_LIMIT = 100  # Slack's limit for a Home tab view
TEAM_FRAME_BLOCKS = 3  # a team's title, its check-in count and the divider around its reps


@dataclass(frozen=True)
class RepLine:
    """One rep in a manager's view."""

    rep_id: str
    calls: int
    target: int | None
    checked_in_today: bool
    days_checked_in: int | None = None  # this week, of the days expected so far
    days_expected: int | None = None
    due_today: bool = True  # False on the rep's weekend, holiday or day off


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
    more_teams: int = 0,
) -> dict[str, Any]:
    """A rep sees their week (`week`); a manager or admin sees each team in `teams`.

    `workday_today` is False on a weekend, holiday or day off: no check-in is due then.
    Teams fill what Slack's 100 blocks leave after the rep's week and `extra`; teams and reps
    that do not fit are counted in an "…and N more" line, as are `more_teams` the caller
    left out itself.
    """
    blocks: list[BlockDict] = [{"type": "header", "text": plain(f"{long_day(today)}")}]
    if week is not None:
        blocks += _rep_blocks(today, week, checked_in_today, workday_today, streak)

    room = HOME_BLOCK_LIMIT - len(blocks) - len(extra) - 1  # one for the "…and N more" line
    if room < 0:
        raise ValueError(f"{len(extra)} extra blocks leave no room in a Home tab of 100")
    blocks += _teams_blocks(teams, room, more_teams)
    blocks += list(extra)
    return {"type": "home", "blocks": blocks}


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


def _teams_blocks(teams: Sequence[TeamSection], room: int, more_teams: int) -> list[BlockDict]:
    """Teams in order while they fit in `room` blocks, then one line counting the rest."""
    blocks: list[BlockDict] = []
    for index, team in enumerate(teams):
        shown = _team_blocks(team, room - len(blocks))
        if not shown:
            more_teams += len(teams) - index
            break
        blocks += shown

    if more_teams:
        logger.info("Left %d teams out of a Home tab to fit Slack's limit", more_teams)
        blocks.append(
            context(
                f"…and {plural(more_teams, 'more team')} not shown here; "
                "`/stats team NAME` shows any of them."
            )
        )
    return blocks


def _team_blocks(team: TeamSection, budget: int) -> list[BlockDict]:
    """The team in at most `budget` blocks, its rep lines over as many sections as they need.

    Empty when even its title and one section of reps would not fit.
    """
    if not team.reps:
        empty = [section(f"*{escape(team.name)}*\nNo reps on this team yet."), {"type": "divider"}]
        return empty if budget >= len(empty) else []

    groups = packed_lines([_rep_line(rep) for rep in team.reps], SECTION_TEXT_LIMIT)
    shown = groups[: max(0, budget - TEAM_FRAME_BLOCKS)]
    if not shown:
        return []

    hidden = len(team.reps) - sum(len(group) for group in shown)
    due = [rep for rep in team.reps if rep.due_today or rep.checked_in_today]
    done = sum(rep.checked_in_today for rep in due)
    off = len(team.reps) - len(due)
    status = f"{done} of {len(due)} reps checked in today." + (f" {off} off today." if off else "")
    if hidden:
        logger.info("Left %d of %d reps of %s out of a Home tab", hidden, len(team.reps), team.name)
        status += (
            f" …and {plural(hidden, 'more rep')} not shown here; "
            f"`/stats team {escape(team.name)}` lists them."
        )
    return [
        section(f"*{escape(team.name)}* — this week"),
        *(section("\n".join(group)) for group in shown),
        context(status),
        {"type": "divider"},
    ]


def _rep_line(rep: RepLine) -> str:
    if rep.checked_in_today:
        mark = ":white_check_mark:"
    else:
        mark = ":hourglass_flowing_sand:" if rep.due_today else ":palm_tree:"
    target = f" of {rep.target}" if rep.target else ""
    line = f"{mark} <@{rep.rep_id}>: {rep.calls}{target} calls"
    if rep.days_expected:
        line += f" · checked in {rep.days_checked_in or 0}/{rep.days_expected} days"
    return line
