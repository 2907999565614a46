"""The tables: people and teams, logged entries with their audit trail, days off, messages."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    """Anyone the bot knows: a rep, a manager or an admin, keyed by Slack user ID."""

    __tablename__ = "people"

    slack_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), default="rep")
    tz: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(64))
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    manager_id: Mapped[str] = mapped_column(ForeignKey("people.slack_id"))
    country: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))


class Membership(Base):
    """A rep on a team; a rep is on at most one team at a time."""

    __tablename__ = "memberships"

    rep_id: Mapped[str] = mapped_column(ForeignKey("people.slack_id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    joined_on: Mapped[date] = mapped_column(Date)


class Entry(Base):
    """One cell of a rep's day: how many calls of a type ended with an outcome."""

    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("rep_id", "work_date", "call_type", "outcome"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rep_id: Mapped[str] = mapped_column(ForeignKey("people.slack_id"), index=True)
    work_date: Mapped[date] = mapped_column(Date, index=True)
    call_type: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    changed_by: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class EntryChange(Base):
    """The audit trail: every change to a cell, with the value before and after."""

    __tablename__ = "entry_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rep_id: Mapped[str] = mapped_column(String(32), index=True)
    work_date: Mapped[date] = mapped_column(Date)
    call_type: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(40))
    old_count: Mapped[int | None] = mapped_column(Integer)
    new_count: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    changed_by: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CheckIn(Base):
    """A rep reported a day (possibly zero calls); what compliance and reminders look at."""

    __tablename__ = "checkins"

    rep_id: Mapped[str] = mapped_column(ForeignKey("people.slack_id"), primary_key=True)
    work_date: Mapped[date] = mapped_column(Date, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DayOff(Base):
    __tablename__ = "days_off"

    rep_id: Mapped[str] = mapped_column(ForeignKey("people.slack_id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())


class Message(Base):
    """A message the bot sent or must send, claimed once per (kind, person, local date)."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("kind", "person_id", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[str] = mapped_column(String(32), index=True)
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Until when a pending claim is its claimant's; past it, the claimant is taken for dead.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # When a try was first found to have failed in a way that may have reached Slack anyway
    # (its answer was lost, or its run was killed): a retry first looks for the message.
    unconfirmed_since: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertRecord(Base):
    """An early warning sent (or due) to a manager, kept for audit and the App Home."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("subject", "rule", "raised_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(120))
    rule: Mapped[str] = mapped_column(String(40))
    team: Mapped[str] = mapped_column(String(60), index=True)
    rep_id: Mapped[str | None] = mapped_column(String(32))
    manager_id: Mapped[str] = mapped_column(String(32))
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    raised_on: Mapped[date] = mapped_column(Date)
    numbers: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(Text)
    slack_message: Mapped[str | None] = mapped_column(Text)  # the DM as built, for retries
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())


class SyncCursor(Base):
    """Where a paged read of Slack's directory stands, so it resumes across ticks and restarts.

    Every write bumps `version`: a worker claims the next step only if the row is still as it
    read it and no other worker holds it (`claimed_until`), on SQLite and PostgreSQL alike.
    """

    __tablename__ = "sync_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
