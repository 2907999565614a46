"""/stats: ack at once (or refuse), then compute on a follow-up thread and answer privately.

Not Bolt's lazy listeners: they run on the same 5 threads that every ack waits for, and
an answer may take seconds (a chart, an upload waiting out a 429).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.access import viewer
from bot.blocks.replies import error_reply
from bot.services import Services
from bot.stats import compute_stats, stats_dataset
from bot.stats_request import StatsRefused, StatsRequest, authorize, parse_stats
from metrics.charts import Chart

logger = logging.getLogger(__name__)

WORKING = "Crunching the numbers…"
FAILED = "Sorry, I couldn't compute those numbers; the error is logged for your admin."
CHART_NOT_SENT = "I couldn't send the chart to our DM this time; the numbers above are complete."

# The bot's DM channel with each person who asked, opened once per process.
DmChannels = dict[str, str]


def register(app: App, services: Services) -> None:
    dm_channels: DmChannels = {}

    @app.command("/stats")
    def stats(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        request = handle_stats_ack(ack, body, services)
        if request is not None:
            services.followups.submit(
                body["user_id"],
                f"/stats {body.get('text', '')!r} for {body['user_id']}",
                lambda: handle_stats_answer(request, body, client, respond, services, dm_channels),
            )


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


def handle_stats_ack(ack: Ack, body: dict[str, Any], services: Services) -> StatsRequest | None:
    """Refusals are answered in the ack itself; otherwise the request whose answer follows."""
    try:
        request = _request(body, services)
    except StatsRefused as refused:
        logger.info("Refused /stats %r from %s", body.get("text", ""), body["user_id"])
        ack(**error_reply(str(refused)))
        return None
    ack(text=WORKING)
    return request


def handle_stats_answer(
    request: StatsRequest,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    dm_channels: DmChannels,
) -> None:
    """Answer the acked request; whatever goes wrong, the asker is never left at WORKING."""
    try:
        _answer(request, body, client, respond, services, dm_channels)
    except Exception:
        logger.exception(
            "Could not answer /stats %r from %s; told them so",
            body.get("text", ""),
            body["user_id"],
        )
        respond(response_type="ephemeral", text=FAILED)


def _answer(
    request: StatsRequest,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    dm_channels: DmChannels,
) -> None:
    dataset = stats_dataset(services.store, services.settings, request)
    result = compute_stats(request, dataset, services.settings)

    respond(response_type="ephemeral", **result.message)
    if result.chart is not None:
        _send_chart(client, respond, body["user_id"], result.chart, dm_channels)


def _send_chart(
    client: WebClient, respond: Respond, user_id: str, chart: Chart, dm_channels: DmChannels
) -> None:
    """Ephemeral messages cannot carry files: the chart goes to the asker's DM with the bot.

    NOTE: so a /stats asked in a channel answers in two places: numbers there, chart in the DM.
    """
    try:
        client.files_upload_v2(
            channel=_bot_dm(client, user_id, dm_channels),
            content=chart.png,
            filename=chart.filename,
            title=chart.title,
            alt_txt=chart.alt_text,
        )
    except Exception:  # a Web API error, or urllib's while posting the file to its upload URL
        logger.exception("Could not send the /stats chart to %s; told them so", user_id)
        respond(response_type="ephemeral", text=CHART_NOT_SENT)
        return
    logger.debug("Sent the /stats chart %s to %s", chart.filename, user_id)


def _bot_dm(client: WebClient, user_id: str, dm_channels: DmChannels) -> str:
    """The bot's own DM with the person: /stats may have been typed in a DM between two people."""
    if user_id not in dm_channels:
        dm_channels[user_id] = client.conversations_open(users=user_id)["channel"]["id"]
    return dm_channels[user_id]
