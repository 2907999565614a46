"""What Slack does with the app's answer to a slash command or a view_submission.

Problems Slack would show the person instead are added to the response's `slack_errors`.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.sandbox.errors import WebApiError
from bot.sandbox.forms import input_blocks
from bot.sandbox.methods.chat import message_content
from bot.sandbox.surfaces import Surfaces
from bot.sandbox.transport import DriverResponse
from bot.sandbox.validation import view_problems
from bot.sandbox.workspace import Workspace

logger = logging.getLogger(__name__)

MODAL = frozenset({"modal"})


def apply_command_reply(
    ws: Workspace, user_id: str, channel: str, response: DriverResponse
) -> None:
    """A slash command's HTTP answer is shown to the person (or the channel, if in_channel)."""
    if not response.text.strip():
        return
    body: dict[str, Any] = (
        response.json if isinstance(response.json, dict) else {"text": response.text}
    )
    try:
        text, blocks = message_content(body)
    except WebApiError as failure:
        response.slack_errors.append(f"command reply refused: {failure.error} {failure.messages}")
        return

    if body.get("response_type") == "in_channel":
        ws.conversation(channel, user_ids=True).messages.append(ws.bot_message(text or "", blocks))
    else:
        ws.ephemeral(
            user=user_id, channel=channel, text=text or "", blocks=blocks, source="command_response"
        )


def apply_submission_answer(
    surfaces: Surfaces, user_id: str, view_id: str, response: DriverResponse
) -> None:
    """Close, keep, update, push or clear the modal as the view_submission answer says."""
    current = surfaces.top(user_id)
    if current is None or current["id"] != view_id:
        response.slack_errors.append("the submitted modal is no longer on top of the stack")
        return
    if response.status != 200:
        response.slack_errors.append(
            f"HTTP {response.status}: Slack keeps the modal open with an error"
        )
        return
    if not response.text.strip():
        surfaces.close_top(user_id)
        return
    if not isinstance(response.json, dict):
        response.slack_errors.append(
            "the answer is not JSON: Slack keeps the modal open with an error"
        )
        return

    action = response.json.get("response_action")
    if action is None:
        surfaces.close_top(user_id)
    elif action == "clear":
        surfaces.clear(user_id)
    elif action == "errors":
        _check_errors(current, response.json.get("errors"), response)
    elif action in ("update", "push"):
        _show_new_view(surfaces, user_id, current, response)
    else:
        response.slack_errors.append(f"unknown response_action {action!r}")


def _show_new_view(
    surfaces: Surfaces, user_id: str, current: dict[str, Any], response: DriverResponse
) -> None:
    answer: dict[str, Any] = response.json or {}
    action = answer["response_action"]
    view = answer.get("view")
    if not isinstance(view, dict):
        response.slack_errors.append(f"response_action {action} refused: view must be an object")
        return

    problems = view_problems(view, MODAL)
    if problems:
        response.slack_errors.extend(f"response_action {action} refused: {p}" for p in problems)
    elif action == "update":
        surfaces.replace(current, view)
    else:
        _push(surfaces, user_id, view, response)


def _check_errors(current: dict[str, Any], errors: Any, response: DriverResponse) -> None:
    """response_action errors must map input block_ids of the modal to messages."""
    if not isinstance(errors, dict) or not errors:
        response.slack_errors.append("response_action errors needs a non-empty errors object")
        return
    known = {block["block_id"] for block in input_blocks(current)}
    unknown = sorted(set(errors) - known)
    if unknown:
        response.slack_errors.append(
            f"errors name blocks that are not inputs of the modal: {unknown}"
        )


def _push(surfaces: Surfaces, user_id: str, view: dict[str, Any], response: DriverResponse) -> None:
    try:
        surfaces.push_modal(user_id, view)
    except WebApiError as failure:
        response.slack_errors.append(f"response_action push refused: {failure.error}")
