"""Logged calls: set a day's counts (never add), read them back, keep the audit trail."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import CheckIn, Entry, EntryChange, Membership, Team

logger = logging.getLogger(__name__)

Cell = tuple[str, str]
SAVE_ATTEMPTS = 3


@dataclass(frozen=True)
class SaveResult:
    changed: int
    first_checkin: bool


@dataclass(frozen=True)
class EntryRow:
    work_date: date
    rep_id: str
    team: str | None
    call_type: str
    outcome: str
    count: int


class Entries:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def set_day(
        self,
        rep_id: str,
        day: date,
        cells: Mapping[Cell, int],
        *,
        changed_by: str,
        source: str,
        now: datetime,
        replace_all: bool,
    ) -> SaveResult:
        """Set the given cells to their counts in one transaction, recording every change.

        With replace_all, cells not given are set to zero (the modal submits a whole day);
        otherwise only the named cells change (the quick form). Zero counts are not stored.
        Two saves of the same day at once (a double click) cannot both insert a cell: the
        loser's transaction fails on the unique constraint and is run again on fresh rows.
        NOTE: two saves that both update existing cells to the same value can each write an
        audit row for it; the counts stay right, the trail shows the change twice.
        """
        for attempt in range(SAVE_ATTEMPTS):
            try:
                changed, first = self._set_day_once(
                    rep_id, day, cells, changed_by, source, now, replace_all
                )
                break
            except IntegrityError:
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
                logger.info("Concurrent save of %s for %s; trying again", day, rep_id)

        logger.info(
            "Saved %s for %s (%s by %s): %d cell(s) changed",
            day,
            rep_id,
            source,
            changed_by,
            changed,
        )
        return SaveResult(changed=changed, first_checkin=first)

    def _set_day_once(
        self,
        rep_id: str,
        day: date,
        cells: Mapping[Cell, int],
        changed_by: str,
        source: str,
        now: datetime,
        replace_all: bool,
    ) -> tuple[int, bool]:
        with self._sessions.begin() as session:
            existing = {
                (e.call_type, e.outcome): e
                for e in session.scalars(
                    select(Entry).where(Entry.rep_id == rep_id, Entry.work_date == day)
                )
            }
            wanted = dict(cells)
            if replace_all:
                wanted = {cell: 0 for cell in existing} | wanted
            changed = _apply_day(session, rep_id, day, existing, wanted, changed_by, source, now)
            first = self._record_checkin(session, rep_id, day, source, now)
        return changed, first

    def import_days(
        self,
        days: Mapping[tuple[str, date], Mapping[Cell, int]],
        *,
        changed_by: str,
        source: str,
        now: datetime,
        chunk: int = 500,
    ) -> int:
        """Set many (rep, day) cells at once, in chunks; returns how many cells changed.

        Same semantics as set_day without replace_all, so importing a file twice changes
        nothing the second time. NOTE: goes through the ORM with an audit row per changed
        cell, about 900 rep-days a second here; fine for a quarter, slow for a year of a
        thousand reps.
        """
        keys = sorted(days)
        changed = 0
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            with self._sessions.begin() as session:
                existing = _existing_cells(session, part)
                for rep_id, day in part:
                    changed += _apply_day(
                        session,
                        rep_id,
                        day,
                        existing.get((rep_id, day), {}),
                        dict(days[rep_id, day]),
                        changed_by,
                        source,
                        now,
                    )
                    self._record_checkin(session, rep_id, day, source, now)
        return changed

    @staticmethod
    def _record_checkin(
        session: Session, rep_id: str, day: date, source: str, now: datetime
    ) -> bool:
        checkin = session.get(CheckIn, (rep_id, day))
        if checkin is None:
            session.add(
                CheckIn(rep_id=rep_id, work_date=day, source=source, first_at=now, last_at=now)
            )
            return True
        checkin.last_at = now
        return False

    def day_counts(self, rep_id: str, day: date) -> dict[Cell, int]:
        with self._sessions() as session:
            rows = session.scalars(
                select(Entry).where(Entry.rep_id == rep_id, Entry.work_date == day)
            )
            return {(e.call_type, e.outcome): e.count for e in rows}

    def totals(self, rep_id: str, start: date, end: date) -> dict[Cell, int]:
        """Summed counts per cell for a rep over [start, end]."""
        totals: dict[Cell, int] = {}
        for row in self.rows(start, end, rep_ids=[rep_id]):
            key = (row.call_type, row.outcome)
            totals[key] = totals.get(key, 0) + row.count
        return totals

    def rows(
        self, start: date | None, end: date | None, rep_ids: Iterable[str] | None = None
    ) -> list[EntryRow]:
        """Entries with each rep's current team, ordered for export."""
        query = (
            select(
                Entry.work_date,
                Entry.rep_id,
                Team.name,
                Entry.call_type,
                Entry.outcome,
                Entry.count,
            )
            .outerjoin(Membership, Membership.rep_id == Entry.rep_id)
            .outerjoin(Team, Team.id == Membership.team_id)
            .order_by(Entry.work_date, Entry.rep_id, Entry.call_type, Entry.outcome)
        )
        if start is not None:
            query = query.where(Entry.work_date >= start)
        if end is not None:
            query = query.where(Entry.work_date <= end)
        if rep_ids is not None:
            query = query.where(Entry.rep_id.in_(list(rep_ids)))

        # Plain column rows, not ORM objects: a year of history is millions of rows.
        with self._sessions() as session:
            return [EntryRow(*row) for row in session.execute(query)]

    def first_days(self, rep_ids: Iterable[str]) -> dict[str, date]:
        """Each rep's earliest logged day, so imported history counts from its start."""
        query = (
            select(Entry.rep_id, func.min(Entry.work_date))
            .where(Entry.rep_id.in_(list(rep_ids)))
            .group_by(Entry.rep_id)
        )
        with self._sessions() as session:
            return {rep: day for rep, day in session.execute(query)}

    def checked_in(self, pairs: Iterable[tuple[str, date]]) -> set[tuple[str, date]]:
        """Which (rep, day) pairs have a check-in."""
        pairs = list(pairs)
        if not pairs:
            return set()
        with self._sessions() as session:
            query = select(CheckIn.rep_id, CheckIn.work_date).where(
                CheckIn.rep_id.in_({rep for rep, _ in pairs}),
                CheckIn.work_date.in_({day for _, day in pairs}),
            )
            found = {(rep, day) for rep, day in session.execute(query)}
        return found & set(pairs)

    def checkins(
        self, start: date, end: date, rep_ids: Iterable[str] | None = None
    ) -> list[tuple[str, date]]:
        query = select(CheckIn.rep_id, CheckIn.work_date).where(
            and_(CheckIn.work_date >= start, CheckIn.work_date <= end)
        )
        if rep_ids is not None:
            query = query.where(CheckIn.rep_id.in_(list(rep_ids)))
        with self._sessions() as session:
            return [(who, day) for who, day in session.execute(query)]

    def last_checkins(self, rep_ids: Iterable[str], before: date) -> dict[str, date]:
        """Each rep's latest check-in before `before`, however long ago; reps with none are
        left out."""
        query = (
            select(CheckIn.rep_id, func.max(CheckIn.work_date))
            .where(CheckIn.rep_id.in_(list(rep_ids)), CheckIn.work_date < before)
            .group_by(CheckIn.rep_id)
        )
        with self._sessions() as session:
            return {rep: day for rep, day in session.execute(query)}

    def changes(self, rep_id: str, day: date) -> list[EntryChange]:
        """The audit trail of a rep's day, oldest first."""
        with self._sessions() as session:
            query = (
                select(EntryChange)
                .where(EntryChange.rep_id == rep_id, EntryChange.work_date == day)
                .order_by(EntryChange.id)
            )
            return list(session.scalars(query))


