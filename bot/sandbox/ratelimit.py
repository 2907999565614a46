"""Slack's per-method rate limits as sliding windows, answering how long to wait when over."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Mapping

from bot.sandbox.clock import Clock


class RateLimiter:
    """Counts calls per key in a sliding window; a key over its limit must wait.

    Keys are method names ("users.list") and, for chat.postMessage, a per-channel key
    ("chat.postMessage/channel"), whose calls are counted per channel.
    """

    def __init__(self, limits: Mapping[str, int], *, window_seconds: float, clock: Clock) -> None:
        self._limits = dict(limits)
        self._window = window_seconds
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, method: str, channel: str | None = None) -> int | None:
        """Record a call and return None, or return the Retry-After seconds without recording."""
        buckets = [(method, method)]
        if channel is not None:
            buckets.append((f"{method}/channel", f"{method}/channel:{channel}"))

        with self._lock:
            now = self._clock()
            waits = [self._wait(limit_key, key, now) for limit_key, key in buckets]
            longest = max((wait for wait in waits if wait is not None), default=None)
            if longest is not None:
                return longest

            for limit_key, key in buckets:
                if limit_key in self._limits:
                    self._calls.setdefault(key, deque()).append(now)
            return None

    def _wait(self, limit_key: str, key: str, now: float) -> int | None:
        limit = self._limits.get(limit_key)
        if limit is None:
            return None

        calls = self._calls.setdefault(key, deque())
        while calls and calls[0] <= now - self._window:
            calls.popleft()
        if len(calls) < limit:
            return None
        return max(1, math.ceil(calls[len(calls) - limit] + self._window - now))
