"""The distilled Slack rules: provenance, the signature vector, and their use by the stand-in."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.sandbox import payloads, sign, signed_headers
from bot.sandbox.methods import HANDLERS
from bot.sandbox.rules import default_rate_limits, load_data, method_rules, payload_template
from bot.sandbox.users import build_user

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bot" / "sandbox" / "data"
SCRIPT = REPO / "scripts" / "distill_slack_reference.py"
REFERENCE = REPO.parent / "shared" / "slack-reference"

IDENTITY = payloads.Identity("T0SANDBOX", "sandbox", "A0SANDBOX1", "U0SANDBOT1")


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("distill_slack_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.name)
def test_every_data_file_says_where_it_came_from(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))

    assert data["_source"]


def test_sign_reproduces_slacks_test_vector() -> None:
    vector = load_data("protocol.json")["signature_test_vector"]

    signature = sign(vector["signing_secret"], vector["timestamp"], vector["raw_body"])

    assert signature == vector["signature"]


@pytest.mark.parametrize(("mode", "accepted"), [("valid", True), ("bad", False), ("stale", False)])
def test_signed_headers_pass_or_fail_slack_sdks_own_verifier(mode: str, accepted: bool) -> None:
    body = "token=x&command=%2Fcheckin"
    headers = signed_headers("s3cret", body, mode=mode)  # type: ignore[arg-type]

    verifier = SignatureVerifier("s3cret")
    result = verifier.is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )

    assert result is accepted


def test_missing_signature_mode_sends_no_headers() -> None:
    assert signed_headers("s3cret", "a=b", mode="missing") == {}


def test_every_method_the_bot_uses_has_rules_and_a_handler() -> None:
    distilled = set(load_script().METHODS)
    assert set(method_rules()) == distilled
    assert set(HANDLERS) == distilled


def test_method_rules_match_slacks_docs() -> None:
    rules = method_rules()

    assert rules["apps.connections.open"].token_type == "app"
    assert rules["chat.postMessage"].token_type == "bot"
    assert rules["users.info"].json_input_supported is False
    assert rules["chat.postMessage"].json_input_supported is True
    assert rules["users.list"].http_methods == {"GET", "POST"}
    assert rules["chat.update"].required_args == ("ts", "channel")
    assert rules["views.update"].documents("hash_conflict")
    assert rules["conversations.open"].documents("user_disabled")


def test_default_rate_limits_follow_the_tiers() -> None:
    limits = default_rate_limits()

    assert limits["users.list"] == 20
    assert limits["chat.update"] == 50
    assert limits["users.info"] == 100
    assert limits["apps.connections.open"] == 50
    assert limits["chat.postMessage"] == 300
    assert limits["chat.postMessage/channel"] == 60


def test_payload_builders_use_only_keys_slack_sends() -> None:
    user = build_user(
        "U0REP00001",
        team_id="T0SANDBOX",
        real_name="Ana Ruiz",
        tz="UTC",
        deleted=False,
        is_bot=False,
    )
    view = {"id": "V1", "state": {"values": {}}}
    entry = {"type": "button", "action_id": "a", "block_id": "b", "action_ts": "1.2"}
    message = {"ts": "1.2", "blocks": []}

    built = {
        "block_actions_keys": payloads.message_block_actions(
            IDENTITY,
            user,
            channel_id="D1",
            message=message,
            entry=entry,
            trigger_id="t",
            response_url="u",
        ),
        "view_submission_keys": payloads.view_submission(IDENTITY, user, view=view, trigger_id="t"),
        "slash_command_keys": payloads.slash_command(
            IDENTITY,
            user,
            command="/checkin",
            text="",
            channel_id="D1",
            trigger_id="t",
            response_url="u",
        ),
    }

    for keys_name, payload in built.items():
        extra = set(payload) - set(payload_template(keys_name)) - {"response_urls"}
        assert not extra, f"{keys_name}: {sorted(extra)}"
    assert set(user) <= set(payload_template("user_keys")) | {"tz", "tz_label", "tz_offset"}
    assert set(user["profile"]) <= set(payload_template("user_profile_keys"))


@pytest.mark.skipif(
    not REFERENCE.exists(), reason="the Slack reference folder is not on this machine"
)
def test_committed_data_files_match_a_fresh_distillation() -> None:
    script = load_script()
    reference = script.Reference(REFERENCE)

    for name, build in script.BUILDERS.items():
        assert json.loads((DATA / name).read_text(encoding="utf-8")) == build(reference), name
