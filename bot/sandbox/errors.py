"""The error a stand-in handler raises to answer {"ok": false, "error": ...} as Slack does."""

from __future__ import annotations

from typing import Any


class WebApiError(Exception):
    """A Web API error answer: Slack's error code, optional `[ERROR] ...` messages, HTTP status."""

    def __init__(
        self,
        error: str,
        *,
        messages: list[str] | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages or []
        self.status = status
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"ok": False, "error": self.error, **self.extra}
        if self.messages:
            answer["response_metadata"] = {"messages": self.messages}
        return answer


def invalid_arguments(message: str, pointer: str) -> WebApiError:
    """Slack's schema-check answer, e.g. `[ERROR] missing required field [json-pointer:/view]`."""
    return WebApiError(
        "invalid_arguments", messages=[f"[ERROR] {message} [json-pointer:{pointer}]"]
    )
