"""How Slack delivers a payload to the app: a signed HTTP POST, or a Socket Mode envelope."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import urlencode

from bot.sandbox.signing import SignatureMode, signed_headers
from bot.sandbox.socket_mode import EnvelopeType, SocketModeServer

logger = logging.getLogger(__name__)

Kind = Literal["command", "interactive", "event"]

ENVELOPE_TYPES: dict[Kind, EnvelopeType] = {
    "command": "slash_commands",
    "interactive": "interactive",
    "event": "events_api",
}
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
DEFAULT_TIMEOUT = 10.0


@dataclass
class DriverResponse:
    """The app's answer; `slack_errors` lists what Slack would have refused in it.

    `ack_seconds` is how long the app took to answer, on the stand-in's clock.
    """

    status: int
    headers: dict[str, str]
    text: str
    json: Any | None
    slack_errors: list[str] = field(default_factory=list)
    ack_seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.slack_errors


def parse_json(text: str) -> Any | None:
    try:
        return json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        return None


class Transport(Protocol):
    def deliver(
        self, kind: Kind, payload: dict[str, Any], *, signature: SignatureMode
    ) -> DriverResponse: ...


class HttpTransport:
    """POSTs to the app's request URL with Slack's content types and signature headers."""

    def __init__(self, bot_url: str, signing_secret: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.bot_url = bot_url
        self.signing_secret = signing_secret
        self.timeout = timeout

    def deliver(
        self, kind: Kind, payload: dict[str, Any], *, signature: SignatureMode
    ) -> DriverResponse:
        body, content_type = self._encode(kind, payload)
        headers = {"Content-Type": content_type, "User-Agent": USER_AGENT}
        headers |= signed_headers(self.signing_secret, body, mode=signature)
        request = urllib.request.Request(
            self.bot_url, data=body.encode(), headers=headers, method="POST"
        )

        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return self._answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return self._answer(error.code, dict(error.headers), error.read())

    @staticmethod
    def _encode(kind: Kind, payload: dict[str, Any]) -> tuple[str, str]:
        if kind == "command":
            return urlencode(payload), "application/x-www-form-urlencoded"
        if kind == "interactive":
            return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        return json.dumps(payload), "application/json"

    @staticmethod
    def _answer(status: int, headers: dict[str, str], raw: bytes) -> DriverResponse:
        text = raw.decode("utf-8", errors="replace")
        return DriverResponse(status=status, headers=headers, text=text, json=parse_json(text))


class SocketTransport:
    """Pushes an envelope down the app's Socket Mode connection and waits for its ack."""

    def __init__(self, server: SocketModeServer, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.server = server
        self.timeout = timeout

    def deliver(
        self, kind: Kind, payload: dict[str, Any], *, signature: SignatureMode
    ) -> DriverResponse:
        if signature != "valid":
            raise ValueError(
                "Socket Mode envelopes are not signed; use transport='http' to test signatures"
            )
        ack = self.server.push(ENVELOPE_TYPES[kind], payload, timeout=self.timeout)
        answer = ack.get("payload")
        text = json.dumps(answer) if answer else ""
        return DriverResponse(status=200, headers={}, text=text, json=answer or None)
