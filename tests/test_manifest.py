"""The app manifest passes Slack's manifest schema and asks for the scopes the bot needs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource

from bot.manifest import BOT_EVENTS, METHODS, build_manifest, render_manifest, scope_table
from bot.settings import Settings

DATA = Path(__file__).parents[1] / "bot" / "data"
HTTP_URL = "https://checkin.example.com/slack/events"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.model_validate(
        {"app_name": "Rep check-in", "teams": [{"name": "East", "manager": "U01MGR0001"}]}
    )


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    """The top-level schema, its remote $refs served from the copies in bot/data."""
    root = json.loads((DATA / "manifest.schema.json").read_text(encoding="utf-8"))

    registry: Registry = Registry()
    for uri in _remote_refs(root):
        local = DATA / uri.rsplit("/", 1)[-1]
        contents = json.loads(local.read_text(encoding="utf-8"))
        registry = registry.with_resource(uri, Resource.from_contents(contents))

    jsonschema.Draft7Validator.check_schema(root)
    return jsonschema.Draft7Validator(root, registry=registry)


def _remote_refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if str(node.get("$ref", "")).startswith("http") else set()
        return found.union(*(_remote_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_remote_refs(item) for item in node))
    return set()


def _errors(validator: jsonschema.Draft7Validator, manifest: dict[str, Any]) -> list[str]:
    return [error.message for error in validator.iter_errors(manifest)]


def test_socket_mode_manifest_validates(settings, validator):
    manifest = build_manifest(settings)

    assert _errors(validator, manifest) == []
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["interactivity"]
    assert all("url" not in command for command in manifest["features"]["slash_commands"])


def test_http_mode_manifest_validates_and_uses_the_url_everywhere(settings, validator):
    manifest = build_manifest(settings, socket_mode=False, request_url=HTTP_URL)

    assert _errors(validator, manifest) == []
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["event_subscriptions"]["request_url"] == HTTP_URL
    assert manifest["settings"]["interactivity"]["request_url"] == HTTP_URL
    assert [c["url"] for c in manifest["features"]["slash_commands"]] == [HTTP_URL, HTTP_URL]


def test_schema_rejects_a_broken_manifest(settings, validator):
    """Guards against a validator that passes everything because a $ref went nowhere."""
    manifest = copy.deepcopy(build_manifest(settings))
    manifest["features"]["slash_commands"][0]["command"] = "checkin"
    manifest["settings"]["unknown_setting"] = True

    assert len(_errors(validator, manifest)) >= 1


def test_contents_follow_settings(settings):
    manifest = build_manifest(settings)
    features = manifest["features"]

    assert manifest["display_information"]["name"] == settings.app_name
    assert features["bot_user"]["display_name"] == settings.app_name
    assert features["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }
    assert [c["command"] for c in features["slash_commands"]] == ["/checkin", "/stats"]
    checkin_hint = features["slash_commands"][0]["usage_hint"]
    assert all(f"| {word}" in checkin_hint for word in ("off DATES", "on DATES", "help"))
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "message.im",
        "user_change",
    ]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_bot_scopes_are_exactly_what_the_bot_needs(settings):
    scopes = build_manifest(settings)["oauth_config"]["scopes"]["bot"]

    assert scopes == [
        "chat:write",
        "commands",
        "files:write",
        "im:history",
        "im:write",
        "users:read",
    ]


@pytest.mark.parametrize(
    ("kind", "name"),
    [("methods", m) for m in METHODS]
    + [("events", e) for e in BOT_EVENTS]
    + [("features", "slash_commands")],
)
def test_scopes_cover_every_method_and_event(settings, kind, name):
    scopes = build_manifest(settings)["oauth_config"]["scopes"]["bot"]
    entry = scope_table()[kind][name]

    if entry["accepted"]:
        assert entry["chosen"] in entry["accepted"]
        assert entry["chosen"] in scopes
    else:
        assert entry["chosen"] is None


@pytest.mark.parametrize(("socket_mode", "url"), [(True, None), (False, HTTP_URL)])
def test_yaml_round_trips(settings, socket_mode, url):
    text = render_manifest(settings, socket_mode=socket_mode, request_url=url)

    assert yaml.safe_load(text) == build_manifest(
        settings, socket_mode=socket_mode, request_url=url
    )
    assert text.startswith("_metadata:\n")


@pytest.mark.parametrize("url", [None, ""])
def test_http_mode_without_url_raises(settings, url):
    with pytest.raises(ValueError, match="needs request_url"):
        build_manifest(settings, socket_mode=False, request_url=url)


def test_http_mode_rejects_a_url_without_scheme(settings):
    with pytest.raises(ValueError, match="must start with https://"):
        build_manifest(settings, socket_mode=False, request_url="checkin.example.com/slack/events")


def test_socket_mode_rejects_a_request_url(settings):
    with pytest.raises(ValueError, match="only used in HTTP mode"):
        build_manifest(settings, request_url=HTTP_URL)


def test_a_writable_messages_tab_is_listened_to(settings):
    """Reps can write in the Messages tab, so the bot must hear it and answer (message.im)."""
    manifest = build_manifest(settings)
    app_home = manifest["features"]["app_home"]

    assert app_home["messages_tab_read_only_enabled"] is False
    assert "message.im" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "im:history" in manifest["oauth_config"]["scopes"]["bot"]
