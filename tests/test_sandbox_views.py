"""Modals and the Home tab: trigger_ids, views.open/push/update/publish, hashes, checks."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import ManualClock, SlackStandIn, number_inputs

REP = "U0REP00001"


def modal(date: str = "20261203", initial: str | None = None) -> dict[str, Any]:
    """A check-in-like modal: a dispatching date input and one count per outcome."""
    counts = []
    for outcome in ("connect", "meeting"):
        element: dict[str, Any] = {
            "type": "number_input",
            "action_id": "count",
            "is_decimal_allowed": False,
            "min_value": "0",
            "max_value": "200",
        }
        if initial is not None:
            element["initial_value"] = initial
        counts.append(
            {
                "type": "input",
                "block_id": f"cold.{outcome}.{date}",
                "optional": True,
                "label": {"type": "plain_text", "text": f"Cold calls: {outcome}"},
                "element": element,
            }
        )
    date_input = {
        "type": "input",
        "block_id": "work_date",
        "dispatch_action": True,
        "label": {"type": "plain_text", "text": "Day"},
        "element": {"type": "datepicker", "action_id": "date", "initial_date": "2026-12-03"},
    }
    return {
        "type": "modal",
        "callback_id": "checkin_modal",
        "private_metadata": '{"date": "2026-12-03"}',
        "title": {"type": "plain_text", "text": "Log today's calls"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [date_input, *counts],
    }


HOME = {
    "type": "home",
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "*Pace*"}}],
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def slack(clock: ManualClock) -> Iterator[SlackStandIn]:
    with SlackStandIn(clock=clock) as standin:
        standin.add_user(REP, real_name="Ana Ruiz")
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def error_of(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        call()
    data: dict[str, Any] = raised.value.response.data
    return data


def test_views_open_shows_the_modal_with_its_initial_state(
    client: WebClient, slack: SlackStandIn
) -> None:
    view = client.views_open(trigger_id=slack.issue_trigger_id(REP), view=modal(initial="3"))[
        "view"
    ]

    shown = slack.open_view(REP)
    assert shown is not None
    assert shown["id"] == view["id"] and shown["hash"] == view["hash"]
    assert shown["callback_id"] == "checkin_modal"
    assert number_inputs(shown) == [
        ("cold.connect.20261203", "count"),
        ("cold.meeting.20261203", "count"),
    ]
    assert shown["state"]["values"]["cold.connect.20261203"]["count"] == {
        "type": "number_input",
        "value": "3",
    }
    assert shown["state"]["values"]["work_date"]["date"] == {
        "type": "datepicker",
        "selected_date": "2026-12-03",
    }


@pytest.mark.parametrize(
    ("trigger", "error"),
    [
        ("12.34.not-issued", "invalid_trigger_id"),
        ("expired", "expired_trigger_id"),
        ("used", "exchanged_trigger_id"),
    ],
)
def test_trigger_ids_are_short_lived_and_single_use(
    client: WebClient, slack: SlackStandIn, clock: ManualClock, trigger: str, error: str
) -> None:
    trigger_id = trigger
    if trigger == "expired":
        trigger_id = slack.issue_trigger_id(REP)
        clock.advance(3.5)
    elif trigger == "used":
        trigger_id = slack.issue_trigger_id(REP)
        client.views_open(trigger_id=trigger_id, view=modal())

    assert (
        error_of(lambda: client.views_open(trigger_id=trigger_id, view=modal()))["error"] == error
    )


def test_views_update_checks_the_hash(client: WebClient, slack: SlackStandIn) -> None:
    view = client.views_open(trigger_id=slack.issue_trigger_id(REP), view=modal())["view"]
    client.views_update(view_id=view["id"], hash=view["hash"], view=modal("20261204"))

    stale = error_of(
        lambda: client.views_update(view_id=view["id"], hash=view["hash"], view=modal())
    )

    assert stale["error"] == "hash_conflict"
    shown = slack.open_view(REP)
    assert shown is not None and shown["id"] == view["id"]
    assert number_inputs(shown)[0] == ("cold.connect.20261204", "count")


def test_views_update_keeps_values_of_unchanged_blocks_only(
    client: WebClient, slack: SlackStandIn
) -> None:
    view = client.views_open(trigger_id=slack.issue_trigger_id(REP), view=modal())["view"]
    values = slack.surfaces.stacks[REP][0]["state"]["values"]
    values["cold.connect.20261203"]["count"]["value"] = "7"

    same_day = client.views_update(view_id=view["id"], view=modal(initial="1"))["view"]
    next_day = client.views_update(
        external_id="", view_id=view["id"], view=modal("20261204", initial="1")
    )["view"]

    assert same_day["state"]["values"]["cold.connect.20261203"]["count"]["value"] == "7"
    assert next_day["state"]["values"]["cold.connect.20261204"]["count"]["value"] == "1"


def test_views_update_by_external_id_and_unknown_view(
    client: WebClient, slack: SlackStandIn
) -> None:
    tagged = modal() | {"external_id": "checkin-U0REP00001"}
    client.views_open(trigger_id=slack.issue_trigger_id(REP), view=tagged)

    updated = client.views_update(external_id="checkin-U0REP00001", view=modal("20261205"))

    assert updated["view"]["blocks"][1]["block_id"] == "cold.connect.20261205"
    assert (
        error_of(lambda: client.views_update(view_id="V0NOPE", view=modal()))["error"]
        == "not_found"
    )


def test_views_push_stacks_up_to_three(client: WebClient, slack: SlackStandIn) -> None:
    root = client.views_open(trigger_id=slack.issue_trigger_id(REP), view=modal())["view"]
    for _ in range(2):
        client.views_push(trigger_id=slack.issue_trigger_id(REP), view=modal())

    answer = error_of(
        lambda: client.views_push(trigger_id=slack.issue_trigger_id(REP), view=modal())
    )

    assert answer["error"] == "push_limit_reached"
    stack = slack.modal_stack(REP)
    assert [view["root_view_id"] for view in stack] == [root["id"]] * 3
    assert stack[2]["previous_view_id"] == stack[1]["id"]


def test_views_publish_sets_the_home_tab(client: WebClient, slack: SlackStandIn) -> None:
    first = client.views_publish(user_id=REP, view=HOME)["view"]
    client.views_publish(user_id=REP, view=HOME, hash=first["hash"])

    assert (
        error_of(lambda: client.views_publish(user_id=REP, view=HOME, hash=first["hash"]))["error"]
        == "hash_conflict"
    )
    home = slack.home_view(REP)
    assert home is not None and home["id"] == first["id"] and home["type"] == "home"


def test_invalid_views_are_refused_with_pointers(client: WebClient, slack: SlackStandIn) -> None:
    long_title = copy.deepcopy(modal())
    long_title["title"]["text"] = "A title longer than 24 chars"
    no_submit = {key: value for key, value in modal().items() if key != "submit"}
    decimal_unset = copy.deepcopy(modal())
    del decimal_unset["blocks"][1]["element"]["is_decimal_allowed"]

    answers = [
        error_of(
            lambda view=view: client.views_open(trigger_id=slack.issue_trigger_id(REP), view=view)
        )
        for view in (long_title, no_submit, decimal_unset, HOME)
    ]

    assert {answer["error"] for answer in answers} == {"invalid_arguments"}
    messages = [answer["response_metadata"]["messages"][0] for answer in answers]
    assert messages[0] == "[ERROR] title must be between 1 and 24 characters [json-pointer:/view]"
    assert messages[1].endswith("[json-pointer:/view/submit]")
    assert messages[2].endswith("[json-pointer:/view/blocks/1/element]")
    assert messages[3] == "[ERROR] view type must be modal [json-pointer:/view/type]"
    assert slack.open_view(REP) is None


def test_a_modal_holds_at_most_100_blocks(client: WebClient, slack: SlackStandIn) -> None:
    big = modal() | {"blocks": [{"type": "divider"}] * 101}

    answer = error_of(lambda: client.views_open(trigger_id=slack.issue_trigger_id(REP), view=big))

    assert answer["error"] == "invalid_arguments"
    assert "100" in answer["response_metadata"]["messages"][0]


def test_views_open_needs_a_trigger(client: WebClient) -> None:
    answer = error_of(lambda: client.api_call("views.open", json={"view": modal()}))

    assert answer["response_metadata"]["messages"] == [
        "[ERROR] missing required field: trigger_id [json-pointer:/trigger_id]"
    ]