def _entry(
    rep_id: str, day: date, cell: Cell, count: int, by: str, source: str, now: datetime
) -> Entry:
    return Entry(
        rep_id=rep_id,
        work_date=day,
        call_type=cell[0],
        outcome=cell[1],
        count=count,
        source=source,
        changed_by=by,
        changed_at=now,
    )


def _change(
    rep_id: str,
    day: date,
    cell: Cell,
    entry: Entry | None,
    count: int,
    by: str,
    source: str,
    now: datetime,
) -> EntryChange:
    return EntryChange(
        rep_id=rep_id,
        work_date=day,
        call_type=cell[0],
        outcome=cell[1],
        old_count=entry.count if entry else None,
        new_count=count,
        source=source,
        changed_by=by,
        changed_at=now,
    )


def _existing_cells(
    session: Session, keys: list[tuple[str, date]]
) -> dict[tuple[str, date], dict[Cell, Entry]]:
    query = select(Entry).where(
        Entry.rep_id.in_({rep for rep, _ in keys}),
        Entry.work_date >= min(day for _, day in keys),
        Entry.work_date <= max(day for _, day in keys),
    )
    found: dict[tuple[str, date], dict[Cell, Entry]] = {}
    for entry in session.scalars(query):
        found.setdefault((entry.rep_id, entry.work_date), {})[entry.call_type, entry.outcome] = (
            entry
        )
    return found


def _apply_day(
    session: Session,
    rep_id: str,
    day: date,
    existing: Mapping[Cell, Entry],
    wanted: Mapping[Cell, int],
    changed_by: str,
    source: str,
    now: datetime,
) -> int:
    """Bring a day's stored cells to `wanted`, writing an audit row per change."""
    changed = 0
    for cell, count in wanted.items():
        entry = existing.get(cell)
        old = entry.count if entry else 0
        if old == count:
            continue
        changed += 1
        session.add(_change(rep_id, day, cell, entry, count, changed_by, source, now))
        if count == 0 and entry is not None:
            session.delete(entry)
        elif entry is None:
            session.add(_entry(rep_id, day, cell, count, changed_by, source, now))
        else:
            entry.count, entry.changed_by, entry.source = count, changed_by, source
            entry.changed_at = now
    return changed
