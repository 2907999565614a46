"""Shared fixtures: a migrated database on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.settings import Settings, load_settings
from storage.db import create_db_engine
from storage.store import Store

REPO = Path(__file__).resolve().parent.parent
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_sessionstart(session: pytest.Session) -> None:
    """A PostgreSQL URL that is set must be reachable: fail the run rather than skip."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return
    engine = create_db_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        raise pytest.UsageError(f"TEST_DATABASE_URL is set but unreachable: {exc}") from exc
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database; a PostgreSQL URL that is set but unreachable fails the test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"

    url = os.environ["TEST_DATABASE_URL"]
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(REPO / "app.yaml")
