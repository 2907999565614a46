"""The /stats reply: key numbers, check-ins, pace and a per-rep list, as one ephemeral message."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.blocks import (
    MESSAGE_BLOCK_LIMIT,
    SECTION_TEXT_LIMIT,
    BlockDict,
    Message,
    context,
    escape,
    message,
    plural,
    section,
)

logger = logging.getLogger(__name__)

LABEL_WIDTH = 14  # call type labels are cut to this in the monospace table
TABLE_HEADINGS = ("Calls", "Conn", "Conn%", "Mtgs", "Mtg%", "Wins", "Win%")
TABLE_TITLE = "*By call type*"
REPS_TITLE = "*Reps by calls*"
RATES_NOTE = "Conn% is of calls, Mtg% of connects, Win% of meetings."
NO_RATE = "–"
CHART_IN_DM = ":chart_with_upwards_trend: The chart follows in your DM with me."


@dataclass(frozen=True)
class Counts:
    """The funnel for some calls; a rate is None when there is nothing to divide by."""

    calls: int
    connects: int
    meetings: int
    wins: int
    connect_rate: float | None
    meeting_rate: float | None
    win_rate: float | None


@dataclass(frozen=True)
class CallTypeCounts:
    label: str
    counts: Counts


@dataclass(frozen=True)
class CheckIns:
    """Days checked in over days a check-in was due (rep-days for a team)."""

    checked_in: int
    expected: int


@dataclass(frozen=True)
class Pace:
    """A rep's ISO week against the weekly target; `finished` once no workday is left."""

    week: str
    calls: int
    target: float | None
    workdays_left: int
    projected: float | None
    finished: bool


@dataclass(frozen=True)
class RepLine:
    rep_id: str
    calls: int
    checkins: CheckIns
    team: str | None = None  # shown when the list spans several teams


@dataclass(frozen=True)
class StatsSummary:
    """Everything the reply shows. Exactly one of rep_id and team is set, or neither: then
    `teams` names the teams covered, or is empty for every team."""

    rep_id: str | None
    team: str | None
    label: str
    start: date
    end: date
    totals: Counts
    call_types: Sequence[CallTypeCounts]
    checkins: CheckIns
    pace: Pace | None = None
    reps: Sequence[RepLine] = ()
    teams: Sequence[str] = ()


def stats_message(summary: StatsSummary, chart_in_dm: bool = False) -> Message:
    """The ephemeral reply to /stats; long rep lists are cut to fit one message.

    `chart_in_dm` says where the chart went when /stats was typed outside the bot's DM:
    an ephemeral message cannot carry a file, so it goes there.
    """
    subject = _subject(summary)
    blocks = [
        section(f":bar_chart: *Stats for {subject}, {escape(summary.label)}*"),
        _period(summary, chart_in_dm),
    ]
    if summary.totals.calls:
        blocks.append(_totals_fields(summary.totals))
        blocks += _call_type_tables(summary.call_types)
        blocks.append(context(RATES_NOTE))
    else:
        blocks.append(section("No calls logged in this period."))

    blocks.append(section(_checkins_line(summary.checkins, team=summary.rep_id is None)))
    if summary.pace is not None:
        blocks.append(section(_pace_line(summary.pace)))

    if summary.reps:
        blocks += _rep_blocks(summary.reps, MESSAGE_BLOCK_LIMIT - len(blocks))

    totals = summary.totals
    text = (
        f"Stats for {subject}, {escape(summary.label)}: {plural(totals.calls, 'call')}, "
        f"{plural(totals.connects, 'connect')}, {plural(totals.meetings, 'meeting')}, "
        f"{plural(totals.wins, 'win')}"
    )
    return message(text, blocks)


def _period(summary: StatsSummary, chart_in_dm: bool) -> BlockDict:
    block = context(_date_range(summary.start, summary.end))
    if chart_in_dm:
        block["elements"].append({"type": "mrkdwn", "text": CHART_IN_DM})
    return block


def _subject(summary: StatsSummary) -> str:
    if summary.rep_id is not None:
        return f"<@{summary.rep_id}>"
    if summary.team is not None:
        return escape(summary.team)
    if summary.teams:
        return "your teams " + ", ".join(escape(team) for team in summary.teams)
    return "all teams"


def _date_range(start: date, end: date) -> str:
    if start == end:
        return f"{start:%a}, {start:%b} {start.day}, {start.year}"
    return f"{start:%a}, {start:%b} {start.day} to {end:%a}, {end:%b} {end.day}, {end.year}"


