"""Regenerate bot/sandbox/data/*.json from the Slack reference folder, keeping provenance.

The Slack stand-in (bot.sandbox) must run where the reference folder does not exist, so the
few facts it needs are distilled into small JSON files that are committed. Run this again
after the reference changes; it rewrites a file only when its content changes.

    .venv/bin/python scripts/distill_slack_reference.py [--reference ../shared/slack-reference]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

logger = logging.getLogger("distill_slack_reference")

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE = REPO.parent / "shared" / "slack-reference"
OUTPUT = REPO / "bot" / "sandbox" / "data"

METHODS = [
    "auth.test",
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "chat.delete",
    "conversations.open",
    "conversations.history",
    "users.info",
    "users.list",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
    "files.getUploadURLExternal",
    "files.completeUploadExternal",
    "files.info",
    "apps.connections.open",
]

# Upstream repositories and commits, as SOURCES.md names them; checked against it on each run.
REPOS = {
    "slack-api-ref": ("slack-ruby/slack-api-ref", "f4837c0cb6dba1b1122ce66a5b69195ce47213f8"),
    "slack_kit": ("smstoslack/slack_kit", "a1294c4e0b787afe6063af69706f2c0718dec84e"),
    "java-slack-sdk": ("slackapi/java-slack-sdk", "86ff7ca9915e21882def04c2d579ac02503f95fe"),
    "bolt-python": ("slackapi/bolt-python", "a2f21ae4b1d1d63a6a5dc533aa53a8c4badd103d"),
    "python-slack-sdk": ("slackapi/python-slack-sdk", "ae87985e2c3811ead978f31ea5a1e4a7ca5c3515"),
    "mercury": ("MercuryTechnologies/slack-web", "49363ee8d52f7c373864a61a6a29cd7aecb08392"),
}

TIER_NAMES = {"t1": "Tier1", "t2": "Tier2", "t3": "Tier3", "t4": "Tier4", "t5": "special"}
SCRAPED_TIER_LABELS = {"Tier 1": "Tier1", "Tier 2": "Tier2", "Tier 3": "Tier3", "Tier 4": "Tier4"}

# The documented error that names each required argument when it is missing or wrong.
ARG_ERRORS = {
    "channel": ["channel_not_found"],
    "user": ["user_not_found", "user_not_in_channel"],
    "ts": ["message_not_found"],
    "file": ["file_not_found"],
}

# Documented errors that state a limit on one argument: the argument, the kind of limit, and
# how to read its number from the error's description (chat.update's msg_too_long says "The
# `text` field cannot exceed 4,000 characters").
LIMIT_ERRORS = {
    "msg_too_long": ("text", "max_chars", re.compile(r"cannot exceed ([\d,]+) characters")),
    "alt_txt_too_large": ("alt_txt", "max_chars", re.compile(r"limit of ([\d,]+) character")),
    "channels_limit_exceeded": (
        "channels",
        "max_items",
        re.compile(r"maximum of ([\d,]+) channels"),
    ),
}


def source(key: str, path: str, via: str, **extra: str) -> dict[str, str]:
    """One provenance entry: upstream repo, commit and path, and the copy it was read from.

    Every upstream repository cited here is MIT-licensed.
    """
    repo, commit = REPOS[key]
    via = f"slack-reference/{via}"
    return {"repo": repo, "commit": commit, "path": path, "via": via, "license": "MIT", **extra}


class Reference:
    """Read-only access to the reference folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def json(self, relative: str) -> Any:
        return json.loads((self.root / relative).read_text(encoding="utf-8"))

    def text(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def check_commits(self) -> None:
        """Fail when SOURCES.md no longer names the commits this script cites."""
        sources_md = self.text("SOURCES.md")
        for repo, commit in REPOS.values():
            if commit not in sources_md:
                raise SystemExit(f"SOURCES.md no longer cites {repo} @ {commit}; update REPOS")


def missing_arg_error(arg: str, errors: list[str]) -> str:
    for candidate in ARG_ERRORS.get(arg, []):
        if candidate in errors:
            return candidate
    return "missing_argument" if "missing_argument" in errors else "invalid_arguments"


def token_type(spec: dict[str, Any]) -> str:
    invalid_auth = spec.get("errors", {}).get("invalid_auth", {}).get("desc", "")
    return "app" if "app-level token" in invalid_auth else "bot"


def scraped_tier(ref: Reference, method: str) -> str | None:
    path = ref.root / "method-docs-scraped" / f"{method}.json"
    if not path.exists():
        return None
    label = ref.json(f"method-docs-scraped/{method}.json")["rate_limit"]["label"]
    return next((tier for text, tier in SCRAPED_TIER_LABELS.items() if text in label), "special")


def arg_limits(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Limits on single arguments that a documented error states, with that error.

    A lower bound comes from the argument's JSON Schema `minimum`, and only when the
    method's missing_argument error names that argument (files.getUploadURLExternal's
    "when the `length` provided is 0").
    """
    errors = spec.get("errors", {})
    limits: dict[str, dict[str, Any]] = {}
    for error, (arg, kind, pattern) in LIMIT_ERRORS.items():
        found = pattern.search(errors.get(error, {}).get("desc", ""))
        if found:
            limits[arg] = {kind: int(found.group(1).replace(",", "")), "error": error}

    missing = errors.get("missing_argument", {}).get("desc", "")
    for arg, schema in spec["args"].get("properties", {}).items():
        if "minimum" in schema and f"`{arg}`" in missing:
            limits[arg] = {"minimum": schema["minimum"], "error": "missing_argument"}
    return dict(sorted(limits.items()))


def distill_method(ref: Reference, method: str) -> dict[str, Any]:
    spec = ref.json(f"slack-api-ref-docs.slack.dev/methods/{method}.json")
    errors = sorted(spec.get("errors", {}))
    required = [arg for arg in spec["args"].get("required", []) if arg != "token"]
    tier = TIER_NAMES[spec["rate_limits"]]

    cross_check = scraped_tier(ref, method)
    if cross_check is not None and cross_check != tier:
        raise SystemExit(
            f"{method}: tier {tier} disagrees with the slack_kit scrape ({cross_check})"
        )

    return {
        "http_methods": ["GET", "POST"] if spec["http_method"] == "GET" else ["POST"],
        "json_input_supported": bool(spec.get("json_input_supported")),
        "token_type": token_type(spec),
        "required_args": required,
        "missing_arg_errors": {arg: missing_arg_error(arg, errors) for arg in required},
        "arg_limits": arg_limits(spec),
        "rate_limit_tier": tier,
        "errors": errors,
        "success_example": spec.get("examples", {}).get("success", {}).get("example"),
    }


def methods_file(ref: Reference) -> dict[str, Any]:
    return {
        "_source": {
            "methods.*": source(
                "slack-api-ref",
                "methods/<method>.json (scrape of docs.slack.dev/methods/<method>.json)",
                "slack-api-ref-docs.slack.dev/methods/<method>.json",
                fields="http_method, json_input_supported, args.required, rate_limits, errors, "
                "examples.success; arg_limits from errors.<error>.desc and args.properties.<arg>."
                "minimum",
            ),
            "methods.*.rate_limit_tier cross-check": source(
                "slack_kit",
                "priv/docs/methods/<method>.json field rate_limit.label",
                "method-docs-scraped/<method>.json",
            ),
            "common_errors": source(
                "slack_kit",
                "priv/docs/common_errors.json",
                "method-docs-scraped/common_errors.json",
            ),
            "derived here": (
                "http_methods: Slack accepts POST for every method and GET where the docs say "
                "GET. token_type: 'app' when the method's invalid_auth error names an app-level "
                "token, else 'bot'. missing_arg_errors: the method's documented error naming the "
                "argument (channel_not_found, user_not_found, ...), else missing_argument when "
                "documented, else the common error invalid_arguments. arg_limits: the number "
                "in a documented error's description that names one argument's limit "
                "(msg_too_long: 'cannot exceed 4,000 characters', alt_txt_too_large, "
                "channels_limit_exceeded), and an argument's schema minimum when "
                "missing_argument names that argument."
            ),
        },
        "common_errors": sorted(ref.json("method-docs-scraped/common_errors.json")),
        "methods": {method: distill_method(ref, method) for method in METHODS},
    }


def rate_limits_file(ref: Reference) -> dict[str, Any]:
    derived = ref.json("rate-limits-and-protocol.derived.json")
    tiers = {k: v for k, v in derived["tiers_per_minute_floor"].items() if not k.startswith("_")}
    return {
        "_source": {
            "tiers_per_minute": "slack-reference/rate-limits-and-protocol.derived.json "
            "tiers_per_minute_floor (cites docs.slack.dev/apis/web-api/rate-limits and "
            "java-slack-sdk MethodsRateLimitTier.java)",
            "special": "slack-reference/rate-limits-and-protocol.derived.json methods."
            "chat.postMessage.rule and methods.auth.test.rule; the numbers are chosen here: 60 "
            "per channel per minute (java-slack-sdk SpecialTier_chat_postMessage) and 300 per "
            "workspace per minute for 'several hundred'",
            "http_429": "slack-reference/rate-limits-and-protocol.derived.json http_429",
        },
        "window_seconds": 60,
        "tiers_per_minute": tiers,
        "special": {
            "chat.postMessage": {"per_channel_per_minute": 60, "workspace_per_minute": 300},
            "auth.test": {"workspace_per_minute": 300},
        },
        "http_429": derived["http_429"]["body"] | {"header": derived["http_429"]["header"]},
    }


def surface_limits_file(ref: Reference) -> dict[str, Any]:
    derived = ref.json("blockkit-limits.derived.json")
    limits = derived["surface"]
    return {
        "_source": "slack-reference/blockkit-limits.derived.json 'surface' and 'blocks' (a "
        "derived summary citing docs.slack.dev Block Kit pages, the chat.postMessage docs and "
        f"slackapi/python-slack-sdk @ {REPOS['python-slack-sdk'][1]} slack_sdk/models); "
        "view_max_bytes reads its '250kB'",
        "message_blocks_max": limits["message.blocks.max"][0],
        "modal_blocks_max": limits["modal.blocks.max"][0],
        "home_blocks_max": limits["home.blocks.max"][0],
        "title_max_chars": limits["modal.title.max_chars"][0],
        "private_metadata_max_chars": limits["view.private_metadata.max_chars"][0],
        "view_max_bytes": 250_000,
        "view_stack_max": limits["views.push.stack_max"][0],
        "modal_submit_required_with_inputs": limits["modal.submit.required_if_input_block"][0],
        "message_text_truncated_after_chars": limits["message.text.truncated_after_chars"][0],
        "section_field_max_chars": derived["blocks"]["section.fields.item.max_chars"][0],
    }


def protocol_file(ref: Reference) -> dict[str, Any]:
    vector = ref.json("sample-payloads/signature_test_vector.json")
    derived = ref.json("rate-limits-and-protocol.derived.json")
    return {
        "_source": {
            "signature_test_vector": source(
                "python-slack-sdk",
                "tests/slack_sdk/signature/test_signature_verifier.py (values from "
                "docs.slack.dev/authentication/verifying-requests-from-slack)",
                "sample-payloads/signature_test_vector.json",
            ),
            "request_signing, acknowledgement, trigger_id, response_url": "slack-reference/"
            "rate-limits-and-protocol.derived.json request_signing, acknowledgement (response_url "
            "'usable up to 5 times within 30 minutes') and methods.views.open.note "
            "('expires ~3s', 'exchanged once')",
        },
        "signature_test_vector": {
            "signing_secret": vector["signing_secret"],
            "timestamp": vector["x_slack_request_timestamp"],
            "content_type": vector["content_type"],
            "raw_body": vector["raw_body"],
            "signature": vector["expected_x_slack_signature"],
        },
        "signature_basestring": derived["request_signing"]["basestring"],
        "signature_max_skew_seconds": derived["request_signing"]["max_skew_seconds"],
        "ack_seconds": derived["acknowledgement"]["events_and_interactions_ack_seconds"],
        "trigger_id_ttl_seconds": 3,
        "response_url_max_uses": 5,
        "response_url_ttl_seconds": 30 * 60,
    }


def payloads_file(ref: Reference) -> dict[str, Any]:
    bolt = "sample-payloads/bolt-python-tests"
    java = "java-sdk-json-logs-shapes"
    mercury = "real-captured-payloads/mercury-slack-web"
    home_event = ref.json(f"{mercury}/SlackWebhookEvent_app_home_opened_home.json")
    slash = dict(parse_qsl(ref.text(f"{bolt}/slash_command.form-urlencoded.txt")))
    users_info = ref.json(f"{java}/api/users.info.json")["user"]
    return {
        "_source": {
            "block_actions, view_submission": source(
                "bolt-python",
                "tests/scenario_tests/test_block_actions.py, test_view_submission.py `body`",
                f"{bolt}/block_actions_button.json, view_submission.json",
            ),
            "slash_command": source(
                "bolt-python",
                "tests/scenario_tests/test_slash_command.py `slash_command_body` (form fields)",
                f"{bolt}/slash_command.form-urlencoded.txt",
            ),
            "*_keys": source(
                "java-slack-sdk",
                "json-logs/samples/app-backend/*, json-logs/samples/api/users.info.json "
                "(union of observed keys, values masked)",
                f"{java}/...",
            ),
            "app_home_opened, chat_update_response, views_publish_response, file_object": source(
                "mercury",
                "tests/golden/{SlackWebhookEvent,UpdateRsp,PublishResp,FileObject}/*.json "
                "(captured from live Slack)",
                f"{mercury}/...",
            ),
            "user_change": "the event_callback wrapper of app_home_opened above around the "
            "user_change event fields {type, user, cache_ts, event_ts} of "
            "docs.slack.dev/reference/events/user_change (no sample of it in the reference)",
        },
        "block_actions": ref.json(f"{bolt}/block_actions_button.json"),
        "block_actions_keys": sorted(ref.json(f"{java}/app-backend/BlockActionPayload.json")),
        "view_submission": ref.json(f"{bolt}/view_submission.json"),
        "view_submission_keys": sorted(ref.json(f"{java}/app-backend/ViewSubmissionPayload.json")),
        "slash_command": slash,
        "slash_command_keys": sorted(ref.json(f"{java}/app-backend/SlashCommandPayload.json")),
        "app_home_opened": home_event,
        "user_change": home_event
        | {"event": {"type": "user_change", "user": {}, "cache_ts": 0, "event_ts": ""}},
        "user_keys": sorted(users_info),
        "user_profile_keys": sorted(users_info["profile"]),
        "chat_update_response": ref.json(f"{mercury}/UpdateRsp_actual.json"),
        "views_publish_response": ref.json(f"{mercury}/PublishResp_views.publish_example.json"),
        "file_object": {
            key: value
            for key, value in ref.json(f"{mercury}/FileObject_real.json").items()
            if key != "preview_highlight"
        },
    }


BUILDERS = {
    "methods.json": methods_file,
    "rate_limits.json": rate_limits_file,
    "surface_limits.json": surface_limits_file,
    "protocol.json": protocol_file,
    "payloads.json": payloads_file,
}


def write_if_changed(path: Path, data: dict[str, Any]) -> bool:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    if not (args.reference / "SOURCES.md").exists():
        logger.error(
            "No Slack reference at %s; the committed data files stay as they are", args.reference
        )
        return 1
    ref = Reference(args.reference)
    ref.check_commits()

    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        changed = write_if_changed(OUTPUT / name, build(ref))
        logger.info("%s %s", "wrote" if changed else "unchanged", OUTPUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
