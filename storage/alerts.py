"""Early warnings as stored: one row per (subject, rule, day), with the numbers behind it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import AlertRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewAlert:
    subject: str
    rule: str
    team: str
    rep_id: str | None
    manager_id: str
    window_start: date
    window_end: date
    raised_on: date
    numbers: Mapping[str, float | int | str | None]
    message: str
    next_step: str


class Alerts:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record(self, alert: NewAlert) -> int | None:
        """Store an alert; None if the same subject and rule was already raised that day."""
        row = AlertRecord(
            subject=alert.subject,
            rule=alert.rule,
            team=alert.team,
            rep_id=alert.rep_id,
            manager_id=alert.manager_id,
            window_start=alert.window_start,
            window_end=alert.window_end,
            raised_on=alert.raised_on,
            numbers=json.dumps(dict(alert.numbers), default=str),
            message=alert.message,
            next_step=alert.next_step,
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
                return row.id
        except IntegrityError:
            return None

    def attach_message(self, alert_id: int, message: Mapping[str, object]) -> None:
        """Keep the DM as built, so a failed send can be retried as it was."""
        with self._sessions.begin() as session:
            session.execute(
                update(AlertRecord)
                .where(AlertRecord.id == alert_id)
                .values(slack_message=json.dumps(dict(message)))
            )

    def unsent(self, manager_id: str, raised_on: date) -> list[AlertRecord]:
        query = (
            select(AlertRecord)
            .where(
                AlertRecord.manager_id == manager_id,
                AlertRecord.raised_on == raised_on,
                AlertRecord.sent_at.is_(None),
                AlertRecord.slack_message.is_not(None),
            )
            .order_by(AlertRecord.id)
        )
        with self._sessions() as session:
            return list(session.scalars(query))

    def mark_sent(self, alert_ids: Iterable[int], now: datetime) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(AlertRecord).where(AlertRecord.id.in_(list(alert_ids))).values(sent_at=now)
            )

    def since(self, start: date, teams: Iterable[str] | None = None) -> list[AlertRecord]:
        """Alerts raised on or after `start`, newest first, optionally for some teams only."""
        query = (
            select(AlertRecord)
            .where(AlertRecord.raised_on >= start)
            .order_by(AlertRecord.raised_on.desc(), AlertRecord.id.desc())
        )
        if teams is not None:
            query = query.where(AlertRecord.team.in_(list(teams)))
        with self._sessions() as session:
            return list(session.scalars(query))
