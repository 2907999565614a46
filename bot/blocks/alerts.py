"""Block Kit for early warnings: a manager's DM about one alert and the App Home list."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from bot.blocks import (
    BlockDict,
    Message,
    context,
    escape,
    message,
    plain,
    plural,
    section,
    short_day,
)
from metrics.alerts import Alert
from metrics.alerts.model import Number, rate_text
from storage.models import AlertRecord

HEADER_LIMIT = 150  # Slack's limit for a header's text
FIELD_LIMIT = 10  # Slack's limit of fields in one section
FIELD_TEXT_LIMIT = 2000
OPEN_ALERT_DAYS = 7

TITLES = {
    "activity_below_baseline": "Calls well below usual",
    "missed_checkins": "Missed check-ins",
    "behind_pace": "Behind pace",
    "low_conversion": "Low conversion",
    "plan_link_off": "Off plan",
    "identical_numbers": "Same numbers every day",
}
LABELS = {
    "days": "Workdays in a row",
    "average_calls": "Calls a day lately",
    "baseline_daily": "Usual calls a day",
    "threshold": "Alert below",
    "missed_days": "Workdays missed",
    "last_checkin": "Last check-in",
    "call_type": "Call type",
    "calls": "Calls",
    "connects": "Connects",
    "meetings": "Meetings",
    "wins": "Wins",
    "connect_rate": "Connect rate",
    "meeting_rate": "Meeting rate",
    "win_rate": "Win rate",
    "floor": "Floor",
    "target": "Weekly target",
    "projected": "Projected for the week",
    "projected_pct": "Projected share of target",
    "workdays_left": "Workdays left",
    "grid": "Logged each day",
    "link": "Plan link",
    "planned": "Planned",
}
RATES = {"connect_rate", "meeting_rate", "win_rate", "floor"}
LINKS = {
    "calls_per_rep": "Calls per rep a week",
    "connect_rate": "Connect rate",
    "meeting_rate": "Meeting rate",
    "win_rate": "Win rate",
}
MENTION = re.compile(r"(<@[UW][A-Z0-9]+>)")


def alert_message(
    alert: Alert,
    *,
    team: str,
    names: Mapping[str, str],
    call_types: Mapping[str, str] | None = None,
    cooldown_workdays: int = 5,
) -> Message:
    """The DM to a manager: what happened, the numbers behind it, what to do next.

    `names` maps rep IDs to display names for the header (mentions cannot go there);
    `call_types` maps call type keys to their labels for the numbers.
    """
    title = rule_title(alert.rule)
    who = names.get(alert.rep_id, alert.rep_id) if alert.rep_id else f"Team {team}"
    headline = _cut(f"{title}: {who}", HEADER_LIMIT)
    blocks: list[BlockDict] = [
        {"type": "header", "text": plain(headline)},
        section(with_mentions(_labelled(alert.message, call_types or {}))),
    ]

    fields = _fields(alert, call_types or {})
    if fields:
        blocks.append({"type": "section", "fields": fields})

    blocks += [
        section(f"*Suggested next step*\n{escape(_labelled(alert.next_step, call_types or {}))}"),
        context(
            f"{escape(team)} · {_window(alert.window_start, alert.window_end)} · "
            f"Rule: {title} · {_repeat(cooldown_workdays)}"
        ),
    ]
    return message(f"Early warning about {escape(who)}: {title.lower()}", blocks)


def open_alerts_blocks(
    records: Sequence[AlertRecord], *, limit: int = 10, days: int = OPEN_ALERT_DAYS
) -> list[BlockDict]:
    """A compact list of recent alerts for the manager's App Home, newest first.

    `records` are store.alerts.since(today - (days - 1), teams) for the manager's teams;
    the team is named on each line only when they span more than one.
    """
    blocks: list[BlockDict] = [section(f"*Open alerts (last {plural(days, 'day')})*")]
    if not records:
        return [*blocks, context("No early warnings. All quiet."), {"type": "divider"}]

    show_team = len({record.team for record in records}) > 1
    lines = [_record_line(record, show_team) for record in records[:limit]]
    blocks.append(section("\n".join(lines)))
    if len(records) > limit:
        blocks.append(context(f"…and {len(records) - limit} more."))
    blocks.append({"type": "divider"})
    return blocks


def rule_title(rule: str) -> str:
    """A rule's name as a manager reads it."""
    return TITLES.get(rule, rule.replace("_", " ").capitalize())


