"""Limits Slack enforces and slack_sdk does not check: the stand-in refuses them as Slack does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn
from bot.sandbox.rules import method_rules, surface_limit

REP = "U0REP00001"


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        standin.add_user(REP, real_name="Ana Ruiz")
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def error_of(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        call()
    answer: dict[str, Any] = raised.value.response.data
    return answer


def section_with_fields(*texts: str) -> dict[str, Any]:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": text} for text in texts]}


def count_input(block_id: str, **values: str) -> dict[str, Any]:
    element = {"type": "number_input", "action_id": "count", "is_decimal_allowed": False}
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": "Calls"},
        "element": element | values,
    }


def modal(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Log calls"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": list(blocks),
    }


# The numbers come from Slack's docs, through the distilled data --------------------------------


def test_the_limits_are_the_documented_ones() -> None:
    rules = method_rules()

    assert rules["chat.update"].arg_limits["text"].max_chars == 4000
    assert rules["files.getUploadURLExternal"].arg_limits["alt_txt"].max_chars == 1000
    assert rules["files.getUploadURLExternal"].arg_limits["length"].minimum == 1
    assert rules["files.completeUploadExternal"].arg_limits["channels"].max_items == 100
    assert "text" not in rules["chat.postMessage"].arg_limits
    assert surface_limit("section_field_max_chars") == 2000
    assert surface_limit("message_text_truncated_after_chars") == 40000


# Message text -----------------------------------------------------------------------------------


def test_chat_update_refuses_text_over_4000_characters(
    client: WebClient, slack: SlackStandIn
) -> None:
    posted = client.chat_postMessage(channel=REP, text="Time to log")

    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="x" * 4000)
    answer = error_of(
        lambda: client.chat_update(channel=posted["channel"], ts=posted["ts"], text="x" * 4001)
    )

    assert answer == {"ok": False, "error": "msg_too_long"}
    assert slack.dm_messages(REP)[0]["text"] == "x" * 4000


def test_chat_post_message_truncates_text_past_40000_characters(
    client: WebClient, slack: SlackStandIn
) -> None:
    client.chat_postMessage(channel=REP, text="x" * 40_001)

    assert slack.dm_messages(REP)[0]["text"] == "x" * 40_000


# Blocks -----------------------------------------------------------------------------------------


def test_a_section_field_over_2000_characters_is_invalid_blocks(client: WebClient) -> None:
    client.chat_postMessage(channel=REP, text="x", blocks=[section_with_fields("a" * 2000)])

    answer = error_of(
        lambda: client.chat_postMessage(
            channel=REP, text="x", blocks=[section_with_fields("ok", "a" * 2001)]
        )
    )

    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] text attribute cannot exceed 2000 characters [json-pointer:/blocks/0/fields/1]"
    ]


def test_duplicate_block_ids_in_a_message_are_invalid_blocks(client: WebClient) -> None:
    divider = {"type": "divider", "block_id": "same"}

    answer = error_of(
        lambda: client.chat_postMessage(channel=REP, text="x", blocks=[divider, dict(divider)])
    )

    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] duplicate block_id 'same' [json-pointer:/blocks/1/block_id]"
    ]


def test_duplicate_block_ids_in_a_view_are_invalid_arguments(
    client: WebClient, slack: SlackStandIn
) -> None:
    view = modal(count_input("cold"), count_input("cold"))

    answer = error_of(lambda: client.views_open(trigger_id=slack.issue_trigger_id(REP), view=view))

    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] duplicate block_id 'cold' [json-pointer:/view/blocks/1/block_id]"
    ]


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"min_value": "5", "max_value": "4"}, "min_value cannot be greater than max_value"),
        (
            {"min_value": "0", "max_value": "200", "initial_value": "201"},
            "initial_value must be between min_value and max_value",
        ),
        (
            {"min_value": "0", "initial_value": "-1"},
            "initial_value must be between min_value and max_value",
        ),
        ({"max_value": "lots"}, "max_value must be a number"),
    ],
)
def test_number_input_bounds_must_hold(
    client: WebClient, slack: SlackStandIn, values: dict[str, str], problem: str
) -> None:
    view = modal(count_input("cold", **values))

    answer = error_of(lambda: client.views_open(trigger_id=slack.issue_trigger_id(REP), view=view))

    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"] == [
        f"[ERROR] {problem} [json-pointer:/view/blocks/0/element]"
    ]


def test_number_input_within_its_bounds_is_accepted(client: WebClient, slack: SlackStandIn) -> None:
    view = modal(
        count_input("a", min_value="0", max_value="200", initial_value="0"),
        count_input("b", min_value="0", max_value="200", initial_value="200"),
        count_input("c", min_value="3", max_value="3"),
    )

    assert client.views_open(trigger_id=slack.issue_trigger_id(REP), view=view)["ok"]


# File uploads -----------------------------------------------------------------------------------


def test_upload_url_refuses_alt_text_over_1000_characters(client: WebClient) -> None:
    client.files_getUploadURLExternal(filename="a.png", length=10, alt_txt="a" * 1000)

    answer = error_of(
        lambda: client.files_getUploadURLExternal(filename="a.png", length=10, alt_txt="a" * 1001)
    )

    assert answer == {"ok": False, "error": "alt_txt_too_large"}


def test_upload_url_refuses_an_empty_file(client: WebClient) -> None:
    answer = error_of(lambda: client.files_getUploadURLExternal(filename="a.png", length=0))

    assert answer == {"ok": False, "error": "missing_argument"}
