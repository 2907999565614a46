"""The rep's check-in actions, shared by the modal, the buttons and /checkin."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.checkin import day_off_message, logged_message
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
    """The modal for `day`, prefilled with what is logged; clamped into the editable window."""
    window = window_for(services, rep_id)
    day = min(max(day, window.earliest), window.today)
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
) -> None:
    services.store.entries.set_day(
        rep_id,
        day,
        cells,
        changed_by=rep_id,
        source=source,
        now=services.clock(),
        replace_all=replace_all,
    )


def summary_message(services: Services, rep_id: str, day: date) -> dict[str, Any]:
    counts = services.store.entries.day_counts(rep_id, day)
    return logged_message(
        totals=day_totals(services.settings, day, counts),
        week=week_progress(services.store, services.settings, rep_id, day),
    )


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
    """Replace the day's prompt with a summary; post one if the day had no prompt."""
    if channel is None or ts is None:
        prompt = services.store.outbox.find(Kind.PROMPT, rep_id, day)
        if prompt is not None and prompt.channel and prompt.ts:
            channel, ts = prompt.channel, prompt.ts

    if not (channel and ts) and not post_if_missing:
        return

    message = summary_message(services, rep_id, day)
    try:
        if channel and ts:
            client.chat_update(channel=channel, ts=ts, **message)
        else:
            client.chat_postMessage(channel=rep_id, **message)
    except SlackApiError as exc:
        # The numbers are saved; only the confirmation failed to show.
        logger.warning(
            "Saved %s for %s but could not show the summary (%s)",
            day,
            rep_id,
            exc.response.get("error"),
        )


def mark_day_off(
    client: WebClient, services: Services, rep_id: str, day: date, channel: str, ts: str
) -> None:
    """The prompt's Day off button: record it and turn the prompt into a short note."""
    services.store.days_off.add(rep_id, [day], created_by=rep_id)
    client.chat_update(channel=channel, ts=ts, **day_off_message(day=day))
