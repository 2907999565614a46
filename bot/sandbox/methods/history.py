"""conversations.history: a conversation's messages, newest first, a page at a time."""

from __future__ import annotations

import base64
import binascii
import copy
from typing import Any

from bot.sandbox.context import Args, Context, Handler
from bot.sandbox.errors import WebApiError, invalid_arguments
from bot.sandbox.methods.directory import flag

DEFAULT_LIMIT = 100  # the method's documented default
MAX_LIMIT = 999  # "Maximum of 999"


def conversations_history(ctx: Context, args: Args) -> dict[str, Any]:
    """Messages between `oldest` and `latest`, newest first, `limit` per page.

    Slack names the conversation by its ID here: a user ID is channel_not_found. Metadata
    is returned only with include_all_metadata.
    """
    conversation = ctx.ws.conversation(args.get("channel"), user_ids=False)
    limit = _limit(args.get("limit"))
    oldest = _ts(args.get("oldest"), "invalid_ts_oldest", default=0.0)
    latest = _ts(args.get("latest"), "invalid_ts_latest", default=float("inf"))
    inclusive = flag(args.get("inclusive"))

    newest_first = sorted(conversation.messages, key=lambda m: float(m["ts"]), reverse=True)
    window = [m for m in newest_first if _within(float(m["ts"]), oldest, latest, inclusive)]
    if args.get("cursor"):
        before = _decode_cursor(args["cursor"])
        window = [m for m in window if float(m["ts"]) < before]

    page, rest = window[:limit], window[limit:]
    with_metadata = flag(args.get("include_all_metadata"))
    answer: dict[str, Any] = {
        "ok": True,
        "messages": [_shown(m, with_metadata) for m in page],
        "has_more": bool(rest),
        "pin_count": 0,
        "channel_actions_ts": None,
        "channel_actions_count": 0,
    }
    if rest:
        answer["response_metadata"] = {"next_cursor": _encode_cursor(page[-1]["ts"])}
    return answer


def _limit(value: Any) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(value)
    except (TypeError, ValueError) as exc:
        raise invalid_arguments("must be a number", "/limit") from exc
    return min(max(limit, 1), MAX_LIMIT)


def _ts(value: Any, error: str, *, default: float) -> float:
    if value in (None, ""):
        return default
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise WebApiError(error) from exc


def _within(ts: float, oldest: float, latest: float, inclusive: bool) -> bool:
    if inclusive:
        return oldest <= ts <= latest
    return oldest < ts < latest


def _encode_cursor(ts: str) -> str:
    """Slack's history cursors read as base64 of "next_ts:<ts>"; ours do too."""
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _decode_cursor(cursor: str) -> float:
    try:
        kind, _, ts = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind != "next_ts":
            raise ValueError(kind)
        return float(ts)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise WebApiError("invalid_cursor") from exc


def _shown(message: dict[str, Any], with_metadata: bool) -> dict[str, Any]:
    shown = copy.deepcopy(message)
    if not with_metadata:
        shown.pop("metadata", None)
    return shown


HANDLERS: dict[str, Handler] = {"conversations.history": conversations_history}
