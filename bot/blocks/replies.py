"""Ephemeral replies to /checkin: help, confirmations, and why something was not done."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from bot.blocks import Message, context, escape, long_day, message, plain, plural, section
from bot.blocks.checkin import DayTotals
from bot.quickform import MAX_DAYS_OFF, example_command
from bot.settings import CallType, Outcome


def help_text(
    call_types: Sequence[CallType],
    outcomes: Sequence[Outcome],
    max_count: int,
    edit_window_days: int,
) -> Message:
    """Everything a rep can do with /checkin, using this workspace's call types and outcomes."""
    example = example_command(call_types, outcomes)
    blocks = [
        {"type": "header", "text": plain("Logging your calls")},
        section(
            "*The form:* `/checkin` (or *Log today's calls* in my daily message) opens a form "
            "for today: one box per call type and outcome. Saving sets the day's numbers; "
            "a blank box means 0."
        ),
        section(
            f"*Quick form:* `{example}`\nA number, a call type and an outcome; separate parts "
            "with commas. Words may be shortened while they fit only one choice. Each number "
            f"is the day's total for that pair, up to {max_count}. Start with `yesterday` or "
            "a date as YYYY-MM-DD to log another day."
        ),
        section(
            "*Days off:* the *Day off* button, or `/checkin off today`, `/checkin off tomorrow`, "
            f"`/checkin off YYYY-MM-DD..YYYY-MM-DD` (up to {MAX_DAYS_OFF} days). "
            "No check-in or reminder comes on a day off. `/checkin on` and the same days "
            "makes them workdays again."
        ),
        section(f"*Corrections:* {_edit_window(edit_window_days)}"),
        section(f"*Call types:* {_words(call_types)}\n*Outcomes:* {_words(outcomes)}"),
        context("`/checkin help` shows this again."),
    ]
    return message("How to log your calls with /checkin", blocks)


def not_on_a_team() -> Message:
    text = (
        "You're not on any team in this check-in bot's setup, so there is nothing for you to "
        "log or see yet. Ask your sales-ops admin to add you."
    )
    return message(text, [section(text)])


def quick_log_saved(
    *,
    day: date,
    cells: Mapping[tuple[str, str], int],
    call_types: Sequence[CallType],
    outcomes: Sequence[Outcome],
    totals: DayTotals,
    was_day_off: bool = False,
) -> Message:
    """Confirms a quick log: each cell now set, then the whole day's totals."""
    saved = [
        f"{escape(c.label)} · {escape(o.label)}: *{cells[c.key, o.key]}*"
        for c in call_types
        for o in outcomes
        if (c.key, o.key) in cells
    ]
    day_text = long_day(day)
    summary = (
        f"{plural(totals.calls, 'call')}, {plural(totals.connects, 'connect')}, "
        f"{plural(totals.meetings, 'meeting')}"
    )
    blocks = [
        section(f":white_check_mark: Saved for *{day_text}*:\n" + "\n".join(saved)),
        context(f"{day_text} now: {summary}. `/checkin {day.isoformat()}` opens the form for it."),
    ]
    if was_day_off:
        blocks.append(context(f"{day_text} was marked as a day off; it counts as a workday now."))
    return message(f"Saved your calls for {day_text}: {summary}", blocks)


def days_off_saved(
    start: date, end: date, skipped: Sequence[date], with_calls: Sequence[date] = ()
) -> Message:
    """Confirms days off; `skipped` were days off already, `with_calls` have calls logged."""
    if start == end:
        text = f"{long_day(start)} is marked as a day off."
    else:
        text = f"{long_day(start)} to {long_day(end)} are marked as days off."
    blocks = [section(f":palm_tree: {text} No check-in or reminder on those days.")]

    if skipped:
        shown = "; ".join(long_day(day) for day in sorted(skipped))
        blocks.append(context(f"Already days off: {shown}."))
    if with_calls:
        shown = "; ".join(long_day(day) for day in sorted(with_calls))
        blocks.append(
            context(
                f"You logged calls on {shown}; they still count. Logging more there, or "
                f"`/checkin on {with_calls[0].isoformat()}`, makes it a workday again."
            )
        )
    blocks.append(context(f"Changed your mind? `/checkin on {_range(start, end)}` undoes it."))
    return message(text, blocks)


def days_back_to_work(start: date, end: date, removed: Sequence[date]) -> Message:
    """Confirms `/checkin on`: which days off are workdays again."""
    if not removed:
        where = long_day(start) if start == end else f"{long_day(start)} to {long_day(end)}"
        text = f"No day off was recorded for {where}; nothing changed."
        return message(text, [section(text)])

    shown = "; ".join(long_day(day) for day in removed)
    text = f"Workday again: {shown}."
    return message(text, [section(f":briefcase: {text} Check-ins come as usual.")])


def _range(start: date, end: date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"


def error_reply(text: str) -> Message:
    """Wraps a complete mrkdwn reply (such as a QuickFormError's) as a message."""
    return message(text, [section(text)])


def _edit_window(days: int) -> str:
    if days == 0:
        return "you can log or correct today only."
    return (
        f"you can log or correct any of the last {plural(days, 'day')}. Open the form and pick "
        "the day at the top, or type `/checkin yesterday` or `/checkin` with a date; "
        "saving replaces that day's numbers."
    )


def _words(items: Sequence[CallType]) -> str:
    return ", ".join(f"`{item.key}` ({escape(item.label)})" for item in items)
