"""Message leases: a claim left pending by a process that died is tried again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 10:05:00.000000
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# What storage.outbox.CLAIM_LEASE was when this ran: a migration keeps its own copy.
LEASE = timedelta(minutes=30)

messages = sa.table(
    "messages",
    sa.column("id", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("lease_until", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.add_column("messages", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_messages_lease_until"), "messages", ["lease_until"])

    # Claims still pending from before leases: their lease runs from when they were made.
    bind = op.get_bind()
    pending = bind.execute(
        sa.select(messages.c.id, messages.c.created_at).where(messages.c.status == "pending")
    ).all()
    for message_id, created_at in pending:
        bind.execute(
            sa.update(messages)
            .where(messages.c.id == message_id)
            .values(lease_until=created_at + LEASE)
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_messages_lease_until"), table_name="messages")
    op.drop_column("messages", "lease_until")
