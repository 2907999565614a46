"""Faults a test asks for ahead of time: the next N calls of a method answer 429 or 5xx."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Fault:
    """One planned failure: HTTP status, Retry-After (429 only) and Slack's error code."""

    status: int
    retry_after: int
    error: str
    times: int


def default_error(status: int) -> str:
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

    def take(self, method: str) -> Fault | None:
        """The fault for this call of `method`, if one is planned."""
        with self._lock:
            planned = self._faults.get(method)
            if not planned:
                return None
            fault = planned[0]
            fault.times -= 1
            if fault.times == 0:
                planned.pop(0)
            return Fault(fault.status, fault.retry_after, fault.error, 1)
