"""Buttons and the modal's date picker."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.access import viewer
from bot.blocks.modal import DATE_ACTION_ID, read_private_metadata
from bot.blocks.replies import not_on_a_team
from bot.checkins import build_modal, mark_day_off
from bot.services import Services

logger = logging.getLogger(__name__)


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
        handle_date_change(body, client, services)


def handle_open_checkin(body: dict[str, Any], client: WebClient, services: Services) -> None:
    """Open the modal for the button's day, remembering the message to update afterwards."""
    user_id = body["user"]["id"]
    if not viewer(services.settings, user_id).is_rep:
        _tell(client, body, not_on_a_team()["text"])
        return

    day = _action_date(body) or services.today_of(user_id)
    container = body.get("container") or {}
    channel = container.get("channel_id") if container.get("type") == "message" else None
    ts = container.get("message_ts") if channel else None
    view = build_modal(services, user_id, day, channel, ts)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_day_off(body: dict[str, Any], client: WebClient, services: Services) -> None:
    user_id = body["user"]["id"]
    day = _action_date(body)
    container = body.get("container") or {}
    if not viewer(services.settings, user_id).is_rep or day is None:
        _tell(client, body, not_on_a_team()["text"])
        return
    mark_day_off(client, services, user_id, day, container["channel_id"], container["message_ts"])


def handle_date_change(body: dict[str, Any], client: WebClient, services: Services) -> None:
    """The rep picked another day in the modal: reload it prefilled for that day."""
    user_id = body["user"]["id"]
    view = body["view"]
    picked = body["actions"][0].get("selected_date")
    if not picked:
        return
    context = read_private_metadata(view)
    updated = build_modal(
        services, user_id, date.fromisoformat(picked), context.channel, context.ts
    )
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)


def _action_date(body: dict[str, Any]) -> date | None:
    try:
        return date.fromisoformat(body["actions"][0]["value"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _tell(client: WebClient, body: dict[str, Any], text: str) -> None:
    channel = (body.get("container") or {}).get("channel_id") or body["user"]["id"]
    client.chat_postEphemeral(channel=channel, user=body["user"]["id"], text=text)
