"""Unconfirmed posts: a failure that may have reached Slack is checked before a retry.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "messages", sa.Column("unconfirmed_since", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("messages", "unconfirmed_since")
