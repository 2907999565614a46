"""chat.postMessage, chat.update, chat.postEphemeral and chat.delete."""

from __future__ import annotations

import copy
import json
import logging
import re
from typing import Any

from bot.sandbox.context import Args, Context, Handler
from bot.sandbox.errors import WebApiError
from bot.sandbox.rules import surface_limit
from bot.sandbox.surfaces import stamp_block_ids
from bot.sandbox.validation import check_message_blocks
from bot.sandbox.workspace import Conversation

logger = logging.getLogger(__name__)

# NOTE: Slack's docs describe event_type only as a snake_case name such as task_created;
# the stand-in takes letters, digits and underscores.
EVENT_TYPE = re.compile(r"[A-Za-z0-9_]{1,255}")


def message_content(args: Args, *, required: bool = True) -> tuple[str | None, list[Any] | None]:
    """The text and checked blocks of a message; Slack wants at least one of them."""
    blocks = check_message_blocks(args.get("blocks"))
    text = args.get("text")
    if required and not text and not blocks and not args.get("attachments"):
        raise WebApiError("no_text")
    return text, stamp_block_ids(blocks) if blocks is not None else None


def truncated(text: str) -> str:
    """chat.postMessage keeps a long text, cut where Slack's docs say it truncates messages.

    Its docs document no msg_too_long (unlike chat.update's 4,000 characters).
    """
    limit = surface_limit("message_text_truncated_after_chars")
    if len(text) <= limit:
        return text
    logger.warning("Truncating a chat.postMessage text of %d characters to %d", len(text), limit)
    return text[:limit]


def refuse_deactivated(ctx: Context, conversation: Conversation, error: str) -> None:
    """Posts into a deactivated person's DM fail with `error` (see SlackStandIn's docstring)."""
    if not ctx.reject_posts_to_deactivated or conversation.user is None:
        return
    if ctx.ws.users[conversation.user]["deleted"]:
        logger.info("Refusing a post to %s, whose account is deactivated", conversation.user)
        raise WebApiError(error)


def message_metadata(value: Any) -> dict[str, Any] | None:
    """The `metadata` argument: an event_type word and an event_payload object.

    It arrives as an object in a JSON body and as a JSON string in a form body.
    """
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise WebApiError("invalid_metadata_format") from exc
    if not isinstance(value, dict):
        raise WebApiError("invalid_metadata_format")
    event_type, payload = value.get("event_type"), value.get("event_payload")
    if not isinstance(event_type, str) or not EVENT_TYPE.fullmatch(event_type):
        raise WebApiError("invalid_metadata_schema")
    if not isinstance(payload, dict):
        raise WebApiError("invalid_metadata_schema")
    return {"event_type": event_type, "event_payload": copy.deepcopy(payload)}


def post_message(ctx: Context, args: Args) -> dict[str, Any]:
    conversation = ctx.ws.conversation(args.get("channel"), user_ids=True)
    refuse_deactivated(ctx, conversation, "is_archived")
    text, blocks = message_content(args)
    metadata = message_metadata(args.get("metadata"))

    message = ctx.ws.bot_message(truncated(text or ""), blocks)
    if args.get("thread_ts"):
        message["thread_ts"] = args["thread_ts"]
    if metadata is not None:
        message["metadata"] = metadata
    conversation.messages.append(message)
    return {
        "ok": True,
        "channel": conversation.id,
        "ts": message["ts"],
        "message": copy.deepcopy(message),
    }


def update(ctx: Context, args: Args) -> dict[str, Any]:
    conversation = ctx.ws.conversation(args.get("channel"), user_ids=False)
    message = ctx.ws.message(conversation, args.get("ts"))
    if message.get("bot_id") != ctx.ws.bot_id:
        raise WebApiError("cant_update_message")
    refuse_deactivated(ctx, conversation, "is_inactive")
    text, blocks = message_content(args)

    # Slack keeps the old blocks when chat.update leaves `blocks` out; [] removes them.
    if text is not None:
        message["text"] = text
    if blocks is not None:
        message["blocks"] = blocks
    message["edited"] = {"user": ctx.ws.bot_id, "ts": ctx.ws.new_ts()}
    return {
        "ok": True,
        "channel": conversation.id,
        "ts": message["ts"],
        "text": message["text"],
        "message": copy.deepcopy(message),
    }


def post_ephemeral(ctx: Context, args: Args) -> dict[str, Any]:
    """An ephemeral message to `user` in a conversation, which a user ID is not.

    Slack's docs describe chat.postEphemeral's `channel` as a channel, private group or IM
    channel (an ID or a name); a user ID there is channel_not_found, and nobody sees a thing.
    NOTE: the docs list msg_too_long here without a number, so no text length is enforced.
    """
    conversation = ctx.ws.conversation(args.get("channel"), user_ids=False)
    user = args.get("user")
    if user not in ctx.ws.users or conversation.user not in (None, user):
        raise WebApiError("user_not_in_channel")
    refuse_deactivated(ctx, conversation, "is_archived")
    text, blocks = message_content(args)

    entry = ctx.ws.ephemeral(
        user=user,
        channel=conversation.id,
        text=text or "",
        blocks=blocks,
        source="chat.postEphemeral",
    )
    return {"ok": True, "message_ts": entry["message_ts"]}


def delete(ctx: Context, args: Args) -> dict[str, Any]:
    conversation = ctx.ws.conversation(args.get("channel"), user_ids=False)
    message = ctx.ws.message(conversation, args.get("ts"))
    if message.get("bot_id") != ctx.ws.bot_id:
        raise WebApiError("cant_delete_message")
    conversation.messages.remove(message)
    return {"ok": True, "channel": conversation.id, "ts": message["ts"]}


HANDLERS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.update": update,
    "chat.postEphemeral": post_ephemeral,
    "chat.delete": delete,
}
