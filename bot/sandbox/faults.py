"""Faults a test asks for ahead of time: the next N calls of a method answer 429 or 5xx.

A fault planned `after` the call lets the method do its work and then answers with the
failure, as when Slack posted a message but its answer was lost on the way back. Status
DROPPED closes the connection without any answer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

DROPPED = 0  # not an HTTP status: the server hangs up without answering


@dataclass
class Fault:
    """One planned failure: HTTP status, Retry-After (429 only) and Slack's error code."""

    status: int
    retry_after: int
    error: str
    times: int
    after: bool = False


def default_error(status: int) -> str:
    if status == DROPPED:
        return "connection_dropped"  # never sent: the connection closes first
    if status == 429:
        return "ratelimited"
    return "service_unavailable" if status == 503 else "internal_error"


class FaultPlan:
    """Planned failures per method, used up one call at a time."""

    def __init__(self) -> None:
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()

    def add(self, method: str, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError(f"times must be at least 1, got {fault.times!r}")
        with self._lock:
            self._faults.setdefault(method, []).append(fault)

    def take(self, method: str, *, after: bool = False) -> Fault | None:
        """The fault for this call of `method`, if the next one planned strikes at this point
        (before the call's work, or `after` it)."""
        with self._lock:
            planned = self._faults.get(method)
            if not planned or planned[0].after != after:
                return None
            fault = planned[0]
            fault.times -= 1
            if fault.times == 0:
                planned.pop(0)
            return Fault(fault.status, fault.retry_after, fault.error, 1, fault.after)

    def clear(self, method: str) -> None:
        with self._lock:
            self._faults.pop(method, None)
