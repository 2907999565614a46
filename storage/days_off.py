"""Days a rep said they are not working: no prompt, no reminder, not expected."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import DayOff

logger = logging.getLogger(__name__)

ADD_ATTEMPTS = 3


class DaysOff:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def add(self, rep_id: str, days: Iterable[date], *, created_by: str) -> list[date]:
        """Record days off; return the ones that were new (repeating a day is harmless).

        Two requests for the same day at once (a click and a command): the one that loses
        the race on the unique constraint reads again and finds the day already off.
        """
        days = sorted(set(days))
        for attempt in range(ADD_ATTEMPTS):
            try:
                added = self._add_new(rep_id, days, created_by)
                break
            except IntegrityError:
                if attempt == ADD_ATTEMPTS - 1:
                    raise
                logger.info("Days off for %s were recorded meanwhile; reading again", rep_id)

        logger.info("Recorded %d day(s) off for %s (by %s)", len(added), rep_id, created_by)
        return added

    def _add_new(self, rep_id: str, days: list[date], created_by: str) -> list[date]:
        with self._sessions.begin() as session:
            known = set(
                session.scalars(
                    select(DayOff.day).where(DayOff.rep_id == rep_id, DayOff.day.in_(days))
                )
            )
            added = [day for day in days if day not in known]
            session.add_all(DayOff(rep_id=rep_id, day=day, created_by=created_by) for day in added)
        return added

    def remove(self, rep_id: str, days: Iterable[date], *, removed_by: str) -> list[date]:
        """Make days off workdays again; return the ones that were days off."""
        days = sorted(set(days))
        with self._sessions.begin() as session:
            removed = sorted(
                session.scalars(
                    delete(DayOff)
                    .where(DayOff.rep_id == rep_id, DayOff.day.in_(days))
                    .returning(DayOff.day)
                )
            )

        if removed:
            logger.info("Removed %d day(s) off for %s (by %s)", len(removed), rep_id, removed_by)
        return removed

    def among(self, pairs: Iterable[tuple[str, date]]) -> set[tuple[str, date]]:
        """Which (rep, day) pairs are days off."""
        pairs = set(pairs)
        if not pairs:
            return set()
        with self._sessions() as session:
            query = select(DayOff.rep_id, DayOff.day).where(
                DayOff.rep_id.in_({rep for rep, _ in pairs}),
                DayOff.day.in_({day for _, day in pairs}),
            )
            return {(who, day) for who, day in session.execute(query)} & pairs

    def between(self, start: date, end: date) -> list[tuple[str, date]]:
        with self._sessions() as session:
            query = select(DayOff.rep_id, DayOff.day).where(DayOff.day >= start, DayOff.day <= end)
            return [(who, day) for who, day in session.execute(query)]