def _percent(rate: float | None) -> str:
    return NO_RATE if rate is None else f"{rate:.0%}"


def _totals_fields(totals: Counts) -> BlockDict:
    fields = [
        f"*Calls*\n{totals.calls:,}",
        f"*Connects*\n{totals.connects:,} ({_percent(totals.connect_rate)} of calls)",
        f"*Meetings*\n{totals.meetings:,} ({_percent(totals.meeting_rate)} of connects)",
        f"*Wins*\n{totals.wins:,} ({_percent(totals.win_rate)} of meetings)",
    ]
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]}


def _call_type_tables(rows: Sequence[CallTypeCounts]) -> list[BlockDict]:
    """A monospace table, one line per call type, split over sections if it is too long."""
    header = "".ljust(LABEL_WIDTH) + "".join(f"{h:>7}" for h in TABLE_HEADINGS)
    lines = [_table_line(row) for row in rows]
    room = SECTION_TEXT_LIMIT - len(TABLE_TITLE) - len(header) - len("\n```\n\n\n```")
    return [
        section(f"{TABLE_TITLE}\n```\n{header}\n" + "\n".join(part) + "\n```")
        for part in packed_lines(lines, room)
    ]


def _table_line(row: CallTypeCounts) -> str:
    c = row.counts
    cells = (
        f"{c.calls:,}",
        f"{c.connects:,}",
        _percent(c.connect_rate),
        f"{c.meetings:,}",
        _percent(c.meeting_rate),
        f"{c.wins:,}",
        _percent(c.win_rate),
    )
    # Pad before escaping: Slack shows "&amp;" as one character.
    label = escape(_cut(row.label, LABEL_WIDTH - 1).ljust(LABEL_WIDTH))
    return label + "".join(f"{cell:>7}" for cell in cells)


def packed_lines(lines: Sequence[str], room: int) -> list[list[str]]:
    """The lines in order, grouped so each group joined by newlines fits in `room` characters."""
    groups: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if groups[-1] and size + len(line) + 1 > room:
            groups.append([])
            size = 0
        groups[-1].append(line)
        size += len(line) + 1
    return groups


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _checkins_line(checkins: CheckIns, *, team: bool) -> str:
    if checkins.expected == 0:
        return "*Check-ins:* none were due yet in this period."
    days = "rep-days" if team else "days"
    share = checkins.checked_in / checkins.expected
    return f"*Check-ins:* {checkins.checked_in} of {checkins.expected} {days} due ({share:.0%})"


def _pace_line(pace: Pace) -> str:
    if pace.finished:
        head = f"*Week {pace.week}:* {plural(pace.calls, 'call')}"
        return head + (f" of a {pace.target:,.0f} target" if pace.target else ", no weekly target")

    left = plural(pace.workdays_left, "workday")
    head = f"*Pace, {pace.week}:* {plural(pace.calls, 'call')} so far, {left} left"
    if pace.projected is None:
        return f"{head}; no workday finished yet to project from"
    if not pace.target:
        return f"{head}; on pace for {pace.projected:,.0f}, no weekly target"
    share = pace.projected / pace.target
    return f"{head}; on pace for {pace.projected:,.0f} of {pace.target:,.0f} ({share:.0%})"


def _rep_line(rep: RepLine) -> str:
    due = rep.checkins.expected
    checkins = f"check-ins {rep.checkins.checked_in}/{due}" if due else "no check-ins due"
    team = f" · {escape(rep.team)}" if rep.team else ""
    return f"`{rep.calls:>5,}` <@{rep.rep_id}>{team} · {checkins}"


def _rep_blocks(reps: Sequence[RepLine], budget: int) -> list[BlockDict]:
    """Rep lines in as many sections as fit in `budget` blocks; the rest counted, not shown."""
    groups = packed_lines([REPS_TITLE, *(_rep_line(rep) for rep in reps)], SECTION_TEXT_LIMIT)
    if len(groups) <= budget:
        return [section("\n".join(group)) for group in groups]

    shown = groups[: budget - 1]
    hidden = len(reps) + 1 - sum(len(group) for group in shown)
    logger.info("Left %d of %d reps out of a /stats reply to fit Slack", hidden, len(reps))
    return [
        *(section("\n".join(group)) for group in shown),
        context(f"…and {plural(hidden, 'more rep')} not shown."),
    ]
