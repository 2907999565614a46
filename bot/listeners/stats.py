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
from bot.outbound import SLACK_FAILURES, failure_reason
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
    """Numbers first, then the chart in the bot's DM: ephemeral messages cannot carry files.

    Asked anywhere but that DM, the numbers say where the chart went.
    """
    dataset = stats_dataset(services.store, services.settings, request)
    result = compute_stats(request, dataset, services.settings)
    if result.chart is None:
        respond(response_type="ephemeral", **result.message())
        return

    user_id = body["user_id"]
    dm = _bot_dm(client, user_id, dm_channels)
    asked_elsewhere = dm is not None and dm != body.get("channel_id")
    respond(response_type="ephemeral", **result.message(chart_in_dm=asked_elsewhere))

    if dm is None:
        respond(response_type="ephemeral", text=CHART_NOT_SENT)
        return
    _send_chart(client, respond, user_id, dm, result.chart)


def _send_chart(client: WebClient, respond: Respond, user_id: str, dm: str, chart: Chart) -> None:
    try:
        client.files_upload_v2(
            channel=dm,
            content=chart.png,
            filename=chart.filename,
            title=chart.title,
            alt_txt=chart.alt_text,
        )
    except SLACK_FAILURES as exc:  # a Web API error, or urllib's on the file's upload URL
        logger.warning(
            "Could not send the /stats chart to %s (%s); told them so", user_id, failure_reason(exc)
        )
    except Exception:  # ours: the numbers are already shown, so only the chart is missing
        logger.exception("Could not send the /stats chart to %s; told them so", user_id)
    else:
        logger.debug("Sent the /stats chart %s to %s", chart.filename, user_id)
        return
    respond(response_type="ephemeral", text=CHART_NOT_SENT)


def _bot_dm(client: WebClient, user_id: str, dm_channels: DmChannels) -> str | None:
    """The bot's own DM with the person, or None (logged) when Slack will not open it.

    /stats may have been typed in a channel, or in a DM between two people.
    """
    if user_id not in dm_channels:
        try:
            dm_channels[user_id] = client.conversations_open(users=user_id)["channel"]["id"]
        except SLACK_FAILURES as exc:
            logger.warning(
                "Could not open the DM with %s for the /stats chart (%s)",
                user_id,
                failure_reason(exc),
            )
            return None
    return dm_channels[user_id]
