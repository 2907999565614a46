"""The weekly report DM a manager receives: team totals, check-ins, who needs attention, plan."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.blocks import (
    SECTION_TEXT_LIMIT,
    BlockDict,
    Message,
    context,
    escape,
    message,
    plain,
    section,
)

logger = logging.getLogger(__name__)

Reason = Literal["missed_checkins", "behind_target", "below_baseline"]

MAX_LISTED = 15  # reps or call types listed in one section before "and N more"
NO_VALUE = "–"
LINK_NAMES = {
    "calls_per_rep": "Calls per rep a week",
    "connect_rate": "Connect rate (connects per call)",
    "meeting_rate": "Meeting rate (meetings per connect)",
    "win_rate": "Win rate (wins per meeting)",
    "deal_value": "Average deal value",
}
RATE_LINKS = {"connect_rate", "meeting_rate", "win_rate"}


@dataclass(frozen=True)
class Totals:
    calls: int = 0
    connects: int = 0
    meetings: int = 0
    wins: int = 0


@dataclass(frozen=True)
class RepFlag:
    """A rep who needs the manager's attention, with the most pressing reason only.

    `actual` and `expected` are check-in days (missed_checkins), calls and the weekly target
    (behind_target), or calls and the calls usual for `workdays` days (below_baseline).
    """

    rep_id: str
    reason: Reason
    actual: int
    expected: float
    workdays: int = 0
    missed: tuple[date, ...] = ()


@dataclass(frozen=True)
class CallTypeLine:
    """One call type's week, and whether it brought in no business over the longer window."""

    label: str
    week: Totals
    no_business: bool
    window_calls: int


@dataclass(frozen=True)
class PlanLink:
    link: str
    planned: float
    actual: float
    off_by_pct: float


@dataclass(frozen=True)
class PlanSection:
    """The plan against the last `window_weeks` weeks; revenue figures are per week."""

    window_weeks: int
    working_weeks: int
    links: tuple[PlanLink, ...]
    planned_revenue: float
    implied_revenue: float
    gap_pct: float
    main_link: str | None
    explanation: str
    worst_call_type: str | None


@dataclass(frozen=True)
class ReportSummary:
    """Everything the report message says, as plain numbers."""

    team: str
    week: str
    monday: date
    this_week: Totals
    last_week: Totals
    target: int | None  # this week's, pro rata when holidays or days off shortened it
    target_calls: int  # calls of the reps who have a target: what `target` is measured on
    reps_without_target: int
    checked_in_days: int
    expected_days: int
    flags: tuple[RepFlag, ...]
    call_types: tuple[CallTypeLine, ...]
    conversion_weeks: int
    plan: PlanSection | None = None
    weekly_target: int | None = None  # a full week's, drawn as the trend chart's line


def report_message(summary: ReportSummary, chart_names: Sequence[str] = ()) -> Message:
    """The manager's weekly DM; the charts are uploaded after it, in the same conversation."""
    blocks: list[BlockDict] = [
        {"type": "header", "text": plain(_title(summary))},
        {"type": "section", "fields": _fields(summary)},
        {"type": "divider"},
        section(_attention(summary.flags)),
        section(_call_types(summary.call_types, summary.conversion_weeks)),
    ]

    if summary.plan is not None:
        blocks.append(section(_plan(summary.plan)))

    if chart_names:
        blocks.append(context(f"Charts follow: {escape(', '.join(chart_names))}."))
    return message(_fallback(summary), blocks)


def _title(summary: ReportSummary) -> str:
    return f"{summary.team} — week {summary.week} ({week_span(summary.monday)})"


def week_span(monday: date) -> str:
    """'Nov 23–29', 'Nov 30–Dec 6' or 'Dec 28–Jan 3': the days of an ISO week."""
    sunday = monday + timedelta(days=6)
    end = f"{sunday.day}" if sunday.month == monday.month else f"{sunday:%b} {sunday.day}"
    return f"{monday:%b} {monday.day}–{end}"


def _fields(summary: ReportSummary) -> list[dict[str, str]]:
    now, before = summary.this_week, summary.last_week
    texts = [
        f"*Calls*\n{now.calls:,}  {_change(now.calls, before.calls)}",
        f"*Connects*\n{now.connects:,}  {_change(now.connects, before.connects)}",
        f"*Meetings*\n{now.meetings:,}  {_change(now.meetings, before.meetings)}",
        f"*Wins*\n{now.wins:,}  {_change(now.wins, before.wins)}",
        f"*Against target*\n{_target(summary)}",
        f"*Check-ins*\n{_checkins(summary)}",
    ]
    return [{"type": "mrkdwn", "text": text} for text in texts]


def _change(now: int, before: int) -> str:
    """'▲ 12% vs 368 last week', or plain words when last week was zero."""
    if before == 0:
        return "none last week either" if now == 0 else "up from 0 last week"
    pct = round(100 * (now / before - 1))
    arrow = "▲" if pct > 0 else "▼" if pct < 0 else "="
    return f"{arrow} {abs(pct)}% vs {before:,} last week"


def _target(summary: ReportSummary) -> str:
    """The calls of the reps with a target against the sum of their targets; the calls of
    reps without one are named apart, so that a share never mixes the two."""
    if summary.target is None:
        return "No targets set"
    share = _pct(summary.target_calls, summary.target)
    text = f"{summary.target_calls:,} of {summary.target:,} calls ({share})"
    if summary.reps_without_target:
        others = summary.this_week.calls - summary.target_calls
        text += (
            f"\n{_many(summary.reps_without_target, 'rep')} without a target "
            f"({_many(others, 'call')})"
        )
    return text


