"""What Slack does with an app's answers, and what the driver's requests look like on the wire.

A canned "app" records each request and replies with whatever the test set, so each Slack
behaviour is checked without a real bot.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.sandbox import SlackDriver, SlackStandIn

SECRET = "canned-secret"
REP = "U0REP00001"
MODAL: dict[str, Any] = {
    "type": "modal",
    "callback_id": "checkin_modal",
    "title": {"type": "plain_text", "text": "Log calls"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "cold_call.connect.20261203",
            "label": {"type": "plain_text", "text": "Connects"},
            "element": {"type": "number_input", "action_id": "count", "is_decimal_allowed": False},
        }
    ],
}


class CannedApp:
    """Records requests (headers, raw body) and answers with `status` and `body`."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], str]] = []
        self.status = 200
        self.body = ""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
                server.requests.append((dict(self.headers.items()), raw))
                answer = server.body.encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/slack/events"

    def answer(self, body: dict[str, Any] | str, status: int = 200) -> None:
        self.body = body if isinstance(body, str) else json.dumps(body)
        self.status = status


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        standin.add_user(REP, real_name="Ana Ruiz")
        yield standin


@pytest.fixture
def app() -> Iterator[CannedApp]:
    canned = CannedApp()
    thread = threading.Thread(target=canned.httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield canned
    canned.httpd.shutdown()
    canned.httpd.server_close()


@pytest.fixture
def driver(slack: SlackStandIn, app: CannedApp) -> SlackDriver:
    return SlackDriver(slack, signing_secret=SECRET, bot_url=app.url)


def open_modal(slack: SlackStandIn) -> dict[str, Any]:
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    view: dict[str, Any] = client.views_open(trigger_id=slack.issue_trigger_id(REP), view=MODAL)[
        "view"
    ]
    return view


def test_requests_carry_slacks_content_types_and_a_valid_signature(
    slack: SlackStandIn, driver: SlackDriver, app: CannedApp
) -> None:
    driver.slash_command(REP, "/checkin", "help")
    open_modal(slack)
    driver.submit_view(REP)
    driver.open_home(REP)

    verifier = SignatureVerifier(SECRET)
    kinds = []
    for headers, raw in app.requests:
        assert verifier.is_valid(
            raw, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
        )
        kinds.append(headers["Content-Type"])
    command, submission, event = (raw for _, raw in app.requests)
    assert kinds == ["application/x-www-form-urlencoded"] * 2 + ["application/json"]
    assert parse_qs(command)["command"] == ["/checkin"]
    assert json.loads(parse_qs(submission)["payload"][0])["type"] == "view_submission"
    assert json.loads(event)["event"]["type"] == "app_home_opened"


def test_submit_view_sends_raw_values_unchecked(
    slack: SlackStandIn, driver: SlackDriver, app: CannedApp
) -> None:
    open_modal(slack)

    driver.submit_view(
        REP, {"cold_call.connect.20261203": {"count": {"type": "number_input", "value": "-3"}}}
    )

    payload = json.loads(parse_qs(app.requests[0][1])["payload"][0])
    assert (
        payload["view"]["state"]["values"]["cold_call.connect.20261203"]["count"]["value"] == "-3"
    )


@pytest.mark.parametrize(
    ("answer", "stack_size"),
    [("", 0), ({"response_action": "clear"}, 0), ({"response_action": "push", "view": MODAL}, 2)],
)
def test_submission_answers_close_clear_or_push(
    slack: SlackStandIn, driver: SlackDriver, app: CannedApp, answer: Any, stack_size: int
) -> None:
    open_modal(slack)
    app.answer(answer)

    response = driver.submit_view(REP)

    assert response.ok
    assert len(slack.modal_stack(REP)) == stack_size


def test_update_answer_replaces_the_view_in_place(
    slack: SlackStandIn, driver: SlackDriver, app: CannedApp
) -> None:
    opened = open_modal(slack)
    app.answer({"response_action": "update", "view": MODAL | {"callback_id": "thanks"}})

    driver.submit_view(REP)

    shown = slack.open_view(REP)
    assert shown is not None and (shown["id"], shown["callback_id"]) == (opened["id"], "thanks")


@pytest.mark.parametrize(
    ("answer", "status", "problem"),
    [
        ({"response_action": "errors", "errors": {"nope": "x"}}, 200, "not inputs of the modal"),
        (
            {"response_action": "update", "view": {"type": "home", "blocks": []}},
            200,
            "view type must be modal",
        ),
        ("oops", 200, "not JSON"),
        ("", 500, "HTTP 500"),
    ],
)
def test_answers_slack_would_refuse_keep_the_modal_open(
    slack: SlackStandIn, driver: SlackDriver, app: CannedApp, answer: Any, status: int, problem: str
) -> None:
    open_modal(slack)
    app.answer(answer, status)

    response = driver.submit_view(REP)

    assert not response.ok
    assert problem in response.slack_errors[0]
    assert slack.open_view(REP) is not None


def test_command_reply_with_invalid_blocks_is_refused(
    slack: SlackStandIn, driver: SlackDriver, app: CannedApp
) -> None:
    app.answer({"blocks": [{"type": "nonsense"}]})

    response = driver.slash_command(REP, "/checkin")

    assert "invalid_blocks" in response.slack_errors[0]
    assert slack.ephemerals(REP) == []


def test_view_action_needs_dispatch_action_on_inputs(
    slack: SlackStandIn, driver: SlackDriver
) -> None:
    open_modal(slack)

    with pytest.raises(ValueError, match="dispatch_action"):
        driver.view_action(REP, "cold_call.connect.20261203", "count", "3")


def post_json(url: str, body: dict[str, Any]) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_response_url_replaces_deletes_and_wears_out(slack: SlackStandIn) -> None:
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    posted = client.chat_postMessage(channel=REP, text="Time to log")
    url = slack.response_url(REP, posted["channel"], message_ts=posted["ts"])

    replaced = post_json(url, {"replace_original": True, "text": "Logged"})
    text_after_replace = slack.dm_messages(REP)[0]["text"]
    in_channel = post_json(url, {"response_type": "in_channel", "text": "Team update"})
    ephemeral = post_json(url, {"text": "Only you"})
    deleted = post_json(url, {"delete_original": True})
    last = post_json(url, {"text": "fifth"})
    worn_out = post_json(url, {"text": "sixth"})

    assert [replaced, in_channel, ephemeral, deleted, last] == [(200, "ok")] * 5
    assert worn_out == (404, "used_url")
    assert text_after_replace == "Logged"
    assert [m["text"] for m in slack.dm_messages(REP)] == ["Team update"]
    assert [e["text"] for e in slack.ephemerals(REP)] == ["Only you", "fifth"]
