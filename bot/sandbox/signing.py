"""Signing requests the way Slack signs what it sends to an app (v0 HMAC-SHA256).

sign("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body) == "v0=a2114d57..."
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Literal

from bot.sandbox.rules import protocol

SignatureMode = Literal["valid", "bad", "stale", "missing"]


def sign(secret: str, timestamp: str | int, body: str | bytes) -> str:
    """X-Slack-Signature for a body: "v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{body}"."""
    raw = body.decode("utf-8") if isinstance(body, bytes) else body
    basestring = protocol("signature_basestring").format(timestamp=timestamp, raw_body=raw)
    digest = hmac.new(secret.encode(), basestring.encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def signed_headers(
    secret: str, body: str | bytes, *, mode: SignatureMode = "valid", now: float | None = None
) -> dict[str, str]:
    """X-Slack-Request-Timestamp and X-Slack-Signature, or deliberately wrong ones for tests.

    "bad" signs with another secret, "stale" signs correctly but 10 minutes ago (Slack's
    apps must refuse anything older than 5 minutes), "missing" sends neither header.
    """
    if mode == "missing":
        return {}
    moment = int(now if now is not None else time.time())
    if mode == "stale":
        moment -= 2 * protocol("signature_max_skew_seconds")
    timestamp = str(moment)
    key = secret if mode != "bad" else secret + "-wrong"
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": sign(key, timestamp, body)}
