"""The rep's check-in actions, shared by the modal, the buttons and /checkin."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.checkin import (
    day_off_message,
    first_name,
    logged_message,
    prompt_message,
    reminder_message,
)
from bot.blocks.modal import checkin_modal, day_problem, parse_modal_submission, shown_counts
from bot.due import Kind
from bot.progress import day_totals, week_progress
from bot.services import Services

logger = logging.getLogger(__name__)

Cells = dict[tuple[str, str], int]


@dataclass(frozen=True)
class Window:
    """The days a rep may log or correct: from `earliest` to their local today."""

    today: date
    earliest: date

    def problem(self, day: date) -> str | None:
        """Why `day` cannot be logged (the same words the modal shows), or None."""
        return day_problem(day, today=self.today, earliest=self.earliest)


def window_for(services: Services, rep_id: str) -> Window:
    today = services.today_of(rep_id)
    return Window(today, today - timedelta(days=services.settings.schedule.edit_window_days))


def build_modal(
    services: Services, rep_id: str, day: date, channel: str | None, ts: str | None
) -> dict[str, Any]:
    """The modal for `day`, prefilled with what is logged.

    A day outside the editable window still opens (the date picker cannot limit the days
    offered), with the reason at the top; saving it is refused inline.
    """
    window = window_for(services, rep_id)
    settings = services.settings
    return checkin_modal(
        day=day,
        today=window.today,
        earliest=window.earliest,
        call_types=settings.call_types,
        outcomes=settings.outcomes,
        counts=services.store.entries.day_counts(rep_id, day),
        max_count=settings.max_count,
        channel=channel,
        ts=ts,
        notice=window.problem(day),
    )


def save_submission(services: Services, rep_id: str, view: Mapping[str, Any]) -> date:
    """Validate a modal submission and save the counts the rep changed in it.

    The form may have been open for a while: a quick log from /checkin or another form
    may have changed the day since. Only the boxes whose numbers differ from what the form
    showed are written, so those changes survive; ModalErrors if the form is not valid.
    """
    window = window_for(services, rep_id)
    settings = services.settings
    day, cells = parse_modal_submission(
        view["state"]["values"],
        call_types=settings.call_types,
        outcomes=settings.outcomes,
        max_count=settings.max_count,
        today=window.today,
        earliest=window.earliest,
    )

    shown = shown_counts(view.get("blocks"), day)
    if shown is None:
        logger.warning("Check-in form from %s came without its blocks; saving it whole", rep_id)
        save_cells(services, rep_id, day, cells, source="modal", replace_all=True)
    else:
        edited = {cell: count for cell, count in cells.items() if count != shown.get(cell, 0)}
        save_cells(services, rep_id, day, edited, source="modal", replace_all=False)
    return day


def save_cells(
    services: Services, rep_id: str, day: date, cells: Cells, *, source: str, replace_all: bool
) -> bool:
    """Save the cells; a day off on which calls are logged becomes a workday again.

    Returns whether that happened, so the rep can be told.
    """
    store = services.store
    store.entries.set_day(
        rep_id,
        day,
        cells,
        changed_by=rep_id,
        source=source,
        now=services.clock(),
        replace_all=replace_all,
    )

    if not any(store.entries.day_counts(rep_id, day).values()):
        return False
    return bool(store.days_off.remove(rep_id, [day], removed_by=rep_id))


def summary_message(services: Services, rep_id: str, day: date) -> dict[str, Any]:
    counts = services.store.entries.day_counts(rep_id, day)
    return logged_message(
        totals=day_totals(services.settings, day, counts),
        week=week_progress(
            services.store, services.settings, rep_id, day, services.today_of(rep_id)
        ),
    )


def day_messages(services: Services, rep_id: str, day: date) -> list[tuple[str, str]]:
    """Where the day's prompt and reminder went (channel, ts), whichever were sent."""
    return list(_sent_checkins(services, rep_id, day).values())


def _sent_checkins(services: Services, rep_id: str, day: date) -> dict[Kind, tuple[str, str]]:
    found = {}
    for kind in (Kind.PROMPT, Kind.REMINDER):
        sent = services.store.outbox.find(kind, rep_id, day)
        if sent is not None and sent.channel and sent.ts:
            found[kind] = (sent.channel, sent.ts)
    return found


def show_summary(
    client: WebClient,
    services: Services,
    rep_id: str,
    day: date,
    channel: str | None,
    ts: str | None,
    *,
    post_if_missing: bool = True,
) -> None:
    """Turn the day's prompt and reminder into a summary; post one if neither was sent."""
    targets = _dedupe(
        ([(channel, ts)] if channel and ts else []) + day_messages(services, rep_id, day)
    )
    if not targets and not post_if_missing:
        return

    message = summary_message(services, rep_id, day)
    if targets:
        _update_dms(client, targets, message, f"Saved {day} for {rep_id}")
        return

    try:
        client.chat_postMessage(channel=rep_id, **message)
    except SlackApiError as exc:
        # The numbers are saved; only the confirmation failed to show.
        logger.warning(
            "Saved %s for %s but could not post the summary (%s)",
            day,
            rep_id,
            exc.response.get("error"),
        )


def show_day_off(
    client: WebClient,
    services: Services,
    rep_id: str,
    day: date,
    also: list[tuple[str, str]] | None = None,
) -> None:
    """Replace the day's prompt and reminder (and `also`) with the day-off note."""
    places = _dedupe((also or []) + day_messages(services, rep_id, day))
    _update_dms(client, places, day_off_message(day=day), f"Marked {day} off for {rep_id}")


def show_workday_again(client: WebClient, services: Services, rep_id: str, day: date) -> None:
    """A day off undone: its prompt and reminder ask for the calls again, with their buttons.

    A day with calls logged shows its summary instead.
    """
    sent = _sent_checkins(services, rep_id, day)
    if not sent:
        return
    if any(services.store.entries.day_counts(rep_id, day).values()):
        show_summary(client, services, rep_id, day, None, None, post_if_missing=False)
        return

    today = services.today_of(rep_id)
    week = week_progress(services.store, services.settings, rep_id, day, today)
    person = services.store.roster.person(rep_id)
    name = first_name(person.display_name if person else None)
    asks = {
        Kind.PROMPT: prompt_message(first_name=name, day=day, week=week, today=today),
        Kind.REMINDER: reminder_message(day=day, week=week, today=today),
    }
    for kind, place in sent.items():
        _update_dms(client, [place], asks[kind], f"Made {day} a workday again for {rep_id}")


def _update_dms(
    client: WebClient, places: list[tuple[str, str]], message: dict[str, Any], done: str
) -> None:
    """Show `message` in each DM; what was `done` is stored already, so a failure only logs."""
    for channel, ts in places:
        try:
            client.chat_update(channel=channel, ts=ts, **message)
        except SlackApiError as exc:
            logger.warning(
                "%s but could not update the DM %s (%s)", done, ts, exc.response.get("error")
            )


def _dedupe(places: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(places))
