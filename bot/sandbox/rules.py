"""The Slack rules the stand-in enforces, read from the distilled data files in bot/sandbox/data.

scripts/distill_slack_reference.py writes those files from Slack's docs and samples; each
carries a "_source" naming where its parts came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

TokenType = Literal["bot", "app"]


@dataclass(frozen=True)
class ArgLimit:
    """A documented limit on one argument, and the error Slack answers past it."""

    error: str
    max_chars: int | None = None
    max_items: int | None = None
    minimum: int | None = None

    def refuses(self, value: Any) -> bool:
        """True when `value` is past the limit; a value of the wrong shape is left to others."""
        if self.max_chars is not None:
            return isinstance(value, str) and len(value) > self.max_chars
        if self.max_items is not None:
            items = value.split(",") if isinstance(value, str) else value
            return isinstance(items, list) and len(items) > self.max_items
        try:
            return self.minimum is not None and int(value) < self.minimum
        except (TypeError, ValueError):
            return False


@dataclass(frozen=True)
class MethodRule:
    """What Slack documents about one Web API method."""

    name: str
    http_methods: frozenset[str]
    json_input_supported: bool
    token_type: TokenType
    required_args: tuple[str, ...]
    missing_arg_errors: dict[str, str]
    arg_limits: dict[str, ArgLimit]
    rate_limit_tier: str
    errors: frozenset[str]

    def documents(self, error: str) -> bool:
        return error in self.errors or error in common_errors()


@cache
def load_data(name: str) -> dict[str, Any]:
    """One distilled data file, e.g. load_data("protocol.json")."""
    text = resources.files("bot.sandbox").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def method_rules() -> dict[str, MethodRule]:
    return {
        name: MethodRule(
            name=name,
            http_methods=frozenset(spec["http_methods"]),
            json_input_supported=spec["json_input_supported"],
            token_type=spec["token_type"],
            required_args=tuple(spec["required_args"]),
            missing_arg_errors=dict(spec["missing_arg_errors"]),
            arg_limits={arg: ArgLimit(**limit) for arg, limit in spec["arg_limits"].items()},
            rate_limit_tier=spec["rate_limit_tier"],
            errors=frozenset(spec["errors"]),
        )
        for name, spec in load_data("methods.json")["methods"].items()
    }


@cache
def common_errors() -> frozenset[str]:
    return frozenset(load_data("methods.json")["common_errors"])


def surface_limit(name: str) -> int:
    """A Block Kit surface limit, e.g. surface_limit("message_blocks_max") == 50."""
    value: int = load_data("surface_limits.json")[name]
    return value


def protocol(name: str) -> Any:
    """A request-protocol fact, e.g. protocol("trigger_id_ttl_seconds")."""
    return load_data("protocol.json")[name]


def payload_template(name: str) -> Any:
    """A Slack sample payload or key list from payloads.json (callers copy before changing)."""
    return load_data("payloads.json")[name]


def default_rate_limits() -> dict[str, int]:
    """Calls per window for each method: its tier's per-minute floor, or its special limit."""
    data = load_data("rate_limits.json")
    tiers: dict[str, int] = data["tiers_per_minute"]
    limits: dict[str, int] = {}
    for name, rule in method_rules().items():
        special = data["special"].get(name)
        if special is not None:
            limits[name] = special["workspace_per_minute"]
            if "per_channel_per_minute" in special:
                limits[f"{name}/channel"] = special["per_channel_per_minute"]
        elif rule.rate_limit_tier in tiers:
            limits[name] = tiers[rule.rate_limit_tier]
    return limits


def rate_window_seconds() -> float:
    return float(load_data("rate_limits.json")["window_seconds"])
