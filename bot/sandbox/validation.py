"""Block Kit checks as Slack makes them: slack_sdk's models first, then the limits it skips.

Problems are reported the way Slack words them in response_metadata.messages:
`[ERROR] <what> [json-pointer:/view/blocks/3]`.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.sandbox.errors import WebApiError
from bot.sandbox.rules import surface_limit

logger = logging.getLogger(__name__)

# Where a block nests elements, and whether the key holds one element or a list of them.
NESTED_ELEMENTS = {"element": False, "accessory": False, "elements": True}

# Malformed input makes slack_sdk's parsers raise plain Python errors, not only its own.
PARSE_ERRORS = (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError)


def decode_json_arg(value: Any, name: str, *, error: str) -> Any:
    """Form bodies carry blocks and views as JSON strings; JSON bodies carry them as values."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise WebApiError(
            error, messages=[f"[ERROR] invalid JSON ({exc.msg}) [json-pointer:/{name}]"]
        ) from exc


def block_problems(blocks: Any, pointer: str) -> list[str]:
    """Every problem slack_sdk finds in a list of blocks, with a pointer to each."""
    if not isinstance(blocks, list):
        return [f"[ERROR] must provide an array [json-pointer:{pointer}]"]

    problems: list[str] = []
    for index, raw in enumerate(blocks):
        problems.extend(_one_block_problems(raw, f"{pointer}/{index}"))
    return problems + _duplicate_block_ids(blocks, pointer)


def _duplicate_block_ids(blocks: list[Any], pointer: str) -> list[str]:
    """A block_id names one block of its message or view; Slack refuses a second one.

    NOTE: docs.slack.dev's Block Kit reference says a block_id must be unique within its
    message or view; that page is not in the Slack reference folder, and the wording of
    Slack's own error message here is ours.
    """
    seen: set[str] = set()
    problems = []
    for index, raw in enumerate(blocks):
        block_id = raw.get("block_id") if isinstance(raw, dict) else None
        if block_id is None:
            continue
        if block_id in seen:
            problems.append(
                f"[ERROR] duplicate block_id {block_id!r} [json-pointer:{pointer}/{index}/block_id]"
            )
        seen.add(block_id)
    return problems


def _one_block_problems(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, dict):
        return [f"[ERROR] must provide an object [json-pointer:{where}]"]

    try:
        block = Block.parse(raw)
    except PARSE_ERRORS as exc:
        return [f"[ERROR] {exc} [json-pointer:{where}]"]
    if block is None:
        return [f"[ERROR] unsupported block type {raw.get('type')!r} [json-pointer:{where}/type]"]

    problems = (
        _unparsed_elements(raw, block, where)
        + _number_input_problems(raw, where)
        + _section_field_problems(raw, where)
    )
    try:
        block.validate_json()
        block.to_dict()
    except PARSE_ERRORS as exc:
        problems.append(f"[ERROR] {exc} [json-pointer:{where}]")
    return problems


def _unparsed_elements(raw: dict[str, Any], block: Block, where: str) -> list[str]:
    """slack_sdk quietly turns an element of unknown type into None; Slack refuses it."""
    problems = []
    for key, is_list in NESTED_ELEMENTS.items():
        if key not in raw:
            continue
        parsed = getattr(block, key, None)
        items = (parsed or []) if is_list else [parsed]
        for index, item in enumerate(items):
            if item is None:
                suffix = f"/{index}" if is_list else ""
                problems.append(
                    f"[ERROR] unsupported element type [json-pointer:{where}/{key}{suffix}]"
                )
    return problems


