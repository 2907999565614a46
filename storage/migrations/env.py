"""Alembic environment: runs migrations on the connection storage.migrate hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.models import Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations(context.config.attributes["connection"])
