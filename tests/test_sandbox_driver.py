"""The driver against a small bolt app, over signed HTTP and over Socket Mode.

The app here stands in for rep-checkin's listeners: it only does what the driver needs to
show that Slack's payloads, signatures and answers round-trip through bolt.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import Ack, App, Respond
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.sandbox import DriverResponse, ManualClock, SlackDriver, SlackStandIn, number_inputs

SECRET = "sandbox-signing-secret"
REP = "U0REP00001"
PROMPT_BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "Time to log today's calls"}},
    {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "open_checkin",
                "text": {"type": "plain_text", "text": "Log calls"},
                "value": "2026-12-03",
            }
        ],
    },
]


def checkin_modal(day: str) -> dict[str, Any]:
    compact = day.replace("-", "")
    return {
        "type": "modal",
        "callback_id": "checkin_modal",
        "private_metadata": day,
        "title": {"type": "plain_text", "text": "Log calls"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "work_date",
                "dispatch_action": True,
                "label": {"type": "plain_text", "text": "Day"},
                "element": {"type": "datepicker", "action_id": "date", "initial_date": day},
            },
            *[
                {
                    "type": "input",
                    "block_id": f"cold_call.{outcome}.{compact}",
                    "optional": True,
                    "label": {"type": "plain_text", "text": outcome},
                    "element": {
                        "type": "number_input",
                        "action_id": "count",
                        "is_decimal_allowed": False,
                        "min_value": "0",
                        "max_value": "200",
                    },
                }
                for outcome in ("connect", "meeting")
            ],
        ],
    }


class Recorder:
    """What the little app saw."""

    def __init__(self) -> None:
        self.saved: list[dict[str, Any]] = []
        self.command_texts: list[str] = []
        self.changed_users: list[dict[str, Any]] = []


def build_app(slack: SlackStandIn, recorder: Recorder) -> App:
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.command("/checkin")
    def checkin(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        recorder.command_texts.append(command["text"])
        if command["text"] == "help":
            ack(text="Type /checkin to log your calls")
        elif command["text"] == "later":
            ack()
            respond(text="Saved for later")
        else:
            ack()
            client.views_open(trigger_id=command["trigger_id"], view=checkin_modal("2026-12-03"))

    @app.action("open_checkin")
    def open_checkin(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(
            trigger_id=body["trigger_id"], view=checkin_modal(body["actions"][0]["value"])
        )

    @app.action("date")
    def change_date(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = body["view"]
        new_day = body["actions"][0]["selected_date"]
        client.views_update(view_id=view["id"], hash=view["hash"], view=checkin_modal(new_day))

    @app.view("checkin_modal")
    def save(ack: Ack, view: dict[str, Any]) -> None:
        counts = {
            block_id: actions["count"]["value"]
            for block_id, actions in view["state"]["values"].items()
            if "count" in actions
        }
        too_many = {
            block_id: "Over 100? Check again"
            for block_id, value in counts.items()
            if value and int(value) > 100
        }
        if too_many:
            ack(response_action="errors", errors=too_many)
            return
        ack()
        recorder.saved.append(counts)

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        home_view = {
            "type": "home",
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
        }
        client.views_publish(user_id=event["user"], view=home_view)

    @app.event("user_change")
    def user_change(event: dict[str, Any]) -> None:
        recorder.changed_users.append(event["user"])

    return app


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        standin.add_user(REP, real_name="Ana Ruiz", tz="America/Chicago")
        yield standin


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def bot_url(slack: SlackStandIn, recorder: Recorder) -> Iterator[str]:
    """The little app served over HTTP on a loopback port, as bolt's request URL."""
    server: WSGIServer = make_server(
        "127.0.0.1", 0, SlackRequestHandler(build_app(slack, recorder)), handler_class=QuietHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/slack/events"
    server.shutdown()
    server.server_close()


@pytest.fixture
def driver(slack: SlackStandIn, bot_url: str) -> SlackDriver:
    return SlackDriver(slack, signing_secret=SECRET, bot_url=bot_url)


def post_prompt(slack: SlackStandIn) -> dict[str, Any]:
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    client.chat_postMessage(channel=REP, text="Time to log today's calls", blocks=PROMPT_BLOCKS)
    return slack.dm_messages(REP)[-1]


def test_click_opens_the_modal(slack: SlackStandIn, driver: SlackDriver) -> None:
    response = driver.click(REP, post_prompt(slack), "open_checkin")

    assert response.ok and response.ack_seconds is not None
    view = slack.open_view(REP)
    assert view is not None and view["callback_id"] == "checkin_modal"


def test_fill_modal_submits_and_closes(
    slack: SlackStandIn, driver: SlackDriver, recorder: Recorder
) -> None:
    driver.click(REP, post_prompt(slack), "open_checkin")

    response = driver.fill_modal(REP, {"cold_call.connect.20261203": 4})

    assert response.ok and response.text == ""
    assert recorder.saved == [
        {"cold_call.connect.20261203": "4", "cold_call.meeting.20261203": None}
    ]
    assert slack.open_view(REP) is None


def test_errors_answer_keeps_the_modal_open(
    slack: SlackStandIn, driver: SlackDriver, recorder: Recorder
) -> None:
    driver.click(REP, post_prompt(slack), "open_checkin")

    response = driver.fill_modal(REP, {"cold_call.meeting.20261203": "150"})

    assert response.ok
    assert response.json == {
        "response_action": "errors",
        "errors": {"cold_call.meeting.20261203": "Over 100? Check again"},
    }
    assert slack.open_view(REP) is not None
    assert recorder.saved == []


def test_fill_modal_refuses_what_slacks_client_refuses(
    slack: SlackStandIn, driver: SlackDriver
) -> None:
    driver.click(REP, post_prompt(slack), "open_checkin")

    with pytest.raises(ValueError, match="above the maximum 200"):
        driver.fill_modal(REP, {"cold_call.connect.20261203": 201})
    with pytest.raises(ValueError, match="not a whole number"):
        driver.fill_modal(REP, {"cold_call.connect.20261203": "2.5"})


def test_changing_the_date_updates_the_modal(slack: SlackStandIn, driver: SlackDriver) -> None:
    driver.click(REP, post_prompt(slack), "open_checkin")

    response = driver.view_action(REP, "work_date", "date", "2026-12-04")

    assert response.ok
    view = slack.open_view(REP)
    assert view is not None
    assert number_inputs(view)[0] == ("cold_call.connect.20261204", "count")
    assert view["state"]["values"]["work_date"]["date"]["selected_date"] == "2026-12-04"


def test_slash_command_replies_are_shown_to_the_person(
    slack: SlackStandIn, driver: SlackDriver
) -> None:
    help_reply = driver.slash_command(REP, "/checkin", "help")
    later_reply = driver.slash_command(REP, "/checkin", "later")

    assert help_reply.ok and later_reply.ok
    assert [(e["text"], e["source"]) for e in slack.ephemerals(REP)] == [
        ("Type /checkin to log your calls", "command_response"),
        ("Saved for later", "response_url"),
    ]


def test_slash_command_text_arrives_escaped_as_slack_sends_it(
    driver: SlackDriver, recorder: Recorder
) -> None:
    driver.slash_command(
        REP, "/checkin", "R&D <West> &amp; <@U0REP00001|ana> <#C0SALES001|sales> <!here>"
    )

    assert recorder.command_texts == [
        "R&amp;D &lt;West&gt; &amp;amp; <@U0REP00001|ana> <#C0SALES001|sales> <!here>"
    ]


def test_slash_command_can_open_the_modal(slack: SlackStandIn, driver: SlackDriver) -> None:
    driver.slash_command(REP, "/checkin")

    assert slack.open_view(REP) is not None


@pytest.mark.parametrize("signature", ["bad", "stale", "missing"])
def test_bolt_refuses_requests_not_signed_by_slack(
    slack: SlackStandIn, driver: SlackDriver, signature: Any
) -> None:
    response = driver.slash_command(REP, "/checkin", signature=signature)

    assert response.status == 401
    assert slack.open_view(REP) is None


def test_home_and_user_change_events(
    slack: SlackStandIn, driver: SlackDriver, recorder: Recorder
) -> None:
    home = driver.open_home(REP)
    change = driver.user_change(REP, tz="Europe/Madrid")

    assert home.ok and change.ok
    home_view = slack.home_view(REP)
    assert home_view is not None and home_view["type"] == "home"
    assert [user["tz"] for user in recorder.changed_users] == ["Europe/Madrid"]


def test_socket_mode_transport(slack: SlackStandIn, recorder: Recorder) -> None:
    handler = SocketModeHandler(build_app(slack, recorder), slack.app_token)
    handler.connect()
    try:
        driver = SlackDriver(slack, signing_secret=SECRET, transport="socket")

        driver.click(REP, post_prompt(slack), "open_checkin")
        response = driver.fill_modal(REP, {"cold_call.connect.20261203": 2})

        assert response.ok
        assert recorder.saved == [
            {"cold_call.connect.20261203": "2", "cold_call.meeting.20261203": None}
        ]
        assert slack.open_view(REP) is None
    finally:
        slack.socket_mode.close_connections()
        handler.close()


class SlowTransport:
    """Answers after `seconds` on the stand-in's manual clock, as a slow app would."""

    def __init__(self, clock: ManualClock, seconds: float) -> None:
        self.clock = clock
        self.seconds = seconds

    def deliver(self, kind: str, payload: dict[str, Any], *, signature: str) -> DriverResponse:
        self.clock.advance(self.seconds)
        return DriverResponse(status=200, headers={}, text="", json=None)


@pytest.mark.parametrize(("seconds", "late"), [(2.9, False), (3.5, True)])
def test_an_answer_after_slacks_window_is_an_operation_timeout(
    monkeypatch: pytest.MonkeyPatch, seconds: float, late: bool
) -> None:
    clock = ManualClock()
    with SlackStandIn(clock=clock) as slack:
        slack.add_user(REP, real_name="Ana Ruiz")
        driver = SlackDriver(slack, signing_secret=SECRET, bot_url="http://127.0.0.1:9/")
        monkeypatch.setattr(driver, "_transport", SlowTransport(clock, seconds))

        response = driver.slash_command(REP, "/checkin", "12 cold no_answer")

    assert response.ack_seconds == pytest.approx(seconds)
    assert response.ok is not late
    assert [e.split(":")[0] for e in response.slack_errors] == (
        ["operation_timeout"] if late else []
    )
