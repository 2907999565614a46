"""One object that opens the database and hands out its repositories."""

from __future__ import annotations

from sqlalchemy import Engine

from storage.alerts import Alerts
from storage.days_off import DaysOff
from storage.db import create_db_engine, session_factory
from storage.entries import Entries
from storage.migrate import upgrade
from storage.outbox import Outbox
from storage.roster import Roster
from storage.sync_cursors import SyncCursors


class Store:
    """The bot's storage: every write method of every repository is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        sessions = session_factory(engine)
        self.roster = Roster(sessions)
        self.entries = Entries(sessions)
        self.days_off = DaysOff(sessions)
        self.outbox = Outbox(sessions)
        self.alerts = Alerts(sessions)
        self.sync_cursors = SyncCursors(sessions)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Store:
        """Connect, and bring the schema up to date unless told not to."""
        engine = create_db_engine(url)
        if migrate:
            upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()