def _number_input_problems(raw: dict[str, Any], where: str) -> list[str]:
    """What docs.slack.dev asks of number_input and slack_sdk does not check.

    is_decimal_allowed is required, and min_value cannot be greater than max_value.
    NOTE: the docs do not say in so many words that an initial_value outside min..max is
    refused; the stand-in refuses it, since Slack's client could never submit that value.
    """
    element = raw.get("element")
    if not isinstance(element, dict) or element.get("type") != "number_input":
        return []
    pointer = f"[json-pointer:{where}/element]"
    if "is_decimal_allowed" not in element:
        return [f"[ERROR] missing required field: is_decimal_allowed {pointer}"]

    numbers = {}
    for key in ("min_value", "max_value", "initial_value"):
        if key in element:
            number = _decimal(element[key])
            if number is None:
                return [f"[ERROR] {key} must be a number {pointer}"]
            numbers[key] = number
    low, high = numbers.get("min_value"), numbers.get("max_value")
    if low is not None and high is not None and low > high:
        return [f"[ERROR] min_value cannot be greater than max_value {pointer}"]
    initial = numbers.get("initial_value")
    below = initial is not None and low is not None and initial < low
    above = initial is not None and high is not None and initial > high
    if below or above:
        return [f"[ERROR] initial_value must be between min_value and max_value {pointer}"]
    return []


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _section_field_problems(raw: dict[str, Any], where: str) -> list[str]:
    """docs.slack.dev caps each section field at 2,000 characters; slack_sdk does not check."""
    fields = raw.get("fields") if raw.get("type") == "section" else None
    if not isinstance(fields, list):
        return []
    limit = surface_limit("section_field_max_chars")
    return [
        f"[ERROR] text attribute cannot exceed {limit} characters "
        f"[json-pointer:{where}/fields/{index}]"
        for index, field in enumerate(fields)
        if isinstance(field, dict) and len(str(field.get("text", ""))) > limit
    ]


def check_message_blocks(value: Any) -> list[dict[str, Any]] | None:
    """The blocks of a message, or WebApiError invalid_blocks(_format) as Slack answers."""
    if value is None:
        return None
    blocks = decode_json_arg(value, "blocks", error="invalid_blocks_format")
    if not isinstance(blocks, list):
        raise WebApiError(
            "invalid_blocks_format",
            messages=["[ERROR] must provide an array [json-pointer:/blocks]"],
        )

    problems = block_problems(blocks, "/blocks")
    limit = surface_limit("message_blocks_max")
    if len(blocks) > limit:
        problems.append(f"[ERROR] no more than {limit} items allowed [json-pointer:/blocks]")
    if problems:
        raise WebApiError("invalid_blocks", messages=problems)
    return blocks


def check_view(value: Any, *, allowed_types: frozenset[str]) -> dict[str, Any]:
    """A view argument checked as views.open/update/push/publish check it."""
    view = decode_json_arg(value, "view", error="invalid_arguments")
    if not isinstance(view, dict):
        raise WebApiError(
            "invalid_arguments", messages=["[ERROR] must provide an object [json-pointer:/view]"]
        )
    if len(json.dumps(view)) > surface_limit("view_max_bytes"):
        raise WebApiError("view_too_large")

    problems = view_problems(view, allowed_types)
    if problems:
        raise WebApiError("invalid_arguments", messages=problems)
    return view


def view_problems(view: dict[str, Any], allowed_types: frozenset[str]) -> list[str]:
    """Problems in a view object, pointed at under /view."""
    if view.get("type") not in allowed_types:
        expected = " or ".join(sorted(allowed_types))
        return [f"[ERROR] view type must be {expected} [json-pointer:/view/type]"]

    problems = block_problems(view.get("blocks"), "/view/blocks")
    if problems:
        return problems

    try:
        parsed = View(**view)
        parsed.validate_json()
        parsed.to_dict()
    except PARSE_ERRORS as exc:
        return [f"[ERROR] {exc} [json-pointer:/view]"]

    if view["type"] == "modal" and _needs_submit(view):
        return ["[ERROR] a modal with input blocks needs submit [json-pointer:/view/submit]"]
    return []


def _needs_submit(view: dict[str, Any]) -> bool:
    has_input = any(block.get("type") == "input" for block in view.get("blocks", []))
    return (
        bool(surface_limit("modal_submit_required_with_inputs"))
        and has_input
        and not view.get("submit")
    )
