"""Modal stacks, Home tabs and trigger_ids: the views each person has on screen.

Views are kept as Slack returns them (id, hash, state, root_view_id, ...); their state holds
the values the person currently sees, so the driver can send them back in payloads.
"""

from __future__ import annotations

import copy
import itertools
import secrets
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import WebApiError
from bot.sandbox.forms import VALUE_FIELD, StateValues, initial_state
from bot.sandbox.rules import protocol, surface_limit
from bot.sandbox.workspace import Workspace

INTERACTIVE_TYPES = frozenset(VALUE_FIELD) | {"button", "overflow"}

VIEW_DEFAULTS: dict[str, Any] = {
    "private_metadata": "",
    "callback_id": "",
    "external_id": "",
    "clear_on_close": False,
    "notify_on_close": False,
    "submit_disabled": False,
}


@dataclass
class Trigger:
    """A trigger_id Slack handed to the app with an interaction: short-lived and single-use."""

    user_id: str
    issued_at: float
    used: bool = False


def stamp_block_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks as Slack stores them: a missing block_id or action_id gets a random one."""
    stamped = copy.deepcopy(blocks)
    for block in stamped:
        block.setdefault("block_id", secrets.token_urlsafe(4)[:5])
        elements = [block.get("element"), block.get("accessory"), *block.get("elements", [])]
        for element in elements:
            if isinstance(element, dict) and element.get("type") in INTERACTIVE_TYPES:
                element.setdefault("action_id", secrets.token_urlsafe(4)[:5])
    return stamped


class Surfaces:
    """Per-person modal stacks, Home tabs, and the trigger_ids that may open modals."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self.stacks: dict[str, list[dict[str, Any]]] = {}
        self.homes: dict[str, dict[str, Any]] = {}
        self.triggers: dict[str, Trigger] = {}
        self._trigger_numbers = itertools.count(1)

    # trigger_ids

    def issue_trigger(self, user_id: str) -> str:
        number = next(self._trigger_numbers)
        trigger_id = f"{number}.{self.ws.team_id}.{secrets.token_hex(16)}"
        self.triggers[trigger_id] = Trigger(user_id=user_id, issued_at=self.ws.clock())
        return trigger_id

    def exchange_trigger(self, trigger_id: Any) -> Trigger:
        """Use a trigger_id up, answering Slack's invalid/expired/exchanged errors."""
        trigger = self.triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if trigger is None:
            raise WebApiError("invalid_trigger_id")
        if trigger.used:
            raise WebApiError("exchanged_trigger_id")
        if self.ws.clock() - trigger.issued_at > protocol("trigger_id_ttl_seconds"):
            raise WebApiError("expired_trigger_id")
        trigger.used = True
        return trigger

    # views

    def build_view(
        self, view: dict[str, Any], *, view_id: str | None = None, root_view_id: str | None = None
    ) -> dict[str, Any]:
        """The view object Slack returns for an accepted view argument."""
        new_id = view_id or self.ws.new_id("V")
        built: dict[str, Any] = {
            "id": new_id,
            "team_id": self.ws.team_id,
            "type": view["type"],
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": stamp_block_ids(view.get("blocks", [])),
            **{key: view.get(key, default) for key, default in VIEW_DEFAULTS.items()},
            "state": {"values": {}},
            "hash": self.ws.new_hash(),
            "previous_view_id": None,
            "root_view_id": root_view_id or new_id,
            "app_id": self.ws.app_id,
            "app_installed_team_id": self.ws.team_id,
            "bot_id": self.ws.bot_id,
        }
        built["state"]["values"] = initial_state(built)
        return built

    def check_external_id(self, view: dict[str, Any], *, replacing: str | None = None) -> None:
        external_id = view.get("external_id")
        if not external_id:
            return
        for shown in self.all_views():
            if shown.get("external_id") == external_id and shown["id"] != replacing:
                raise WebApiError("duplicate_external_id")

    def all_views(self) -> list[dict[str, Any]]:
        modals = [view for stack in self.stacks.values() for view in stack]
        return modals + list(self.homes.values())

    def open_modal(self, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        """Show a new modal, replacing whatever stack the person had open."""
        built = self.build_view(view)
        self.stacks[user_id] = [built]
        return built

    def push_modal(self, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        stack = self.stacks.get(user_id)
        if not stack:
            raise WebApiError("not_found")
        if len(stack) >= surface_limit("view_stack_max"):
            raise WebApiError("push_limit_reached")
        built = self.build_view(view, root_view_id=stack[0]["id"])
        built["previous_view_id"] = stack[-1]["id"]
        stack.append(built)
        return built

    def find(self, *, view_id: Any = None, external_id: Any = None) -> dict[str, Any]:
        for shown in self.all_views():
            if view_id and shown["id"] == view_id:
                return shown
            if external_id and shown.get("external_id") == external_id:
                return shown
        raise WebApiError("not_found")

    def replace(self, current: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
        """Update a shown view in place: same id and root, new hash, entered values kept."""
        previous: StateValues = current["state"]["values"]
        built = self.build_view(view, view_id=current["id"], root_view_id=current["root_view_id"])
        built["previous_view_id"] = current["previous_view_id"]
        built["state"]["values"] = initial_state(built, previous)
        current.clear()
        current.update(built)
        return current

    def publish_home(self, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        current = self.homes.get(user_id)
        if current is not None:
            return self.replace(current, view)
        built = self.build_view(view)
        self.homes[user_id] = built
        return built

    def top(self, user_id: str) -> dict[str, Any] | None:
        stack = self.stacks.get(user_id)
        return stack[-1] if stack else None

    def close_top(self, user_id: str) -> None:
        stack = self.stacks.get(user_id)
        if stack:
            stack.pop()

    def clear(self, user_id: str) -> None:
        self.stacks.pop(user_id, None)