def with_mentions(text: str) -> str:
    """Escape text written by the bot for mrkdwn, keeping its <@U123> mentions working."""
    return "".join(
        part if MENTION.fullmatch(part) else escape(part) for part in MENTION.split(text)
    )


def _fields(alert: Alert, call_types: Mapping[str, str]) -> list[BlockDict]:
    numbers = alert.numbers
    link = str(numbers.get("link", ""))
    pairs: list[tuple[str, str]] = []
    for key, value in numbers.items():
        if key.startswith("off_by_pct_"):
            continue  # shown beside the week's actual
        if key.startswith("actual_"):
            week = key.removeprefix("actual_")
            pairs.append(
                (f"Actual {week}", _actual(value, link, numbers.get(f"off_by_pct_{week}")))
            )
        else:
            shown = _value(key, value, link, call_types, under=_floor(numbers, key))
            pairs.append((_label(alert.rule, key), shown))
    if len(pairs) > FIELD_LIMIT:
        # Only a long plan_weeks gets here: keep the link, the plan and the latest weeks.
        pairs = pairs[:2] + pairs[2 - FIELD_LIMIT :]
    return [
        {"type": "mrkdwn", "text": _cut(f"*{label}*\n{value}", FIELD_TEXT_LIMIT)}
        for label, value in pairs
    ]


def _label(rule: str, key: str) -> str:
    if rule == "behind_pace" and key == "calls":
        return "Calls so far this week"
    return LABELS.get(key, key.replace("_", " ").capitalize())


def _floor(numbers: Mapping[str, Number], key: str) -> float | None:
    """The floor a rate is measured against, so the rate never reads as equal to it."""
    floor = numbers.get("floor")
    return float(floor) if key != "floor" and isinstance(floor, int | float) else None


def _value(
    key: str,
    value: Number,
    link: str,
    call_types: Mapping[str, str],
    under: float | None = None,
) -> str:
    if key == "call_type":
        return escape(call_types.get(str(value), str(value)))
    if key == "link":
        return LINKS.get(str(value), escape(str(value)))
    if key == "last_checkin":
        return short_day(date.fromisoformat(str(value))) if value else "None on record"
    if key == "grid":
        return _grid(str(value), call_types)
    if key in RATES or (key == "planned" and link in LINKS and link != "calls_per_rep"):
        return _percent(value, under)
    if key == "projected_pct":
        return f"{float(value):.0f}%"
    return _number(value)


def _actual(value: Number, link: str, off_by: Number | None) -> str:
    shown = _number(value) if link == "calls_per_rep" else _percent(value)
    if off_by is None:
        return shown
    return f"{shown} ({abs(float(off_by)):.0f}% under plan)"


def _grid(grid: str, call_types: Mapping[str, str]) -> str:
    """'cold_call:no_answer=5;demo:won=1' as one readable line per cell."""
    lines = []
    for cell in filter(None, grid.split(";")):
        where, _, count = cell.partition("=")
        call_type, _, outcome = where.partition(":")
        label = call_types.get(call_type, call_type)
        lines.append(f"{escape(label)}, {escape(outcome.replace('_', ' '))}: {escape(count)}")
    return "\n".join(lines) or "Nothing"


def _number(value: Number) -> str:
    if isinstance(value, str):
        return escape(value)
    if float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.1f}"


def _percent(value: Number, under: float | None = None) -> str:
    if isinstance(value, str):
        return escape(value)
    return rate_text(float(value), under)


def _window(first: date, last: date) -> str:
    return short_day(first) if first == last else f"{short_day(first)} – {short_day(last)}"


def _repeat(cooldown_workdays: int) -> str:
    if cooldown_workdays < 1:
        return "Repeated each day it still holds"
    return f"Not repeated for {plural(cooldown_workdays, 'workday')}"


def _record_line(record: AlertRecord, show_team: bool) -> str:
    team = f"{escape(record.team)} · " if show_team else ""
    title = rule_title(record.rule)
    return f"• {short_day(record.raised_on)} · {team}*{title}* · {with_mentions(record.message)}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _labelled(text: str, call_types: Mapping[str, str]) -> str:
    """metrics/ names call types by key ("cold_call"); a manager reads labels ("Cold call")."""
    for key, label in call_types.items():
        text = re.sub(rf"\b{re.escape(key)}\b", label, text)
    return text
