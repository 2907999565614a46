"""The stand-in's conversations.history and message metadata, and answers lost after the work."""

from __future__ import annotations

from collections.abc import Iterator
from http.client import RemoteDisconnected
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn
from bot.sandbox.faults import DROPPED

REP = "U0REP00001"
TAG = {"event_type": "checkin_message_posted", "event_payload": {"outbox_id": 7}}


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        standin.add_user(REP, real_name="Ana Ruiz", tz="America/Chicago")
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])


def post(client: WebClient, text: str, **extra: Any) -> str:
    return str(client.chat_postMessage(channel=REP, text=text, **extra)["ts"])


def test_history_pages_newest_first(client: WebClient, slack: SlackStandIn) -> None:
    sent = [post(client, f"message {n}") for n in range(5)]
    channel = slack.dm_channel(REP)

    first = client.conversations_history(channel=channel, limit=2)
    second = client.conversations_history(
        channel=channel, limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    last = client.conversations_history(
        channel=channel, limit=2, cursor=second["response_metadata"]["next_cursor"]
    )

    assert [m["ts"] for m in first["messages"]] == [sent[4], sent[3]]
    assert [m["ts"] for m in second["messages"]] == [sent[2], sent[1]]
    assert [m["ts"] for m in last["messages"]] == [sent[0]]
    assert first["has_more"] and second["has_more"] and not last["has_more"]
    assert "response_metadata" not in last.data


def test_history_keeps_to_oldest_and_latest(client: WebClient, slack: SlackStandIn) -> None:
    sent = [post(client, f"message {n}") for n in range(4)]
    channel = slack.dm_channel(REP)

    between = client.conversations_history(channel=channel, oldest=sent[0], latest=sent[3])
    inclusive = client.conversations_history(
        channel=channel, oldest=sent[0], latest=sent[3], inclusive=True
    )

    assert [m["ts"] for m in between["messages"]] == [sent[2], sent[1]]
    assert len(inclusive["messages"]) == 4


def test_metadata_is_kept_and_shown_only_when_asked(client: WebClient, slack: SlackStandIn) -> None:
    ts = post(client, "tagged", metadata=TAG)
    channel = slack.dm_channel(REP)

    plain = client.conversations_history(channel=channel)["messages"][0]
    full = client.conversations_history(channel=channel, include_all_metadata=True)["messages"][0]

    assert plain["ts"] == full["ts"] == ts
    assert "metadata" not in plain
    assert full["metadata"] == TAG


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ({"event_type": "has space", "event_payload": {}}, "invalid_metadata_schema"),
        ({"event_type": "ok_type", "event_payload": "text"}, "invalid_metadata_schema"),
        ("not json", "invalid_metadata_format"),
    ],
)
def test_bad_metadata_is_refused(
    client: WebClient, slack: SlackStandIn, metadata: Any, error: str
) -> None:
    args = {"channel": REP, "text": "x", "metadata": metadata}
    body = {"data": args} if isinstance(metadata, str) else {"json": args}  # a form, or JSON
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMessage", **body)

    assert raised.value.response["error"] == error
    assert slack.dm_messages(REP) == []


def test_history_wants_a_conversation_id_not_a_user_id(client: WebClient) -> None:
    post(client, "hello")
    with pytest.raises(SlackApiError) as raised:
        client.conversations_history(channel=REP)
    assert raised.value.response["error"] == "channel_not_found"


def test_a_fault_after_the_work_posts_and_loses_the_answer(
    client: WebClient, slack: SlackStandIn
) -> None:
    slack.fail_next("chat.postMessage", status=500, after=True)

    with pytest.raises(SlackApiError) as raised:
        post(client, "posted, answer lost")
    post(client, "next")

    assert raised.value.response.status_code == 500
    assert [m["text"] for m in slack.dm_messages(REP)] == ["posted, answer lost", "next"]


def test_a_fault_after_the_work_waits_for_a_call_that_does_it(
    client: WebClient, slack: SlackStandIn
) -> None:
    slack.fail_next("chat.postMessage", status=503)
    slack.fail_next("chat.postMessage", status=500, after=True)

    with pytest.raises(SlackApiError):
        post(client, "refused before posting")
    with pytest.raises(SlackApiError):
        post(client, "posted, answer lost")

    assert [m["text"] for m in slack.dm_messages(REP)] == ["posted, answer lost"]


def test_a_dropped_connection_after_the_work_posts_and_answers_nothing(
    client: WebClient, slack: SlackStandIn
) -> None:
    slack.fail_next("chat.postMessage", status=DROPPED, after=True)

    with pytest.raises(RemoteDisconnected):
        post(client, "posted, connection dropped")

    assert [m["text"] for m in slack.dm_messages(REP)] == ["posted, connection dropped"]
    dropped = slack.calls_to("chat.postMessage")[0]
    assert (dropped.status, dropped.args["channel"]) == (DROPPED, REP)


def test_recover_ends_an_outage(client: WebClient, slack: SlackStandIn) -> None:
    slack.fail_next("chat.postMessage", status=503, times=100)
    with pytest.raises(SlackApiError):
        post(client, "during")

    slack.recover("chat.postMessage")
    post(client, "after")

    assert [m["text"] for m in slack.dm_messages(REP)] == ["after"]
    assert slack.calls_to("chat.postMessage")[0].args["channel"] == REP, "kept for the record"
