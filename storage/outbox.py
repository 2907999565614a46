"""The record of every message the bot must send, claimed once per (kind, person, date).

A tick claims a message by inserting its row; the unique constraint makes a second
claim fail, so two ticks (or two workers) never send the same prompt twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Message

logger = logging.getLogger(__name__)

PENDING, SENT, FAILED, SKIPPED = "pending", "sent", "failed", "skipped"
MAX_ATTEMPTS = 3


def given_up(message: Message) -> bool:
    """Skipped, or failed for good: this message will never be sent."""
    if message.status == SKIPPED:
        return True
    return message.status == FAILED and message.attempts >= MAX_ATTEMPTS


class Outbox:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def claim(self, kind: str, person_id: str, local_date: date) -> int | None:
        """Claim a message for sending; None if it was already sent, skipped or claimed."""
        try:
            with self._sessions.begin() as session:
                message = Message(
                    kind=kind,
                    person_id=person_id,
                    local_date=local_date,
                    status=PENDING,
                    attempts=1,
                )
                session.add(message)
                session.flush()
                return message.id
        except IntegrityError:
            return self._reclaim_failed(kind, person_id, local_date)

    def _reclaim_failed(self, kind: str, person_id: str, local_date: date) -> int | None:
        """A failed message may be tried again, a bounded number of times."""
        with self._sessions.begin() as session:
            message_id = session.scalar(
                update(Message)
                .where(
                    Message.kind == kind,
                    Message.person_id == person_id,
                    Message.local_date == local_date,
                    Message.status == FAILED,
                    Message.attempts < MAX_ATTEMPTS,
                )
                .values(status=PENDING, attempts=Message.attempts + 1)
                .returning(Message.id)
            )
            return message_id

    def mark_sent(self, message_id: int, channel: str, ts: str, now: datetime) -> None:
        self._set(message_id, status=SENT, channel=channel, ts=ts, sent_at=now, detail=None)

    def mark_done(self, message_id: int, now: datetime, detail: str) -> None:
        """Close a claim that stands for a job (an alert run) rather than one message."""
        self._set(message_id, status=SENT, sent_at=now, detail=detail)

    def mark_failed(self, message_id: int, error: str, *, final: bool) -> None:
        """Record a failed send; a final failure is never retried."""
        values: dict[str, object] = {"status": FAILED, "detail": error[:500]}
        if final:
            values["attempts"] = MAX_ATTEMPTS
        self._set(message_id, **values)

    def record_skipped(self, kind: str, person_id: str, local_date: date, reason: str) -> bool:
        """Remember that a message will not be sent, so it is logged and decided only once."""
        try:
            with self._sessions.begin() as session:
                session.add(
                    Message(
                        kind=kind,
                        person_id=person_id,
                        local_date=local_date,
                        status=SKIPPED,
                        attempts=0,
                        detail=reason,
                    )
                )
            return True
        except IntegrityError:
            return False

    def _set(self, message_id: int, **values: object) -> None:
        with self._sessions.begin() as session:
            session.execute(update(Message).where(Message.id == message_id).values(**values))

    def find(self, kind: str, person_id: str, local_date: date) -> Message | None:
        with self._sessions() as session:
            return session.scalar(
                select(Message).where(
                    Message.kind == kind,
                    Message.person_id == person_id,
                    Message.local_date == local_date,
                )
            )

    def decided(self, kind: str, pairs: Iterable[tuple[str, date]]) -> set[tuple[str, date]]:
        """Which (person, date) pairs already have a message of this kind that needs no retry."""
        pairs = set(pairs)
        if not pairs:
            return set()
        with self._sessions() as session:
            query = select(Message.person_id, Message.local_date).where(
                Message.kind == kind,
                Message.person_id.in_({person for person, _ in pairs}),
                Message.local_date.in_({day for _, day in pairs}),
                (Message.status != FAILED) | (Message.attempts >= MAX_ATTEMPTS),
            )
            return {(who, day) for who, day in session.execute(query)} & pairs

    def records(
        self, kind: str, pairs: Iterable[tuple[str, date]]
    ) -> dict[tuple[str, date], Message]:
        """This kind's rows for the (person, date) pairs that have one, to see how each went."""
        pairs = set(pairs)
        if not pairs:
            return {}
        with self._sessions() as session:
            query = select(Message).where(
                Message.kind == kind,
                Message.person_id.in_({person for person, _ in pairs}),
                Message.local_date.in_({day for _, day in pairs}),
            )
            rows = {(m.person_id, m.local_date): m for m in session.scalars(query)}
        return {pair: row for pair, row in rows.items() if pair in pairs}

    def all(self, kind: str | None = None) -> list[Message]:
        with self._sessions() as session:
            query = select(Message).order_by(Message.id)
            if kind is not None:
                query = query.where(Message.kind == kind)
            return list(session.scalars(query))
