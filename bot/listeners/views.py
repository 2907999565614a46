"""The check-in modal's submission: validate, set the day's counts, confirm in the DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.access import viewer
from bot.blocks.modal import CALLBACK_ID, DATE_BLOCK_ID, ModalErrors, read_private_metadata
from bot.blocks.replies import not_on_a_team
from bot.checkins import save_submission, show_summary
from bot.services import Services

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.view(CALLBACK_ID)
    def submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        handle_submission(ack, body, client, services)


def handle_submission(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Ack only after the save, so a rep never sees the modal close on numbers not stored.

    The DM's summary follows the ack on a follow-up thread: chat.update may have to wait
    out a 429, and Bolt's listener threads must stay free for the next click.
    """
    user_id = body["user"]["id"]
    view = body["view"]
    if not viewer(services.settings, user_id).is_rep:
        ack(response_action="errors", errors={DATE_BLOCK_ID: not_on_a_team()["text"]})
        return

    try:
        day = save_submission(services, user_id, view)
    except ModalErrors as errors:
        logger.info("Check-in from %s rejected: %s", user_id, errors)
        ack(**errors.response())
        return
    ack()

    context = read_private_metadata(view)
    services.followups.submit(
        user_id,
        f"summary of {day} for {user_id}",
        lambda: show_summary(client, services, user_id, day, context.channel, context.ts),
    )
