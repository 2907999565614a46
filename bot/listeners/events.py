"""Events: the App Home tab opening, and profile changes that carry a new time zone."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.directory import apply_user_change
from bot.home import publish_home
from bot.services import Services

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") == "home":
            publish_home(client, services, event["user"])

    @app.event("user_change")
    def user_changed(event: dict[str, Any]) -> None:
        apply_user_change(services.store, event["user"], services.clock())
