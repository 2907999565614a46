"""The stand-in's Web API through slack_sdk's real WebClient: answers and Slack's errors."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn

REP = "U0REP00001"
OTHER_REP = "U0REP00002"
GONE = "U0REP00003"
BUTTONS = [
    {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "open_checkin",
                "text": {"type": "plain_text", "text": "Log today's calls"},
                "value": "2026-12-03",
            }
        ],
    }
]


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        standin.add_user(REP, real_name="Ana Ruiz", tz="America/Chicago")
        standin.add_user(OTHER_REP, real_name="Bo Chen", tz="Europe/Berlin")
        standin.add_user(GONE, real_name="Cy Doe", deleted=True)
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def error_of(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        call()
    data: dict[str, Any] = raised.value.response.data
    return data


def test_auth_test_names_the_bot(client: WebClient, slack: SlackStandIn) -> None:
    answer = client.auth_test()

    assert answer["user_id"] == slack.bot_user_id
    assert answer["team_id"] == slack.team_id


def test_post_message_to_a_user_opens_their_dm(client: WebClient, slack: SlackStandIn) -> None:
    answer = client.chat_postMessage(channel=REP, text="Time to log", blocks=BUTTONS)

    assert answer["channel"].startswith("D")
    assert answer["message"]["ts"] == answer["ts"]
    [message] = slack.dm_messages(REP)
    assert message["text"] == "Time to log"
    assert message["blocks"][0]["block_id"]


def test_update_replaces_text_and_keeps_channel_and_ts(
    client: WebClient, slack: SlackStandIn
) -> None:
    posted = client.chat_postMessage(channel=REP, text="Time to log", blocks=BUTTONS)

    updated = client.chat_update(
        channel=posted["channel"], ts=posted["ts"], text="Logged 12 calls", blocks=[]
    )

    assert (updated["channel"], updated["ts"]) == (posted["channel"], posted["ts"])
    [message] = slack.dm_messages(REP)
    assert message["text"] == "Logged 12 calls"
    assert message["blocks"] == []


def test_ephemeral_and_delete(client: WebClient, slack: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel=REP, text="Time to log")

    ephemeral = client.chat_postEphemeral(channel=posted["channel"], user=REP, text="Only you")
    client.chat_delete(channel=posted["channel"], ts=posted["ts"])

    assert ephemeral["message_ts"]
    assert [e["text"] for e in slack.ephemerals(REP)] == ["Only you"]
    assert slack.dm_messages(REP) == []


def test_conversations_open_returns_the_same_dm(client: WebClient, slack: SlackStandIn) -> None:
    first = client.conversations_open(users=REP)
    second = client.conversations_open(users=REP, return_im=True)

    assert second["channel"]["id"] == first["channel"]["id"] == slack.dm_channel(REP)
    assert second["already_open"] is True
    assert second["channel"]["user"] == REP


def test_users_info_carries_time_zone_fields(client: WebClient) -> None:
    user = client.users_info(user=OTHER_REP)["user"]

    assert user["tz"] == "Europe/Berlin"
    assert user["tz_offset"] in (3600, 7200)
    assert user["deleted"] is False


def test_users_list_paginates_with_cursor(client: WebClient, slack: SlackStandIn) -> None:
    slack.workspace.short_page_seed = None  # full pages, to check the cursors one by one
    pages = [[member["id"] for member in page["members"]] for page in client.users_list(limit=2)]

    assert pages == [[slack.bot_user_id, REP], [OTHER_REP, GONE]]
    assert [call.args.get("cursor") is None for call in slack.calls_to("users.list")] == [
        True,
        False,
    ]


def test_users_list_pages_may_be_shorter_than_the_limit(
    client: WebClient, slack: SlackStandIn
) -> None:
    colleagues = [f"U1COLL{n:04d}" for n in range(120)]  # two listings of 7 pages: under Tier 2
    for user_id in colleagues:
        slack.add_user(user_id, real_name=f"Colleague {user_id}")

    def listing() -> list[list[str]]:
        pages = client.users_list(limit=20)
        return [[member["id"] for member in page["members"]] for page in pages]

    pages = listing()

    assert [user_id for page in pages for user_id in page] == list(slack.workspace.users)
    assert all(1 <= len(page) <= 20 for page in pages)
    assert any(len(page) < 20 for page in pages[:-1]), "Slack may cut a page short"
    assert listing() == pages, "the same workspace pages the same way"


def test_users_list_refuses_a_made_up_cursor(client: WebClient) -> None:
    assert error_of(lambda: client.users_list(cursor="bm9wZQ=="))["error"] == "invalid_cursor"


def test_update_user_changes_what_users_info_says(client: WebClient, slack: SlackStandIn) -> None:
    changed = slack.update_user(REP, tz="Asia/Tokyo", deleted=True)

    user = client.users_info(user=REP)["user"]

    assert user == changed
    assert (user["tz"], user["tz_offset"], user["deleted"]) == ("Asia/Tokyo", 32400, True)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.users_info(user="U0NOBODY1"), "user_not_found"),
        (lambda c: c.chat_postMessage(channel="C0NOWHERE", text="x"), "channel_not_found"),
        (lambda c: c.chat_postMessage(channel=REP), "no_text"),
        (lambda c: c.chat_update(channel=REP, ts="1.2", text="x"), "channel_not_found"),
        (lambda c: c.chat_postEphemeral(channel=REP, user=REP, text="x"), "channel_not_found"),
        (
            lambda c: c.chat_postEphemeral(
                channel=c.conversations_open(users=REP)["channel"]["id"], user=OTHER_REP, text="x"
            ),
            "user_not_in_channel",
        ),
        (lambda c: c.conversations_open(users=GONE), "user_disabled"),
        (lambda c: c.chat_postMessage(channel=GONE, text="x"), "is_archived"),
        (lambda c: c.api_call("chat.scheduleMessage"), "unknown_method"),
    ],
)
@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
def test_slack_errors(client: WebClient, call: Any, error: str) -> None:
    assert error_of(lambda: call(client))["error"] == error


def test_missing_channel_is_channel_not_found(slack: SlackStandIn) -> None:
    answer = raw_post(slack, "chat.postMessage", {"text": "x"}, token=slack.bot_token)

    assert answer == {"ok": False, "error": "channel_not_found"}


def test_unknown_method_names_the_method(client: WebClient) -> None:
    assert error_of(lambda: client.api_call("nope.nope"))["req_method"] == "nope.nope"


def test_invalid_blocks_answer_with_a_pointer(client: WebClient) -> None:
    bad: list[dict[str, Any]] = [
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}},
    ]

    answer = error_of(lambda: client.chat_postMessage(channel=REP, text="x", blocks=bad))

    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] text attribute cannot exceed 3000 characters [json-pointer:/blocks/1]"
    ]


def test_unknown_element_type_is_invalid_blocks(client: WebClient) -> None:
    bad = [{"type": "actions", "elements": [{"type": "buton", "action_id": "a"}]}]

    answer = error_of(lambda: client.chat_postMessage(channel=REP, text="x", blocks=bad))

    assert answer["response_metadata"]["messages"] == [
        "[ERROR] unsupported element type [json-pointer:/blocks/0/elements/0]"
    ]


def test_fifty_one_blocks_exceed_the_message_limit(client: WebClient, slack: SlackStandIn) -> None:
    fifty = [{"type": "divider"}] * 50
    client.chat_postMessage(channel=REP, text="x", blocks=fifty)

    answer = error_of(
        lambda: client.chat_postMessage(channel=REP, text="x", blocks=[*fifty, {"type": "divider"}])
    )

    assert answer["error"] == "invalid_blocks"
    assert "no more than 50 items" in answer["response_metadata"]["messages"][0]
    assert len(slack.dm_messages(REP)) == 1


def test_blocks_in_a_form_body_are_json_strings(slack: SlackStandIn) -> None:
    form = {"channel": REP, "text": "x", "blocks": json.dumps(BUTTONS)}

    answer = raw_post(slack, "chat.postMessage", form, token=slack.bot_token)

    assert answer["ok"] is True
    assert answer["message"]["blocks"][0]["elements"][0]["action_id"] == "open_checkin"


@pytest.mark.parametrize(
    ("token", "error"),
    [
        (None, "not_authed"),
        ("xoxb-not-ours", "invalid_auth"),
        ("xapp-sandbox", "not_allowed_token_type"),
    ],
)
def test_tokens_are_checked(slack: SlackStandIn, token: str | None, error: str) -> None:
    assert raw_post(slack, "auth.test", {}, token=token)["error"] == error


def test_apps_connections_open_wants_the_app_token(slack: SlackStandIn) -> None:
    assert (
        raw_post(slack, "apps.connections.open", {}, token=slack.bot_token)["error"]
        == "not_allowed_token_type"
    )
    assert raw_post(slack, "apps.connections.open", {}, token=None)["error"] == "missing_args"


def test_json_bodies_go_unread_where_slack_does_not_read_them(slack: SlackStandIn) -> None:
    answer = raw_post(slack, "users.info", {"user": REP}, token=slack.bot_token, as_json=True)

    assert answer == {"ok": False, "error": "user_not_found"}


def test_calls_are_recorded_without_tokens(client: WebClient, slack: SlackStandIn) -> None:
    client.users_info(user=REP)

    [call] = slack.calls_to("users.info")
    assert (call.args, call.status, call.token_type) == ({"user": REP}, 200, "bot")
    assert call.content_type.startswith("application/x-www-form-urlencoded")


def raw_post(
    slack: SlackStandIn,
    method: str,
    args: dict[str, str],
    *,
    token: str | None,
    as_json: bool = False,
) -> dict[str, Any]:
    """A hand-made request, for what WebClient would not send."""
    body = json.dumps(args) if as_json else urlencode(args)
    headers = {
        "Content-Type": "application/json" if as_json else "application/x-www-form-urlencoded"
    }
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(slack.api_url + method, data=body.encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.loads(response.read())
    return answer
