"""Socket Mode: slack_sdk's own SocketModeClient connects, gets hello, and acks envelopes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from bot.sandbox import SlackStandIn


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def socket_client(slack: SlackStandIn) -> Iterator[SocketModeClient]:
    client = SocketModeClient(
        app_token=slack.app_token,
        web_client=WebClient(base_url=slack.api_url),
        auto_reconnect_enabled=False,
    )
    yield client
    slack.socket_mode.close_connections()
    client.close()


def test_client_connects_and_hears_hello(
    slack: SlackStandIn, socket_client: SocketModeClient
) -> None:
    heard: list[dict[str, Any]] = []
    hello = threading.Event()

    def on_message(message: str) -> None:
        heard.append(json.loads(message))
        hello.set()

    socket_client.on_message_listeners.append(on_message)
    socket_client.connect()

    assert hello.wait(10)
    assert heard[0]["type"] == "hello"
    assert heard[0]["connection_info"]["app_id"] == slack.workspace.app_id
    assert slack.socket_mode.connected == 1
    assert [call.token_type for call in slack.calls_to("apps.connections.open")] == ["app"]


def test_envelopes_are_acked_with_payload(
    slack: SlackStandIn, socket_client: SocketModeClient
) -> None:
    received: list[SocketModeRequest] = []

    def listener(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        received.append(request)
        answer = {"response_action": "clear"} if request.type == "interactive" else None
        client.send_socket_mode_response(
            SocketModeResponse(envelope_id=request.envelope_id, payload=answer)
        )

    socket_client.socket_mode_request_listeners.append(listener)
    socket_client.connect()

    interactive = slack.socket_mode.push("interactive", {"type": "view_submission"})
    event = slack.socket_mode.push(
        "events_api", {"type": "event_callback", "event": {"type": "app_home_opened"}}
    )

    assert interactive["payload"] == {"response_action": "clear"}
    assert "payload" not in event
    assert [request.type for request in received] == ["interactive", "events_api"]
    assert received[0].accepts_response_payload is True


def test_a_ticket_connects_only_once(slack: SlackStandIn) -> None:
    url = slack.socket_mode.issue_url()

    with connect(url) as first:
        hello = json.loads(first.recv(timeout=10))
        with connect(url) as second, pytest.raises(ConnectionClosed) as refused:
            second.recv(timeout=10)

    assert hello["type"] == "hello"
    assert refused.value.rcvd is not None and refused.value.rcvd.code == 1008
