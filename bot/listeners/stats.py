"""/stats: ack at once (or refuse), then compute in a lazy listener and answer privately."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.access import viewer
from bot.blocks.replies import error_reply
from bot.services import Services
from bot.stats import compute_stats, stats_dataset
from bot.stats_request import StatsRefused, StatsRequest, authorize, parse_stats
from metrics.charts import Chart

logger = logging.getLogger(__name__)

WORKING = "Crunching the numbers…"


def register(app: App, services: Services) -> None:
    def acknowledge(ack: Ack, body: dict[str, Any]) -> None:
        handle_stats_ack(ack, body, services)

    def answer(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        handle_stats_answer(body, client, respond, services)

    app.command("/stats")(ack=acknowledge, lazy=[answer])


def _request(body: dict[str, Any], services: Services) -> StatsRequest:
    user_id = body["user_id"]
    request = parse_stats(
        body.get("text", ""),
        asker=user_id,
        settings=services.settings,
        today=services.today_of(user_id),
    )
    authorize(request, viewer(services.settings, user_id))
    return request


def handle_stats_ack(ack: Ack, body: dict[str, Any], services: Services) -> None:
    """Refusals are answered in the ack itself; anything else is computed after it."""
    try:
        _request(body, services)
    except StatsRefused as refused:
        logger.info("Refused /stats %r from %s", body.get("text", ""), body["user_id"])
        ack(**error_reply(str(refused)))
        return
    ack(text=WORKING)


def handle_stats_answer(
    body: dict[str, Any], client: WebClient, respond: Respond, services: Services
) -> None:
    try:
        request = _request(body, services)
    except StatsRefused:
        return  # already told in the ack
    dataset = stats_dataset(services.store, services.settings, request)
    result = compute_stats(request, dataset, services.settings)

    respond(response_type="ephemeral", **result.message)
    if result.chart is not None:
        _send_chart(client, body, result.chart)


def _send_chart(client: WebClient, body: dict[str, Any], chart: Chart) -> None:
    """Ephemeral messages cannot carry files: the chart goes to the asker's DM with the bot.

    NOTE: so a /stats asked in a channel answers in two places: numbers there, chart in the DM.
    """
    user_id = body["user_id"]
    try:
        channel = body.get("channel_id", "")
        if not channel.startswith("D"):
            channel = client.conversations_open(users=user_id)["channel"]["id"]
        client.files_upload_v2(
            channel=channel,
            content=chart.png,
            filename=chart.filename,
            title=chart.title,
            alt_txt=chart.alt_text,
        )
    except SlackApiError as exc:
        logger.warning(
            "Could not send the /stats chart to %s (%s)", user_id, exc.response.get("error")
        )