def _checkins(summary: ReportSummary) -> str:
    if summary.expected_days == 0:
        return "No workdays expected"
    share = _pct(summary.checked_in_days, summary.expected_days)
    return f"{summary.checked_in_days} of {_many(summary.expected_days, 'day')} ({share})"


def _attention(flags: Sequence[RepFlag]) -> str:
    lines = [f"• <@{flag.rep_id}> {_reason(flag)}" for flag in flags]
    return _listing("*Needs attention*", lines, "Nobody this week.")


def _reason(flag: RepFlag) -> str:
    if flag.reason == "missed_checkins":
        missed = ", ".join(f"{day:%a} {day.day}" for day in flag.missed)
        return f"checked in {flag.actual} of {_many(int(flag.expected), 'day')} (missed {missed})"
    if flag.reason == "behind_target":
        share = _pct(flag.actual, flag.expected)
        return f"behind target: {flag.actual:,} of {flag.expected:,.0f} calls ({share})"
    share = _pct(flag.actual, flag.expected)
    return (
        f"well below their usual: {flag.actual:,} calls, {share} of the "
        f"{flag.expected:,.0f} they average over {_many(flag.workdays, 'workday')}"
    )


def _call_types(lines: Sequence[CallTypeLine], weeks: int) -> str:
    rows = [_call_type(line, weeks) for line in lines]
    return _listing("*Call types*", rows, "No calls logged this week.")


def _call_type(line: CallTypeLine, weeks: int) -> str:
    week = line.week
    funnel = (
        f"{_many(week.calls, 'call')} → {_many(week.connects, 'connect')} "
        f"({_pct(week.connects, week.calls)}) → {_many(week.meetings, 'meeting')} "
        f"({_pct(week.meetings, week.connects)}) → {_many(week.wins, 'win')} "
        f"({_pct(week.wins, week.meetings)})"
    )
    text = f"• *{escape(line.label)}*: {funnel}"
    if line.no_business:
        text += (
            f"\n    :warning: not bringing in business: no meetings or wins from "
            f"{_many(line.window_calls, 'call')} in {_many(weeks, 'week')}"
        )
    return text


def _plan(plan: PlanSection) -> str:
    title = f"*Plan vs actual*, last {_many(plan.window_weeks, 'week')}"
    if plan.working_weeks == 0:
        return f"{title}\nNobody on the team was expected to work in that time."

    lines = [title, *(_plan_link(link) for link in plan.links)]
    revenue = (
        f"Revenue a week: {_money(plan.implied_revenue)} implied vs "
        f"{_money(plan.planned_revenue)} planned ({_off_by(plan.gap_pct)})."
    )
    if plan.main_link is None:
        lines.append(f"{revenue} On plan or ahead.")
    else:
        lines.append(f"{revenue} Mainly: *{escape(plan.explanation)}*.")
    if plan.worst_call_type:
        lines.append(f"Call type furthest behind plan: {escape(plan.worst_call_type)}.")
    return "\n".join(lines)


def _plan_link(link: PlanLink) -> str:
    name = LINK_NAMES.get(link.link, link.link)
    if link.link == "deal_value":
        return f"• {name}: {_money(link.planned)} (as planned; check-ins record no deal sizes)"
    planned, actual = _link_value(link.link, link.planned), _link_value(link.link, link.actual)
    return f"• {name}: {planned} planned, {actual} actual ({_off_by(link.off_by_pct)})"


def _link_value(link: str, value: float) -> str:
    if not math.isfinite(value):
        return NO_VALUE
    return f"{value:.0%}" if link in RATE_LINKS else f"{value:,.1f}"


def _off_by(pct: float) -> str:
    if not math.isfinite(pct):
        return "no actual to compare"
    rounded = round(pct)
    if rounded == 0:
        return "on plan"
    return f"{'▲' if rounded > 0 else '▼'} {abs(rounded)}%"


def _money(value: float) -> str:
    return f"{value:,.0f}" if math.isfinite(value) else NO_VALUE


def _many(count: int, word: str) -> str:
    """'1 call', '1,200 calls': bot.blocks.plural without the thousands separator."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _pct(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else NO_VALUE


def _listing(title: str, lines: Sequence[str], empty: str) -> str:
    """A titled list that fits one section: the first lines, then "…and N more"."""
    if not lines:
        return f"{title}\n{empty}"

    shown = list(lines[:MAX_LISTED])
    while True:
        hidden = len(lines) - len(shown)
        tail = [f"…and {hidden} more"] if hidden else []
        text = "\n".join([title, *shown, *tail])
        if len(text) <= SECTION_TEXT_LIMIT or not shown:
            return text
        shown.pop()


def _fallback(summary: ReportSummary) -> str:
    """The notification text: the headline numbers in one sentence."""
    now, before = summary.this_week, summary.last_week
    text = f"{escape(summary.team)} weekly report for {summary.week}: {_many(now.calls, 'call')}"
    text += f" ({_change(now.calls, before.calls)})"
    if summary.expected_days:
        text += f", check-ins {_pct(summary.checked_in_days, summary.expected_days)}"
    needs = _many(len(summary.flags), "rep")
    return f"{text}, {needs} {'needs' if len(summary.flags) == 1 else 'need'} attention."
