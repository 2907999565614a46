"""/checkin: open the modal, log quickly, record days off, or explain itself."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.access import viewer
from bot.blocks.replies import (
    days_back_to_work,
    days_off_saved,
    error_reply,
    help_text,
    not_on_a_team,
    quick_log_saved,
)
from bot.checkins import (
    build_modal,
    save_cells,
    show_day_off,
    show_summary,
    show_workday_again,
    window_for,
)
from bot.progress import day_totals
from bot.quickform import DaysOff, Help, OpenModal, QuickFormError, QuickLog, parse_command
from bot.services import Services
from bot.slack_client import open_modal

logger = logging.getLogger(__name__)

NOT_A_REP = (
    "Check-ins are for reps, and you are not listed as a rep on any team. "
    "Managers and admins can see their numbers in the App Home tab."
)
BUSY = "Slack is busy right now; run `/checkin` again in a moment."


def register(app: App, services: Services) -> None:
    @app.command("/checkin")
    def checkin(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        handle_checkin(ack, body, client, respond, services)


def handle_checkin(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, services: Services
) -> None:
    user_id = body["user_id"]
    who = viewer(services.settings, user_id)
    if not who.known:
        ack(**not_on_a_team())
        return
    if not who.is_rep:
        ack(**error_reply(NOT_A_REP))
        return

    settings = services.settings
    window = window_for(services, user_id)
    try:
        command = parse_command(
            body.get("text", ""),
            call_types=settings.call_types,
            outcomes=settings.outcomes,
            max_count=settings.max_count,
            today=window.today,
        )
    except QuickFormError as exc:
        ack(**error_reply(str(exc)))
        return

    if isinstance(command, Help):
        ack(
            **help_text(
                settings.call_types,
                settings.outcomes,
                settings.max_count,
                settings.schedule.edit_window_days,
            )
        )
    elif isinstance(command, OpenModal):
        problem = window.problem(command.day)
        if problem:
            ack(**error_reply(problem))
            return
        ack()
        view = build_modal(services, user_id, command.day, None, None)
        if not open_modal(client, user_id, body["trigger_id"], view):
            respond(text=BUSY)
    elif isinstance(command, DaysOff):
        _days_off(ack, client, services, user_id, command)
    elif isinstance(command, QuickLog):
        problem = window.problem(command.day)
        if problem:
            ack(**error_reply(problem))
            return
        back_to_work = save_cells(
            services, user_id, command.day, command.cells, source="command", replace_all=False
        )
        counts = services.store.entries.day_counts(user_id, command.day)
        ack(
            **quick_log_saved(
                day=command.day,
                cells=command.cells,
                call_types=settings.call_types,
                outcomes=settings.outcomes,
                totals=day_totals(settings, command.day, counts),
                was_day_off=back_to_work,
            )
        )
        services.followups.submit(
            user_id,
            f"summary of {command.day} for {user_id}",
            lambda: show_summary(
                client, services, user_id, command.day, None, None, post_if_missing=False
            ),
        )


def _days_off(
    ack: Ack, client: WebClient, services: Services, user_id: str, command: DaysOff
) -> None:
    """Mark the days off (or, with `on`, workdays again); their DMs change after the ack."""
    window = window_for(services, user_id)
    if command.start < window.earliest:
        ack(
            **error_reply(
                f"Days off can be changed from {window.earliest:%b %-d} on; "
                "older days can no longer be changed."
            )
        )
        return

    days = [
        command.start + timedelta(days=n) for n in range((command.end - command.start).days + 1)
    ]
    store = services.store
    if command.back_to_work:
        removed = store.days_off.remove(user_id, days, removed_by=user_id)
        ack(**days_back_to_work(command.start, command.end, removed))

        def ask_again() -> None:
            for day in removed:
                show_workday_again(client, services, user_id, day)

        services.followups.submit(user_id, f"workday DMs for {user_id}", ask_again)
        return

    added = store.days_off.add(user_id, days, created_by=user_id)
    with_calls = [day for day in added if any(store.entries.day_counts(user_id, day).values())]
    ack(
        **days_off_saved(
            command.start, command.end, [d for d in days if d not in added], with_calls
        )
    )

    def note_days_off() -> None:
        for day in added:
            show_day_off(client, services, user_id, day)

    services.followups.submit(user_id, f"day-off DMs for {user_id}", note_days_off)
