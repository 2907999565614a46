"""A view's inputs and their state values, the way Slack's client fills them in for a person.

Used by the stand-in (a view's state after views.open/update) and by tests that fill a modal:

    values = state_values(view, {"cold.connect.20261203": 3, "work_date": "2026-12-03"})
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

# The state field each element type reports its current value in.
VALUE_FIELD = {
    "number_input": "value",
    "plain_text_input": "value",
    "email_text_input": "value",
    "url_text_input": "value",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "static_select": "selected_option",
    "external_select": "selected_option",
    "radio_buttons": "selected_option",
    "multi_static_select": "selected_options",
    "multi_external_select": "selected_options",
    "checkboxes": "selected_options",
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
}

# Where an element keeps its initial value, per state field.
INITIAL_FIELD = {
    "value": "initial_value",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
    "selected_option": "initial_option",
    "selected_options": "initial_options",
    "selected_user": "initial_user",
    "selected_users": "initial_users",
    "selected_conversation": "initial_conversation",
    "selected_conversations": "initial_conversations",
    "selected_channel": "initial_channel",
    "selected_channels": "initial_channels",
}

StateValues = dict[str, dict[str, dict[str, Any]]]


def stateful_elements(view: Mapping[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(block, element) for each element that holds a value: inputs, actions, accessories."""
    for block in view.get("blocks", []):
        candidates = [block.get("element"), block.get("accessory"), *block.get("elements", [])]
        for element in candidates:
            if isinstance(element, dict) and element.get("type") in VALUE_FIELD:
                yield block, element


def input_blocks(view: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [block for block in view.get("blocks", []) if block.get("type") == "input"]


def number_inputs(view: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(block_id, action_id) of every number_input in the view's input blocks, in order."""
    return [
        (block["block_id"], block["element"]["action_id"])
        for block in input_blocks(view)
        if block.get("element", {}).get("type") == "number_input"
    ]


def find_element(view: Mapping[str, Any], block_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for block, element in stateful_elements(view):
        if block.get("block_id") == block_id:
            return block, element
    known = sorted(block.get("block_id", "?") for block, _ in stateful_elements(view))
    raise ValueError(f"no input with block_id {block_id!r} in the view; it has {known!r}")


def state_entry(element: Mapping[str, Any], value: Any) -> dict[str, Any]:
    """{"type": ..., <field>: ...} for a person's answer: a number, a date, an option value."""
    field = VALUE_FIELD[element["type"]]
    if field == "value" and value is not None:
        value = str(value)
    elif field in ("selected_option", "selected_options") and value is not None:
        value = _options_for(element, value, many=field == "selected_options")
    return {"type": element["type"], field: value}


def _options_for(element: Mapping[str, Any], value: Any, *, many: bool) -> Any:
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    by_value = {option["value"]: option for option in options}
    wanted = list(value) if many else [value]
    missing = [item for item in wanted if item not in by_value]
    if missing:
        raise ValueError(f"options {missing!r} are not among {sorted(by_value)!r}")
    chosen = [copy.deepcopy(by_value[item]) for item in wanted]
    return chosen if many else chosen[0]


def initial_state(view: Mapping[str, Any], previous: StateValues | None = None) -> StateValues:
    """The state Slack reports for a freshly shown view.

    Inputs start at their initial values; a value a person already entered survives a
    views.update when the block_id, action_id and element type are unchanged (Slack's rule,
    which is why the check-in modal puts the date into its block_ids).
    """
    values: StateValues = {}
    for block, element in stateful_elements(view):
        block_id, action_id = block["block_id"], element["action_id"]
        kept = (previous or {}).get(block_id, {}).get(action_id)
        if kept is not None and kept.get("type") == element["type"]:
            values.setdefault(block_id, {})[action_id] = copy.deepcopy(kept)
            continue
        field = VALUE_FIELD[element["type"]]
        initial = copy.deepcopy(element.get(INITIAL_FIELD[field]))
        values.setdefault(block_id, {})[action_id] = {"type": element["type"], field: initial}
    return values


def state_values(view: Mapping[str, Any], answers: Mapping[str, Any]) -> StateValues:
    """The view's current state with a person's answers (keyed by block_id) typed in."""
    values = initial_state(view, view.get("state", {}).get("values"))
    for block_id, answer in answers.items():
        _, element = find_element(view, block_id)
        values.setdefault(block_id, {})[element["action_id"]] = state_entry(element, answer)
    return values


def submission_problems(view: Mapping[str, Any], values: StateValues) -> list[str]:
    """What Slack's client would refuse before sending a view_submission at all."""
    problems = []
    for block in input_blocks(view):
        element = block["element"]
        entry = values.get(block["block_id"], {}).get(element["action_id"], {})
        current = entry.get(VALUE_FIELD.get(element["type"], "value"))
        if current in (None, "", []):
            if not block.get("optional", False):
                problems.append(f"{block['block_id']}: required")
            continue
        if element["type"] == "number_input":
            problems.extend(_number_problems(block["block_id"], element, str(current)))
    return problems


def _number_problems(block_id: str, element: Mapping[str, Any], text: str) -> list[str]:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return [f"{block_id}: {text!r} is not a number"]
    if not element.get("is_decimal_allowed", False) and number != number.to_integral_value():
        return [f"{block_id}: {text!r} is not a whole number"]
    low, high = element.get("min_value"), element.get("max_value")
    if low is not None and number < Decimal(low):
        return [f"{block_id}: {text} is below the minimum {low}"]
    if high is not None and number > Decimal(high):
        return [f"{block_id}: {text} is above the maximum {high}"]
    return []
