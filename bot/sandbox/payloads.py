"""Slack-shaped payloads the driver delivers, each built on a sample from payloads.json.

The samples (bolt-python's scenario tests, payloads captured from live Slack) fix the keys
and their nesting; only the IDs, users and values of this workspace are put in.
"""

from __future__ import annotations

import copy
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from bot.sandbox.forms import INITIAL_FIELD, VALUE_FIELD, state_entry
from bot.sandbox.rules import payload_template

VERIFICATION_TOKEN = "sandbox-verification-token"

# Slack's own markup in text it sends: <@U…|name>, <#C…|name>, <!here>, <!subteam^S…|@team>.
SLACK_TOKEN = re.compile(r"<[@#!][^<>]*>")
ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))


@dataclass(frozen=True)
class Identity:
    """Who is who in payloads: the workspace, the app, and the app's bot user."""

    team_id: str
    domain: str
    app_id: str
    bot_user_id: str


def action_ts() -> str:
    return f"{time.time():.6f}"


def user_ref(identity: Identity, user: dict[str, Any]) -> dict[str, str]:
    return {
        "id": user["id"],
        "username": user["name"],
        "name": user["name"],
        "team_id": identity.team_id,
    }


def _interaction(
    identity: Identity, kind: str, user: dict[str, Any], trigger_id: str
) -> dict[str, Any]:
    """The fields every interactive payload shares, on the sample of that kind."""
    payload: dict[str, Any] = copy.deepcopy(payload_template(kind))
    payload |= {
        "team": {"id": identity.team_id, "domain": identity.domain},
        "user": user_ref(identity, user),
        "api_app_id": identity.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "enterprise": None,
        "is_enterprise_install": False,
    }
    return payload


def action(block: dict[str, Any], element: dict[str, Any], value: Any = None) -> dict[str, Any]:
    """One entry of block_actions' `actions`: what was clicked or changed, and to what."""
    entry: dict[str, Any] = {
        "type": element["type"],
        "action_id": element["action_id"],
        "block_id": block["block_id"],
        "action_ts": action_ts(),
    }
    if element["type"] == "button":
        entry |= {key: element[key] for key in ("text", "value", "style") if key in element}
    elif element["type"] in VALUE_FIELD:
        entry |= state_entry(element, value)
        initial = INITIAL_FIELD[VALUE_FIELD[element["type"]]]
        if initial in element:
            entry[initial] = element[initial]
    return entry


def message_block_actions(
    identity: Identity,
    user: dict[str, Any],
    *,
    channel_id: str,
    message: dict[str, Any],
    entry: dict[str, Any],
    trigger_id: str,
    response_url: str,
) -> dict[str, Any]:
    """A block_actions payload for an element in a message (a button in the bot's DM)."""
    payload = _interaction(identity, "block_actions", user, trigger_id)
    payload |= {
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "channel": {
            "id": channel_id,
            "name": "directmessage" if channel_id.startswith("D") else "channel",
        },
        "message": copy.deepcopy(message),
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [entry],
    }
    return payload


def view_block_actions(
    identity: Identity,
    user: dict[str, Any],
    *,
    view: dict[str, Any],
    entry: dict[str, Any],
    trigger_id: str,
) -> dict[str, Any]:
    """A block_actions payload for an element inside a modal or the Home tab."""
    payload = _interaction(identity, "block_actions", user, trigger_id)
    for key in ("channel", "response_url"):
        payload.pop(key, None)
    payload |= {
        "container": {"type": "view", "view_id": view["id"]},
        "view": copy.deepcopy(view),
        "actions": [entry],
    }
    return payload


def view_submission(
    identity: Identity, user: dict[str, Any], *, view: dict[str, Any], trigger_id: str
) -> dict[str, Any]:
    payload = _interaction(identity, "view_submission", user, trigger_id)
    payload |= {"view": copy.deepcopy(view), "response_urls": []}
    return payload


def slack_escaped(text: str) -> str:
    """Typed text as Slack hands it to apps: &, < and > escaped, its own <@…>, <#…>, <!…> kept.

    NOTE: Slack documents this escaping on its "Formatting text for app surfaces" page, which
    the reference folder does not hold; a person typing a literal "<@U…>" is taken here for
    Slack's own mention token, which the driver cannot tell apart.
    """
    pieces: list[str] = []
    start = 0
    for token in SLACK_TOKEN.finditer(text):
        pieces += [_escape(text[start : token.start()]), token.group()]
        start = token.end()
    pieces.append(_escape(text[start:]))
    return "".join(pieces)


def _escape(typed: str) -> str:
    for character, entity in ESCAPES:
        typed = typed.replace(character, entity)
    return typed


def slash_command(
    identity: Identity,
    user: dict[str, Any],
    *,
    command: str,
    text: str,
    channel_id: str,
    trigger_id: str,
    response_url: str,
) -> dict[str, str]:
    """The form fields of a slash command, in the order Slack sends them, its text escaped."""
    fields: dict[str, str] = dict(payload_template("slash_command"))
    for key in ("enterprise_id", "enterprise_name"):
        fields.pop(key, None)
    fields |= {
        "token": VERIFICATION_TOKEN,
        "team_id": identity.team_id,
        "team_domain": identity.domain,
        "channel_id": channel_id,
        "channel_name": "directmessage" if channel_id.startswith("D") else "channel",
        "user_id": user["id"],
        "user_name": user["name"],
        "command": command,
        "text": slack_escaped(text),
        "api_app_id": identity.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return fields


def event_callback(identity: Identity, event: dict[str, Any]) -> dict[str, Any]:
    """An Events API envelope around `event`, as the captured live app_home_opened has it."""
    wrapper: dict[str, Any] = copy.deepcopy(payload_template("app_home_opened"))
    wrapper |= {
        "token": VERIFICATION_TOKEN,
        "team_id": identity.team_id,
        "api_app_id": identity.app_id,
        "event": event,
        "event_id": f"Ev{secrets.token_hex(5).upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": identity.team_id,
                "user_id": identity.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }
    return wrapper


def app_home_opened(
    user_id: str, *, channel_id: str, view: dict[str, Any] | None
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": channel_id,
        "tab": "home",
        "event_ts": action_ts(),
    }
    if view is not None:
        event["view"] = copy.deepcopy(view)
    return event


def user_change(user: dict[str, Any]) -> dict[str, Any]:
    event = copy.deepcopy(payload_template("user_change")["event"])
    event |= {"user": copy.deepcopy(user), "cache_ts": int(time.time()), "event_ts": action_ts()}
    return event
