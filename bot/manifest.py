"""The Slack app manifest for rep-checkin, built from app.yaml and the Web API methods it calls."""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings

logger = logging.getLogger(__name__)

# Every Web API method the bot calls. Its bot scopes come from data/method_scopes.json,
# so adding a call here without its scope there fails the tests instead of failing in Slack.
METHODS = (
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "conversations.open",
    "conversations.history",
    "users.list",
    "users.info",
    "views.open",
    "views.update",
    "views.publish",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
)
# message.im: a rep who answers the check-in in words is told where to log (listeners/events).
BOT_EVENTS = ("app_home_opened", "message.im", "user_change")
MANIFEST_MAJOR_VERSION = 1
MANIFEST_MINOR_VERSION = 1
SCOPE_TABLE = Path(__file__).parent / "data" / "method_scopes.json"
REQUEST_URL = re.compile(r"^https?://")  # the pattern the manifest schema requires

DESCRIPTION = "Daily call check-ins for sales reps, weekly reports and early warnings for managers."
CHECKIN_COMMAND = {
    "command": "/checkin",
    "description": "Log today's calls, mark days off, or see how to use the check-in",
    # DATES: a day or a range (2026-12-24..2026-12-31); `on` undoes days off.
    "usage_hint": "[12 cold no_answer, 3 demo meeting_booked | off DATES | on DATES | help]",
    "should_escape": False,
}
# should_escape makes Slack send "@rep" as <@U…|name>, so /stats receives a user ID.
STATS_COMMAND = {
    "command": "/stats",
    "description": "Show call numbers for yourself, a rep or a team",
    "usage_hint": "[@rep | team | team NAME] [week | month | 30d | 2026-W48]",
    "should_escape": True,
}


@cache
def scope_table() -> dict[str, Any]:
    """The method/event -> bot scope table with its sources (data/method_scopes.json)."""
    table: dict[str, Any] = json.loads(SCOPE_TABLE.read_text(encoding="utf-8"))
    return table


def bot_scopes() -> list[str]:
    """The bot scopes the listed methods, events and slash commands need, sorted."""
    table = scope_table()
    needs = [("methods", name) for name in METHODS]
    needs += [("events", name) for name in BOT_EVENTS]
    needs.append(("features", "slash_commands"))

    scopes: set[str] = set()
    for kind, name in needs:
        entry = table[kind].get(name)
        if entry is None:
            raise LookupError(
                f"{name!r} has no entry under {kind!r} in bot/data/method_scopes.json"
            )
        if entry["chosen"]:
            scopes.add(entry["chosen"])
    return sorted(scopes)


def build_manifest(
    settings: Settings, *, socket_mode: bool = True, request_url: str | None = None
) -> dict[str, Any]:
    """The app manifest as a dict; HTTP mode (socket_mode=False) needs the public request_url."""
    url = _checked_request_url(socket_mode, request_url)

    commands = [dict(CHECKIN_COMMAND), dict(STATS_COMMAND)]
    event_subscriptions: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if url:
        for command in commands:
            command["url"] = url
        event_subscriptions["request_url"] = url
        interactivity["request_url"] = url

    manifest = {
        "_metadata": {
            "major_version": MANIFEST_MAJOR_VERSION,
            "minor_version": MANIFEST_MINOR_VERSION,
        },
        "display_information": {"name": settings.app_name, "description": DESCRIPTION},
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": settings.app_name, "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": bot_scopes()}},
        "settings": {
            "event_subscriptions": event_subscriptions,
            "interactivity": interactivity,
            "socket_mode_enabled": socket_mode,
        },
    }
    logger.debug("Built the app manifest (socket_mode=%s)", socket_mode)
    return manifest


def render_manifest(
    settings: Settings, *, socket_mode: bool = True, request_url: str | None = None
) -> str:
    """The app manifest as YAML, ready to paste into "Create an app > From a manifest"."""
    manifest = build_manifest(settings, socket_mode=socket_mode, request_url=request_url)
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)


def _checked_request_url(socket_mode: bool, request_url: str | None) -> str | None:
    if socket_mode:
        if request_url:
            raise ValueError(
                "request_url is only used in HTTP mode; drop it, or build with socket_mode=False"
            )
        return None

    if not request_url:
        raise ValueError(
            "HTTP mode (socket_mode=False) needs request_url: the public URL Slack sends "
            "slash commands, events and interactions to, e.g. https://checkin.example.com/slack/events"
        )
    if not REQUEST_URL.match(request_url):
        raise ValueError(f"request_url {request_url!r} must start with https:// (or http://)")
    return request_url
