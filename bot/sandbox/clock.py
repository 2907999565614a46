"""Clocks for the stand-in: the monotonic clock by default, a hand-advanced one for tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Clock = Callable[[], float]

DEFAULT_CLOCK: Clock = time.monotonic


class ManualClock:
    """A clock that moves only when told to, so tests can expire triggers and rate windows.

    >>> clock = ManualClock()
    >>> clock.advance(61)
    """

    def __init__(self, start: float = 1_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
