"""Buttons and the modal's date picker.

Only the trigger-bound views.open runs before the listener returns (a trigger lapses in
about 3 s); the picker's views.update, notes and DM updates go to the follow-up threads
(see bot.followups), one person's in the order they clicked.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.access import viewer
from bot.blocks.modal import DATE_ACTION_ID, read_private_metadata
from bot.blocks.replies import not_on_a_team
from bot.checkins import build_modal, show_day_off, window_for
from bot.services import Services
from bot.slack_client import open_modal

logger = logging.getLogger(__name__)

BUSY = "Slack is busy right now; press the button again in a moment."


def register(app: App, services: Services) -> None:
    @app.action("open_checkin")
    def open_checkin(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_open_checkin(body, client, services)

    @app.action("day_off")
    def day_off(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        handle_day_off(body, client, services)

    @app.action(DATE_ACTION_ID)
    def change_date(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        services.form_followups.submit(
            user_id,
            f"the check-in form of {user_id} for a picked day",
            lambda: handle_date_change(body, client, services),
        )


def handle_open_checkin(body: dict[str, Any], client: WebClient, services: Services) -> None:
    """Open the modal for the button's day, remembering the message to update afterwards."""
    user_id = body["user"]["id"]
    if not viewer(services.settings, user_id).is_rep:
        _tell(client, services, body, not_on_a_team()["text"])
        return

    day = _action_date(body) or services.today_of(user_id)
    problem = window_for(services, user_id).problem(day)
    if problem:
        _tell(client, services, body, problem)
        return

    container = body.get("container") or {}
    channel = container.get("channel_id") if container.get("type") == "message" else None
    ts = container.get("message_ts") if channel else None
    view = build_modal(services, user_id, day, channel, ts)
    if not open_modal(client, user_id, body["trigger_id"], view):
        _tell(client, services, body, BUSY)


def handle_day_off(body: dict[str, Any], client: WebClient, services: Services) -> None:
    """The prompt's Day off button: record it now, turn the day's DMs into a note after."""
    user_id = body["user"]["id"]
    day = _action_date(body)
    container = body.get("container") or {}
    if not viewer(services.settings, user_id).is_rep or day is None:
        _tell(client, services, body, not_on_a_team()["text"])
        return

    problem = window_for(services, user_id).problem(day)
    if problem:
        _tell(client, services, body, problem)
        return

    services.store.days_off.add(user_id, [day], created_by=user_id)
    clicked = (container["channel_id"], container["message_ts"])
    services.followups.submit(
        user_id,
        f"day-off note for {day} to {user_id}",
        lambda: show_day_off(client, services, user_id, day, [clicked]),
    )


def handle_date_change(body: dict[str, Any], client: WebClient, services: Services) -> None:
    """The rep picked another day in the modal: reload it prefilled for that day.

    The DM to update afterwards is the one the form was opened from only while the form
    shows that DM's day; for another day, saving finds that day's own prompt. Runs as a
    follow-up: views.update may wait out a 429, and needs no trigger.
    """
    user_id = body["user"]["id"]
    view = body["view"]
    picked = _iso_date(body["actions"][0].get("selected_date"))
    if picked is None:
        return

    context = read_private_metadata(view)
    opened_from = (context.channel, context.ts) if picked == context.day else (None, None)
    updated = build_modal(services, user_id, picked, *opened_from)
    try:
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
    except SlackApiError as exc:
        if exc.response.get("error") != "hash_conflict":
            raise
        # Two picks in quick succession: the later one is what the rep sees, so it wins.
        logger.info("Check-in form of %s changed meanwhile; showing %s anyway", user_id, picked)
        client.views_update(view_id=view["id"], view=updated)


def _action_date(body: dict[str, Any]) -> date | None:
    try:
        return _iso_date(body["actions"][0]["value"])
    except (KeyError, IndexError):
        return None


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _tell(client: WebClient, services: Services, body: dict[str, Any], text: str) -> None:
    """An ephemeral line where the person clicked; for the Home tab, a line in the bot's DM.

    chat.postEphemeral needs a conversation, and a click on the Home tab comes from none;
    chat.postMessage to the person's user ID lands in their DM with the app.
    """
    user_id = body["user"]["id"]
    channel = (body.get("container") or {}).get("channel_id")

    def post() -> None:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user_id, text=text)
        else:
            client.chat_postMessage(channel=user_id, text=text)

    services.followups.submit(user_id, f"a note to {user_id}", post)
