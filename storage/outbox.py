"""The record of every message the bot must send, claimed once per (kind, person, date).

A tick claims a message by inserting its row; the unique constraint makes a second
claim fail, so two ticks (or two workers) never send the same prompt twice. A claim is
held for CLAIM_LEASE: one still pending after that was left by a process that was killed,
and `reopen_abandoned` lets a later tick try it again.

Such a claim, like a try whose answer was lost (a timeout, a 5xx), may have reached Slack:
it is marked unconfirmed, and the sender checks Slack before trying again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Message

logger = logging.getLogger(__name__)

# pending: claimed and being sent; sent: out (or, for a job, done); failed: may be tried again;
# given_up: failed for good; skipped: decided not to send (too late, or its prompt never went).
PENDING, SENT, FAILED, GIVEN_UP, SKIPPED = "pending", "sent", "failed", "given_up", "skipped"
# How often a failed message is tried in all, unless its caller bounds the retries otherwise
# (check-ins are retried within their grace window and pass max_attempts=None).
MAX_ATTEMPTS = 3
# Longer than any live claim lasts: one post with all its retries (five 429s of up to a
# minute each), a report's chart upload, an alert run paced behind a minute of prompts.
CLAIM_LEASE = timedelta(minutes=30)
ABANDONED = "abandoned: the run that claimed it never finished"


def given_up(message: Message, max_attempts: int | None = MAX_ATTEMPTS) -> bool:
    """Skipped, or failed for good: this message will never be sent."""
    if message.status in (SKIPPED, GIVEN_UP):
        return True
    # Rows from before the given_up status: failed as many times as allowed.
    out_of_attempts = max_attempts is not None and message.attempts >= max_attempts
    return message.status == FAILED and out_of_attempts


def _settled(max_attempts: int | None) -> ColumnElement[bool]:
    """Rows that need no sending or retry: anything but a failure with attempts left."""
    settled = Message.status != FAILED
    if max_attempts is None:
        return settled
    return settled | (Message.attempts >= max_attempts)


class Outbox:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def claim(
        self,
        kind: str,
        person_id: str,
        local_date: date,
        *,
        now: datetime,
        max_attempts: int | None = MAX_ATTEMPTS,
    ) -> int | None:
        """Claim a message for sending, until `now` + CLAIM_LEASE; None if it was already
        sent, decided or claimed.

        A failed message is claimed again while it has attempts left (any number of times
        with max_attempts=None: the caller bounds the retries).
        """
        try:
            with self._sessions.begin() as session:
                message = Message(
                    kind=kind,
                    person_id=person_id,
                    local_date=local_date,
                    status=PENDING,
                    attempts=1,
                    lease_until=now + CLAIM_LEASE,
                )
                session.add(message)
                session.flush()
                return message.id
        except IntegrityError:
            return self._reclaim_failed(kind, person_id, local_date, now, max_attempts)

    def _reclaim_failed(
        self,
        kind: str,
        person_id: str,
        local_date: date,
        now: datetime,
        max_attempts: int | None,
    ) -> int | None:
        """A failed message may be tried again, while it has attempts left."""
        query = (
            update(Message)
            .where(*_failed_row(kind, person_id, local_date))
            .values(status=PENDING, attempts=Message.attempts + 1, lease_until=now + CLAIM_LEASE)
            .returning(Message.id)
        )
        if max_attempts is not None:
            query = query.where(Message.attempts < max_attempts)
        with self._sessions.begin() as session:
            return session.scalar(query)

    def reopen_abandoned(self, now: datetime) -> list[tuple[str, str, date]]:
        """Claims whose lease ran out become failures a later claim may retry.

        Returns the (kind, person, date) of each. Two workers never reopen the same claim:
        the update only matches a row still pending.
        """
        with self._sessions.begin() as session:
            rows = session.execute(
                update(Message)
                .where(Message.status == PENDING, Message.lease_until < now)
                .values(
                    status=FAILED,
                    lease_until=None,
                    detail=ABANDONED,
                    unconfirmed_since=func.coalesce(Message.unconfirmed_since, now),
                )
                .returning(Message.kind, Message.person_id, Message.local_date)
            )
            return [(kind, person, day) for kind, person, day in rows]

    def mark_sent(self, message_id: int, channel: str, ts: str, now: datetime) -> None:
        self._set(message_id, status=SENT, channel=channel, ts=ts, sent_at=now, detail=None)

    def mark_done(self, message_id: int, now: datetime, detail: str) -> None:
        """Close a claim that stands for a job (an alert run) rather than one message."""
        self._set(message_id, status=SENT, sent_at=now, detail=detail)

    def mark_failed(
        self,
        message_id: int,
        error: str,
        *,
        final: bool,
        max_attempts: int | None = MAX_ATTEMPTS,
        unconfirmed_at: datetime | None = None,
    ) -> bool:
        """Record a failed try; True when it is given up: a final failure, or its last attempt.

        `unconfirmed_at` says the try may have reached Slack all the same (see `unconfirmed`).
        """
        with self._sessions.begin() as session:
            message = session.get_one(Message, message_id)
            out_of_attempts = max_attempts is not None and message.attempts >= max_attempts
            message.status = GIVEN_UP if final or out_of_attempts else FAILED
            message.detail = error[:500]
            message.lease_until = None
            message.unconfirmed_since = message.unconfirmed_since or unconfirmed_at
            return message.status == GIVEN_UP

    def release(self, message_id: int) -> None:
        """Give back a claim untried: it stays failed as before, its attempt not counted.

        Only a reclaimed failure is released (its sender was asked to wait before checking
        Slack for an earlier try), so its attempts stay at least one.
        """
        with self._sessions.begin() as session:
            message = session.get_one(Message, message_id)
            message.status = FAILED
            message.attempts = max(1, message.attempts - 1)
            message.lease_until = None

    def unconfirmed(self, message_id: int) -> bool:
        """Whether an earlier try of this message may have reached Slack unbeknown to us.

        Read by the claimant after claiming, when nobody else writes the row.
        """
        with self._sessions() as session:
            since = session.scalar(
                select(Message.unconfirmed_since).where(Message.id == message_id)
            )
            return since is not None

    def record_skipped(self, kind: str, person_id: str, local_date: date, reason: str) -> bool:
        """Remember that a message will not be sent, so it is logged and decided only once.

        A message that failed and is still retryable becomes skipped too, keeping its last error.
        """
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
            return self._skip_failed(kind, person_id, local_date, reason)

    def _skip_failed(self, kind: str, person_id: str, local_date: date, reason: str) -> bool:
        """Turn a retryable failure into a skip; False if the message was decided otherwise."""
        last_error = func.coalesce(Message.detail, "unknown")
        detail = literal(f"{reason} (last error: ") + last_error + ")"
        with self._sessions.begin() as session:
            skipped = session.scalar(
                update(Message)
                .where(*_failed_row(kind, person_id, local_date))
                .values(status=SKIPPED, detail=func.substr(detail, 1, 500))
                .returning(Message.id)
            )
            return skipped is not None

    def _set(self, message_id: int, **values: object) -> None:
        """Settle a claim: it is no longer anyone's to finish."""
        with self._sessions.begin() as session:
            session.execute(
                update(Message).where(Message.id == message_id).values(lease_until=None, **values)
            )

    def dm_channel(self, person_id: str) -> str | None:
        """The DM channel the latest message sent to this person went to, if any went."""
        with self._sessions() as session:
            return session.scalar(
                select(Message.channel)
                .where(
                    Message.person_id == person_id,
                    Message.status == SENT,
                    Message.channel.is_not(None),
                )
                .order_by(Message.sent_at.desc(), Message.id.desc())
                .limit(1)
            )

    def find(self, kind: str, person_id: str, local_date: date) -> Message | None:
        with self._sessions() as session:
            return session.scalar(
                select(Message).where(
                    Message.kind == kind,
                    Message.person_id == person_id,
                    Message.local_date == local_date,
                )
            )

    def decided(
        self,
        kind: str,
        pairs: Iterable[tuple[str, date]],
        *,
        max_attempts: int | None = MAX_ATTEMPTS,
    ) -> set[tuple[str, date]]:
        """Which (person, date) pairs already have a message of this kind that needs no retry."""
        pairs = set(pairs)
        if not pairs:
            return set()
        with self._sessions() as session:
            query = select(Message.person_id, Message.local_date).where(
                Message.kind == kind,
                Message.person_id.in_({person for person, _ in pairs}),
                Message.local_date.in_({day for _, day in pairs}),
                _settled(max_attempts),
            )
            return {(who, day) for who, day in session.execute(query)} & pairs

    def decided_kinds(self, kinds: Iterable[str], person_id: str, local_date: date) -> set[str]:
        """Which of these kinds of message to one person on one date need no sending or retry."""
        kinds = set(kinds)
        if not kinds:
            return set()
        with self._sessions() as session:
            query = select(Message.kind).where(
                Message.kind.in_(kinds),
                Message.person_id == person_id,
                Message.local_date == local_date,
                _settled(MAX_ATTEMPTS),
            )
            return set(session.scalars(query))

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


def _failed_row(kind: str, person_id: str, local_date: date) -> tuple[ColumnElement[bool], ...]:
    """The row of this message, while its last try failed and it may be tried again."""
    return (
        Message.kind == kind,
        Message.person_id == person_id,
        Message.local_date == local_date,
        Message.status == FAILED,
    )
