"""users.info, users.list and conversations.open: who is in the workspace and their DMs."""

from __future__ import annotations

import base64
import binascii
import copy
import logging
import random
import time
from typing import Any

from bot.sandbox.context import Args, Context, Handler
from bot.sandbox.errors import WebApiError, invalid_arguments
from bot.sandbox.workspace import Conversation

logger = logging.getLogger(__name__)


def flag(value: Any) -> bool:
    """A boolean argument: JSON true, or "true"/"1" in a form body."""
    return value is True or str(value).lower() in ("true", "1")


def users_info(ctx: Context, args: Args) -> dict[str, Any]:
    user = copy.deepcopy(ctx.ws.user(args.get("user")))
    if flag(args.get("include_locale")):
        user["locale"] = "en-US"
    return {"ok": True, "user": user}


def encode_cursor(user_id: str) -> str:
    """Slack's cursors look like base64 of "user:U061NFTT2"; ours name the next user too."""
    return base64.b64encode(f"user:{user_id}".encode()).decode()


def decode_cursor(cursor: str, user_ids: list[str]) -> int:
    try:
        kind, _, user_id = base64.b64decode(cursor, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise WebApiError("invalid_cursor") from exc
    if kind != "user" or user_id not in user_ids:
        raise WebApiError("invalid_cursor")
    return user_ids.index(user_id)


def page_length(ctx: Context, first_user_id: str, limit: int) -> int:
    """How many members a page before the last holds: Slack may return fewer than `limit`.

    About half the pages are cut to between half the limit and one less, drawn from the
    workspace's seed and the page's first user, so the same workspace pages the same way.
    """
    seed = ctx.ws.short_page_seed
    if seed is None or limit < 2:
        return limit
    draw = random.Random(f"{seed}:{first_user_id}")
    if draw.random() < 0.5:
        return limit
    return draw.randint((limit + 1) // 2, limit - 1)


def users_list(ctx: Context, args: Args) -> dict[str, Any]:
    user_ids = list(ctx.ws.users)
    try:
        limit = int(args.get("limit") or 0)
    except (TypeError, ValueError) as exc:
        raise invalid_arguments("must be a number", "/limit") from exc
    start = decode_cursor(args["cursor"], user_ids) if args.get("cursor") else 0

    end = len(user_ids) if limit <= 0 else min(len(user_ids), start + limit)
    if start < end < len(user_ids):
        end = start + page_length(ctx, user_ids[start], limit)
    members = [copy.deepcopy(ctx.ws.users[user_id]) for user_id in user_ids[start:end]]
    next_cursor = encode_cursor(user_ids[end]) if end < len(user_ids) else ""
    return {
        "ok": True,
        "members": members,
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": next_cursor},
    }


def im_object(ctx: Context, conversation: Conversation) -> dict[str, Any]:
    """The IM object conversations.open returns with return_im=true."""
    return {
        "id": conversation.id,
        "created": conversation.created,
        "is_im": True,
        "is_org_shared": False,
        "user": conversation.user,
        "last_read": "0000000000.000000",
        "latest": None,
        "unread_count": 0,
        "unread_count_display": 0,
        "is_open": True,
        "priority": 0,
    }


def conversations_open(ctx: Context, args: Args) -> dict[str, Any]:
    if args.get("channel"):
        conversation = ctx.ws.conversations.get(args["channel"])
        if conversation is None or conversation.user is None:
            raise WebApiError("channel_not_found")
        already_open = True
    else:
        conversation, already_open = open_dm(ctx, args.get("users"))

    answer: dict[str, Any] = {"ok": True}
    if already_open:
        answer |= {"no_op": True, "already_open": True}
    if flag(args.get("return_im")):
        answer["channel"] = im_object(ctx, conversation)
    else:
        answer["channel"] = {"id": conversation.id}
    return answer


def open_dm(ctx: Context, users: Any) -> tuple[Conversation, bool]:
    user_ids = users if isinstance(users, list) else str(users or "").split(",")
    user_ids = [user_id.strip() for user_id in user_ids if user_id.strip()]
    if not user_ids:
        raise WebApiError("users_list_not_supplied")
    if len(user_ids) > 1:
        # NOTE: multi-person DMs are not modelled by the stand-in; the bot only opens 1:1 DMs.
        logger.warning(
            "conversations.open with %d users: multi-person DMs are not modelled", len(user_ids)
        )
        raise WebApiError("invalid_user_combination")

    user = ctx.ws.user(user_ids[0])
    if user["deleted"]:
        raise WebApiError("user_disabled")
    already_open = user["id"] in ctx.ws.dm_of_user
    return ctx.ws.dm_with(user["id"]), already_open


HANDLERS: dict[str, Handler] = {
    "users.info": users_info,
    "users.list": users_list,
    "conversations.open": conversations_open,
}
