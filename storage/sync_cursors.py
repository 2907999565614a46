"""Paged reads that outlive a tick: the saved cursor, when the pass began, and who holds it.

Every write is guarded by the version its writer last saw and bumps it, so of two workers
that read the same state only the first one's write lands; the other gets None and leaves
the read alone. The guard is a plain UPDATE ... WHERE, which SQLite serialises with its
write lock and PostgreSQL re-checks after waiting for the row, so it holds on both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import SyncCursor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncState:
    """A paged read as stored: no pass runs while `started_at` is None; no cursor is page one."""

    name: str
    version: int
    cursor: str | None
    started_at: datetime | None
    pages: int
    claimed_until: datetime | None

    @property
    def running(self) -> bool:
        return self.started_at is not None


class SyncCursors:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def current(self, name: str) -> SyncState:
        """The read's state, created (no pass running) on first use."""
        with self._sessions() as session:
            row = session.scalar(select(SyncCursor).where(SyncCursor.name == name))
            if row is not None:
                return _state(row)

        try:
            with self._sessions.begin() as session:
                session.add(SyncCursor(name=name, version=0, pages=0))
        except IntegrityError:
            logger.debug("The %s sync state was created by another worker first", name)
        return self.current(name)

    def claim(self, seen: SyncState, now: datetime, until: datetime) -> SyncState | None:
        """Hold the read until `until`, starting a pass if none runs.

        None if anything was written since `seen` was read or another worker holds the read.
        """
        values: dict[str, Any] = {"claimed_until": until}
        if not seen.running:
            values |= {"started_at": now, "cursor": None, "pages": 0}
        free = SyncCursor.claimed_until.is_(None) | (SyncCursor.claimed_until <= now)
        return self._write(seen, values, free)

    def advance(self, held: SyncState, cursor: str) -> SyncState | None:
        """One more page read: save where the next one starts."""
        return self._write(held, {"cursor": cursor, "pages": SyncCursor.pages + 1})

    def restart(self, held: SyncState, now: datetime) -> SyncState | None:
        """Begin the pass again from page one, as of `now`."""
        return self._write(held, {"started_at": now, "cursor": None, "pages": 0})

    def finish(self, held: SyncState) -> SyncState | None:
        """The last page was read: the pass is over and the read is free."""
        values = {"started_at": None, "cursor": None, "pages": SyncCursor.pages + 1}
        return self._write(held, values | {"claimed_until": None})

    def release(self, held: SyncState) -> None:
        """Let any worker claim the read again; a no-op if another worker has taken it over."""
        self._write(held, {"claimed_until": None})

    def _write(
        self, held: SyncState, values: dict[str, Any], *guards: ColumnElement[bool]
    ) -> SyncState | None:
        """Apply `values` if the row is still at `held`'s version; the new state, or None."""
        with self._sessions.begin() as session:
            row = session.scalar(
                update(SyncCursor)
                .where(SyncCursor.name == held.name, SyncCursor.version == held.version, *guards)
                .values(version=SyncCursor.version + 1, **values)
                .returning(SyncCursor)
            )
            return None if row is None else _state(row)


def _state(row: SyncCursor) -> SyncState:
    return SyncState(
        name=row.name,
        version=row.version,
        cursor=row.cursor,
        started_at=row.started_at,
        pages=row.pages,
        claimed_until=row.claimed_until,
    )
