"""The check-in DMs a rep receives: the daily prompt, its reminder, and what replaces them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.blocks import (
    BlockDict,
    Message,
    context,
    escape,
    long_day,
    message,
    plain,
    plural,
    section,
    short_day,
)

OPEN_CHECKIN = "open_checkin"
DAY_OFF = "day_off"
ACTIONS_BLOCK_ID = "checkin_actions"


@dataclass(frozen=True)
class WeekProgress:
    """Week-to-date calls against the rep's target for the week (None when none applies).

    `past_week` is the Monday of a week that is already over, shown by a correction.
    `week_off` is a week with no workday expected of the rep (holidays and days off cover
    it): there is no target to reach, only calls logged anyway.
    """

    calls: int
    target: int | None
    workdays_left: int
    past_week: date | None = None
    week_off: bool = False


@dataclass(frozen=True)
class DayTotals:
    """One day's totals as shown to the rep after a check-in."""

    day: date
    calls: int
    connects: int
    meetings: int


def first_name(display_name: str | None) -> str | None:
    """The name a prompt greets: the first word of the person's Slack name, if any."""
    return (display_name or "").split(" ")[0] or None


def prompt_message(
    *,
    first_name: str | None,
    day: date,
    week: WeekProgress,
    nudge: str | None = None,
    today: date | None = None,
) -> Message:
    """The daily check-in DM. `nudge` is one line of mrkdwn written by the bot, not by a user."""
    name = (first_name or "").strip()
    greeting = f"Hi {escape(name)}!" if name else "Hi!"
    blocks = [
        section(f"{greeting} Time to log your calls for *{long_day(day)}*."),
        context(week_line(week)),
    ]

    if nudge:
        blocks.append(context(nudge))

    blocks.append(_checkin_buttons(day, today))
    return message(f"Time to log your calls for {long_day(day)}", blocks)


def reminder_message(*, day: date, week: WeekProgress, today: date | None = None) -> Message:
    """The one reminder of the day, sent when the prompt got no answer."""
    text = f"Reminder: your calls for {long_day(day)} are not logged yet"
    blocks = [
        section(
            f":alarm_clock: Quick reminder: your calls for *{long_day(day)}* aren't logged yet."
        ),
        context(week_line(week)),
        _checkin_buttons(day, today),
    ]
    return message(text, blocks)


def logged_message(*, totals: DayTotals, week: WeekProgress) -> Message:
    """Replaces the prompt once the day is logged; Edit reopens the form for that day."""
    day = long_day(totals.day)
    summary = (
        f"{plural(totals.calls, 'call')}, {plural(totals.connects, 'connect')}, "
        f"{plural(totals.meetings, 'meeting')}"
    )
    edit = {
        "type": "button",
        "action_id": OPEN_CHECKIN,
        "text": plain("Edit"),
        "value": totals.day.isoformat(),
    }
    blocks = [
        section(f":white_check_mark: Logged for *{day}*: {summary}."),
        context(week_line(week)),
        {"type": "actions", "block_id": ACTIONS_BLOCK_ID, "elements": [edit]},
    ]
    return message(f"Logged for {day}: {summary}", blocks)


def day_off_message(*, day: date) -> Message:
    """Replaces the prompt once the rep marks the day off."""
    text = f"{long_day(day)} is marked as a day off"
    blocks = [
        section(f":palm_tree: *{long_day(day)}* is marked as a day off. No reminder for it."),
        context(f"Made calls after all? `/checkin {day.isoformat()}` opens the form for that day."),
    ]
    return message(text, blocks)


def week_line(week: WeekProgress) -> str:
    """'This week: 32 of 50 calls, 3 workdays left', or just the count when there is no target."""
    if week.past_week is not None:
        return _past_week_line(week, week.past_week)
    if week.week_off:
        logged = f": *{plural(week.calls, 'call')}* logged" if week.calls else ""
        return f"This week is a week off for you{logged}."

    left = f", {plural(week.workdays_left, 'workday')} left" if week.workdays_left > 0 else ""
    if not week.target:
        return f"This week so far: *{plural(week.calls, 'call')}*{left}."
    if week.calls >= week.target:
        return f"This week: *{week.calls}* of {week.target} calls. Weekly target reached :tada:"
    return f"This week: *{week.calls}* of {week.target} calls{left}."


def _past_week_line(week: WeekProgress, monday: date) -> str:
    of = f"Week of {short_day(monday)}"
    if week.week_off:
        return f"{of}: *{plural(week.calls, 'call')}*, a week off."
    target = f" of {week.target} calls" if week.target else " calls"
    return f"{of}: *{week.calls}*{target}."


def _checkin_buttons(day: date, today: date | None) -> BlockDict:
    """Log and Day off for `day`; a check-in sent after its day (`today` later) names it."""
    value = day.isoformat()
    label = "Log today's calls" if today in (None, day) else f"Log {day:%A}'s calls"
    log = {
        "type": "button",
        "action_id": OPEN_CHECKIN,
        "text": plain(label),
        "style": "primary",
        "value": value,
    }
    day_off = {
        "type": "button",
        "action_id": DAY_OFF,
        "text": plain("Day off"),
        "value": value,
        "confirm": {
            "title": plain("Take the day off?"),
            "text": plain(
                f"{long_day(day)} will be marked as a day off, with no reminder. "
                "Only pick this if you made no calls."
            ),
            "confirm": plain("Day off"),
            "deny": plain("Cancel"),
        },
    }
    return {"type": "actions", "block_id": ACTIONS_BLOCK_ID, "elements": [log, day_off]}
