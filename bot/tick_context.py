"""What one tick works with (the instant, settings, storage, the messenger) and what it did."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from bot.delivery import Messenger
from bot.managers import ManagerClock, managers_at
from bot.settings import Settings
from storage.store import Store

# How often ticks come: APScheduler's job (bot/runtime.py) and the README's cron.
TICK_PERIOD = timedelta(minutes=1)


@dataclass
class TickReport:
    sent: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    failed: int = 0
    # Owed a check for an earlier try that Slack asked to wait for: left for a later tick.
    deferred: int = 0
    deactivated: list[str] = field(default_factory=list)

    def count_sent(self, kind: str) -> None:
        """Counted by kind of message: every alert as `alert`, not as `alert:<id>`."""
        name = str(kind).split(":")[0]
        self.sent[name] = self.sent.get(name, 0) + 1

    def busy(self) -> bool:
        return bool(self.sent or self.skipped or self.failed or self.deferred or self.deactivated)


class StopRequestedError(Exception):
    """The process is shutting down: the tick ends before claiming its next message."""


@dataclass
class Tick:
    """Passed to each job of a tick, so that each takes one argument, not five.

    `stop` is set when the process is asked to stop; nothing new is claimed after that.
    """

    now: datetime
    settings: Settings
    store: Store
    messenger: Messenger
    report: TickReport
    stop: threading.Event = field(default_factory=threading.Event)

    @cached_property
    def managers(self) -> list[ManagerClock]:
        """Every manager's local clock, read once however many jobs need it."""
        return managers_at(self.now, self.settings, self.store)

    def check_stop(self) -> None:
        """Raise StopRequestedError once the process was asked to stop: claim nothing more."""
        if self.stop.is_set():
            raise StopRequestedError
