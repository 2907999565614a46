"""Pure Block Kit builders (data in, dicts out) and the small text helpers they share."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

logger = logging.getLogger(__name__)

MESSAGE_BLOCK_LIMIT = 50  # Slack's limit; slack_sdk does not check it for messages
SECTION_TEXT_LIMIT = 3000

Message = dict[str, Any]
BlockDict = dict[str, Any]


def escape(text: str) -> str:
    """Make user-derived text safe inside mrkdwn: Slack reads `&`, `<` and `>` as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def long_day(day: date) -> str:
    """'Thursday, Dec 3': how a rep names a day; no year, prompts are about this week.

    NOTE: strftime follows the process locale and every message is in English.
    """
    return f"{day:%A}, {day:%b} {day.day}"


def short_day(day: date) -> str:
    """'Thu, Dec 3', for titles and lists where space is tight."""
    return f"{day:%a}, {day:%b} {day.day}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def section(text: str) -> BlockDict:
    """A mrkdwn section; text past Slack's 3000-character limit is cut rather than rejected."""
    if len(text) > SECTION_TEXT_LIMIT:
        logger.warning("Cut a section of %d characters to %d", len(text), SECTION_TEXT_LIMIT)
        text = text[: SECTION_TEXT_LIMIT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> BlockDict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def message(text: str, blocks: list[BlockDict]) -> Message:
    """A chat message: `text` is the notification and screen-reader fallback for `blocks`."""
    return {"text": text, "blocks": blocks}


def validate_blocks(blocks: Sequence[Mapping[str, Any]]) -> None:
    """Check each block with slack_sdk's models, and that none of our keys was dropped.

    slack_sdk ignores keys it does not know (a typo such as `is_decimal_alowed` would
    vanish silently), so the parsed block must read back exactly as we built it.
    Raises slack_sdk's SlackObjectFormationError or ValueError naming the block.
    """
    for index, raw in enumerate(blocks):
        parsed = Block.parse(dict(raw))
        if parsed is None:
            raise ValueError(f"block {index} has an unknown type: {raw.get('type')!r}")
        parsed.validate_json()
        if parsed.to_dict() != raw:
            raise ValueError(f"block {index} has keys slack_sdk does not know: {raw!r}")


def validate_message(msg: Mapping[str, Any]) -> None:
    """Check a {"text", "blocks"} message as Slack would before posting it."""
    if not msg.get("text"):
        raise ValueError("a message needs fallback text for notifications")
    blocks = msg.get("blocks", [])
    if len(blocks) > MESSAGE_BLOCK_LIMIT:
        raise ValueError(f"{len(blocks)} blocks; Slack allows {MESSAGE_BLOCK_LIMIT} per message")
    validate_blocks(blocks)


def validate_view(view: Mapping[str, Any]) -> None:
    """Check a modal or Home tab view: its limits (blocks, title, metadata) and every block."""
    View(**dict(view)).validate_json()
    validate_blocks(view.get("blocks", []))
