"""SlackDriver: Slack's side of the conversation, delivering what people do to the bot.

    driver = SlackDriver(slack, signing_secret=SECRET, bot_url="http://127.0.0.1:3000/slack/events")
    prompt = slack.dm_messages("U0REP00001")[-1]
    driver.click("U0REP00001", prompt, "open_checkin")
    driver.fill_modal("U0REP00001", {"cold_call.connect.20261203": 4})

Each call builds the payload Slack would send, delivers it (signed HTTP or Socket Mode) and
then does on the stand-in what Slack does with the bot's answer: close or update the modal,
show a slash command's reply, and so on.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal

from bot.sandbox import payloads
from bot.sandbox.forms import (
    StateValues,
    find_element,
    state_entry,
    state_values,
    submission_problems,
)
from bot.sandbox.rules import protocol
from bot.sandbox.signing import SignatureMode
from bot.sandbox.standin import SlackStandIn
from bot.sandbox.transport import (
    DEFAULT_TIMEOUT,
    DriverResponse,
    HttpTransport,
    Kind,
    SocketTransport,
    Transport,
)
from bot.sandbox.view_answers import apply_command_reply, apply_submission_answer


class SlackDriver:
    """Sends slash commands, clicks, modal changes and submissions, and events to the bot."""

    def __init__(
        self,
        standin: SlackStandIn,
        *,
        signing_secret: str,
        bot_url: str | None = None,
        transport: Literal["http", "socket"] = "http",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.standin = standin
        self._transport: Transport
        if transport == "socket":
            self._transport = SocketTransport(standin.socket_mode, timeout)
        elif bot_url is None:
            raise ValueError("transport='http' needs bot_url, the bot's request URL")
        else:
            self._transport = HttpTransport(bot_url, signing_secret, timeout)
        ws = standin.workspace
        self.identity = payloads.Identity(ws.team_id, ws.domain, ws.app_id, ws.bot_user_id)

    def slash_command(
        self,
        user_id: str,
        command: str,
        text: str = "",
        *,
        channel_id: str | None = None,
        signature: SignatureMode = "valid",
    ) -> DriverResponse:
        """The person types `command text` (in their DM with the bot unless channel_id says).

        Slack escapes &, < and > in the text it sends; give mentions as Slack sends them,
        e.g. "<@U0REP00001|ana>", and they reach the app as they are.
        """
        channel = channel_id or self.standin.dm_channel(user_id)
        fields = payloads.slash_command(
            self.identity,
            self.standin.user(user_id),
            command=command,
            text=text,
            channel_id=channel,
            trigger_id=self.standin.issue_trigger_id(user_id),
            response_url=self.standin.response_url(user_id, channel),
        )
        response = self._deliver("command", fields, signature)
        if response.status == 200:
            with self.standin.workspace.lock:
                apply_command_reply(self.standin.workspace, user_id, channel, response)
        return response

    def click(
        self,
        user_id: str,
        message: Mapping[str, Any],
        action_id: str,
        *,
        channel_id: str | None = None,
        value: Any = None,
        signature: SignatureMode = "valid",
    ) -> DriverResponse:
        """The person clicks (or picks `value` in) the element `action_id` of a message."""
        block, element = find_action(message, action_id)
        channel = channel_id or self.standin.dm_channel(user_id)
        payload = payloads.message_block_actions(
            self.identity,
            self.standin.user(user_id),
            channel_id=channel,
            message=dict(message),
            entry=payloads.action(block, element, value),
            trigger_id=self.standin.issue_trigger_id(user_id),
            response_url=self.standin.response_url(user_id, channel, message_ts=message["ts"]),
        )
        return self._deliver("interactive", payload, signature)

    def view_action(
        self,
        user_id: str,
        block_id: str,
        action_id: str,
        value: Any = None,
        *,
        home: bool = False,
        signature: SignatureMode = "valid",
    ) -> DriverResponse:
        """The person changes (datepicker: value="2026-12-03") or clicks an element in a view."""
        with self.standin.workspace.lock:
            view = self._shown_view(user_id, home)
            block, element = find_view_element(view, block_id, action_id)
            if element["type"] != "button":
                entry = state_entry(element, value)
                view["state"]["values"].setdefault(block_id, {})[action_id] = entry
            snapshot = copy.deepcopy(view)

        payload = payloads.view_block_actions(
            self.identity,
            self.standin.user(user_id),
            view=snapshot,
            entry=payloads.action(block, element, value),
            trigger_id=self.standin.issue_trigger_id(user_id),
        )
        return self._deliver("interactive", payload, signature)

    def submit_view(
        self,
        user_id: str,
        values: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None,
        *,
        signature: SignatureMode = "valid",
    ) -> DriverResponse:
        """Submit the open modal with its current state, overlaid with raw `values`.

        `values` is used as given, unchecked; fill_modal is the way a person would fill it.
        """
        with self.standin.workspace.lock:
            view = self._shown_view(user_id, home=False)
            merged: StateValues = copy.deepcopy(view["state"]["values"])
            for block_id, actions in (values or {}).items():
                merged.setdefault(block_id, {}).update(
                    {action_id: dict(entry) for action_id, entry in actions.items()}
                )
            view["state"]["values"] = merged
            snapshot = copy.deepcopy(view)

        payload = payloads.view_submission(
            self.identity,
            self.standin.user(user_id),
            view=snapshot,
            trigger_id=self.standin.issue_trigger_id(user_id),
        )
        response = self._deliver("interactive", payload, signature)
        with self.standin.workspace.lock:
            apply_submission_answer(self.standin.surfaces, user_id, snapshot["id"], response)
        return response

    def fill_modal(
        self, user_id: str, answers: Mapping[str, Any], *, signature: SignatureMode = "valid"
    ) -> DriverResponse:
        """Type `answers` (block_id -> value) into the open modal and submit it, as a person would.

        Raises ValueError when Slack's client would not let the person submit (a required
        input left empty, a number that is not whole or is out of range).
        """
        view = self.standin.open_view(user_id)
        if view is None:
            raise ValueError(f"{user_id} has no modal open")
        values = state_values(view, answers)
        problems = submission_problems(view, values)
        if problems:
            raise ValueError(f"Slack would not submit this modal: {'; '.join(problems)}")
        return self.submit_view(user_id, values, signature=signature)

    def open_home(self, user_id: str, *, signature: SignatureMode = "valid") -> DriverResponse:
        """The person opens the app's Home tab (an app_home_opened event)."""
        event = payloads.app_home_opened(
            user_id,
            channel_id=self.standin.dm_channel(user_id),
            view=self.standin.home_view(user_id),
        )
        return self.send_event(event, signature=signature)

    def send_event(
        self, event: dict[str, Any], *, signature: SignatureMode = "valid"
    ) -> DriverResponse:
        """Any Events API event, wrapped in an event_callback envelope."""
        return self._deliver("event", payloads.event_callback(self.identity, event), signature)

    def user_change(self, user_id: str, **changes: Any) -> DriverResponse:
        """Change a person's profile on the stand-in and send the user_change event for it."""
        user = self.standin.update_user(user_id, **changes)
        return self.send_event(payloads.user_change(user))

    def _shown_view(self, user_id: str, home: bool) -> dict[str, Any]:
        surfaces = self.standin.surfaces
        view = surfaces.homes.get(user_id) if home else surfaces.top(user_id)
        if view is None:
            raise ValueError(f"{user_id} has no {'Home tab' if home else 'modal'} open")
        return view

    def _deliver(
        self, kind: Kind, payload: dict[str, Any], signature: SignatureMode
    ) -> DriverResponse:
        """Deliver, timing the app's acknowledgement against Slack's 3-second window.

        NOTE: Slack drops an answer that comes too late; the driver still applies it and
        only adds operation_timeout to slack_errors, so a moment of load on a shared
        machine shows up there rather than as a different outcome.
        """
        clock = self.standin.workspace.clock
        started = clock()
        response = self._transport.deliver(kind, payload, signature=signature)
        response.ack_seconds = clock() - started

        window = protocol("ack_seconds")
        if response.ack_seconds > window:
            response.slack_errors.append(
                f"operation_timeout: the app answered after {response.ack_seconds:.1f} s; "
                f"Slack waits {window} s"
            )
        return response


def find_action(
    message: Mapping[str, Any], action_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The block and element with `action_id` in a message (actions blocks, accessories)."""
    for block in message.get("blocks", []):
        for element in [block.get("accessory"), *block.get("elements", [])]:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block, element
    raise ValueError(f"no element with action_id {action_id!r} in message {message.get('ts')!r}")


def find_view_element(
    view: Mapping[str, Any], block_id: str, action_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An interactive element of a view; input blocks send actions only with dispatch_action."""
    for block in view.get("blocks", []):
        if block.get("block_id") != block_id:
            continue
        if block.get("type") == "input":
            _, element = find_element(view, block_id)
            if element["action_id"] != action_id:
                raise ValueError(
                    f"input block {block_id!r} holds {element['action_id']!r}, not {action_id!r}"
                )
            if not block.get("dispatch_action"):
                raise ValueError(
                    f"input block {block_id!r} lacks dispatch_action: Slack sends no block_actions"
                )
            return block, element
        for element in [block.get("accessory"), *block.get("elements", [])]:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return block, element
    raise ValueError(f"no element {block_id!r}/{action_id!r} in view {view.get('id')!r}")
