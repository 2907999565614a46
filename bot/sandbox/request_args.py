"""Reading a Web API request as Slack does: token and arguments from query, form or JSON body."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from bot.sandbox.errors import WebApiError, invalid_arguments

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass
class IncomingRequest:
    """An HTTP request as the server received it."""

    http_method: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()


def read_args(request: IncomingRequest, *, json_input_supported: bool) -> dict[str, Any]:
    """Arguments from the query string and the body.

    Slack reads JSON bodies only for methods whose docs say json_input_supported; for the
    others a JSON body's arguments go unread, so required ones then count as missing.
    """
    args: dict[str, Any] = dict(parse_qsl(request.query, keep_blank_values=True))
    if not request.body:
        return args

    if not request.media_type:
        raise WebApiError("missing_post_type")
    if request.media_type == FORM:
        return args | _form(request.body)
    if request.media_type == JSON:
        return args | (_json(request.body) if json_input_supported else {})
    raise WebApiError("invalid_post_type")


def _form(body: bytes) -> dict[str, str]:
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebApiError("invalid_form_data") from exc


def _json(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid_arguments("invalid JSON body", "/") from exc
    if not isinstance(parsed, dict):
        raise invalid_arguments("must provide an object", "/")
    return parsed


def bearer_token(request: IncomingRequest, args: dict[str, Any]) -> str | None:
    """The token from `Authorization: Bearer ...`, else from a form or query `token` argument."""
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    token = args.get("token") if request.media_type != JSON else None
    return token if isinstance(token, str) and token else None
