"""The Bolt App: built from services, one `register` per listener group, one error handler."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.listeners import register_all
from bot.services import Services

logger = logging.getLogger(__name__)


def create_app(services: Services, client: WebClient, signing_secret: str | None) -> App:
    """An App for HTTP mode (signing_secret given) or Socket Mode (None: Slack signs nothing).

    Socket Mode envelopes arrive over a connection the bot opened with its app token, so
    there is no request signature to check; HTTP mode always verifies signatures.
    """
    app = App(
        client=client,
        signing_secret=signing_secret,
        request_verification_enabled=signing_secret is not None,
        logger=logging.getLogger("bot.bolt"),
    )
    register_all(app, services)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        """One place for what a listener did not expect: log it, answer without a trace."""
        logger.exception(
            "Unhandled error for %s (%s): %s",
            (body.get("user") or {}).get("id") or body.get("user_id"),
            body.get("type") or body.get("command"),
            error,
        )
        return BoltResponse(status=500, body="")

    return app
