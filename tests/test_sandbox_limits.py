"""Rate limits and planned faults: HTTP 429 with Retry-After, 5xx, and slack_sdk's retries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.sandbox import ManualClock, SlackStandIn

REP = "U0REP00001"
OTHER_REP = "U0REP00002"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def slack(clock: ManualClock) -> Iterator[SlackStandIn]:
    limits = {"users.info": 2, "chat.postMessage": 5, "chat.postMessage/channel": 2}
    with SlackStandIn(rate_limits=limits, clock=clock) as standin:
        standin.add_user(REP, real_name="Ana Ruiz")
        standin.add_user(OTHER_REP, real_name="Bo Chen")
        yield standin


def client_for(slack: SlackStandIn, *handlers: object) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=list(handlers))  # type: ignore[arg-type]


def rejection(call: object) -> SlackApiError:
    with pytest.raises(SlackApiError) as raised:
        call()  # type: ignore[operator]
    return raised.value


def test_fail_next_answers_429_with_retry_after(slack: SlackStandIn) -> None:
    slack.fail_next("users.info", retry_after=7)
    client = client_for(slack)

    error = rejection(lambda: client.users_info(user=REP))

    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "7"
    assert error.response.data == {"ok": False, "error": "ratelimited"}
    assert client.users_info(user=REP)["ok"] is True


def test_rate_limit_retry_handler_waits_and_succeeds(slack: SlackStandIn) -> None:
    slack.fail_next("users.info", retry_after=1)
    client = client_for(slack, RateLimitErrorRetryHandler(max_retry_count=1))

    answer = client.users_info(user=REP)

    assert answer["user"]["id"] == REP
    assert [call.status for call in slack.calls_to("users.info")] == [429, 200]


def test_a_low_limit_is_felt_until_the_window_slides(
    slack: SlackStandIn, clock: ManualClock
) -> None:
    client = client_for(slack)
    client.users_info(user=REP)
    clock.advance(10)
    client.users_info(user=REP)

    error = rejection(lambda: client.users_info(user=REP))
    clock.advance(50)

    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] == "50"
    assert client.users_info(user=REP)["ok"] is True


def test_post_message_is_limited_per_channel_and_per_workspace(slack: SlackStandIn) -> None:
    client = client_for(slack)
    for _ in range(2):
        client.chat_postMessage(channel=REP, text="x")

    per_channel = rejection(lambda: client.chat_postMessage(channel=REP, text="x"))
    for _ in range(2):
        client.chat_postMessage(channel=OTHER_REP, text="x")
    slack.add_user("U0REP00003", real_name="Cy Doe")
    client.chat_postMessage(channel="U0REP00003", text="x")
    workspace = rejection(lambda: client.chat_postMessage(channel="U0REP00003", text="x"))

    assert per_channel.response.status_code == workspace.response.status_code == 429
    assert len(slack.dm_messages(REP)) == 2


def test_limits_can_be_switched_off(clock: ManualClock) -> None:
    with SlackStandIn(
        rate_limits={"auth.test": 1}, enforce_rate_limits=False, clock=clock
    ) as slack:
        client = client_for(slack)

        answers = [client.auth_test()["ok"] for _ in range(3)]

    assert answers == [True, True, True]


def test_server_errors_and_their_retry(slack: SlackStandIn) -> None:
    slack.fail_next("chat.postMessage", status=500)
    slack.fail_next("chat.postMessage", status=503)
    bare = client_for(slack)
    retrying = client_for(slack, ServerErrorRetryHandler(max_retry_count=1))

    error = rejection(lambda: bare.chat_postMessage(channel=REP, text="x"))
    answer = retrying.chat_postMessage(channel=REP, text="x")

    assert (error.response.status_code, error.response.data["error"]) == (500, "internal_error")
    assert answer["ok"] is True
    assert [call.status for call in slack.calls_to("chat.postMessage")] == [500, 503, 200]


def test_fail_next_counts_down(slack: SlackStandIn) -> None:
    slack.fail_next("auth.test", status=429, times=2)
    client = client_for(slack)

    statuses = []
    for _ in range(3):
        try:
            statuses.append(client.auth_test().status_code)
        except SlackApiError as error:
            statuses.append(error.response.status_code)

    assert statuses == [429, 429, 200]
