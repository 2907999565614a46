"""Shared fixtures: a migrated database on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import text

from bot.app import create_app
from bot.runtime import make_http_server, open_services, serve_in_thread
from bot.sandbox import SlackDriver, SlackStandIn
from bot.services import Services
from bot.settings import Settings, load_settings
from bot.slack_client import make_web_client
from bot.tick import TickReport, run_tick
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


def example_with_team(team_name: str, **changes: Any) -> Settings:
    """The example app.yaml with one team changed (its reps, its name, ...)."""
    example = load_settings(REPO / "app.yaml")
    teams = [
        team.model_copy(update=changes) if team.name == team_name else team
        for team in example.teams
    ]
    return example.model_copy(update={"teams": teams})


# End-to-end: the stand-in Slack, the bot over real HTTP, a clock the test moves -------------

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
PEOPLE_TZ = {
    "U01REP0001": "America/New_York",
    "U01REP0002": "America/New_York",
    "U01REP0003": "America/Chicago",
    "U01REP0004": "America/Los_Angeles",
    "U01REP0005": "America/Los_Angeles",
    "U01REP0006": "America/Denver",
    "U01REP0007": "Europe/London",
    "U01REP0008": "Europe/Berlin",
    "U01MGR0001": "America/New_York",
    "U01MGR0002": "America/Los_Angeles",
    "U01MGR0003": "Europe/London",
    "U01ADMIN01": "America/New_York",
    "U09STRANGER": "America/New_York",
}


class Clock:
    """The bot's notion of now, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, text: str) -> datetime:
        self.now = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return self.now


@dataclass
class Bot:
    """Everything a scenario needs: the stand-in, the running bot and a way to play people."""

    standin: SlackStandIn
    services: Services
    client: WebClient
    driver: SlackDriver
    clock: Clock
    url: str

    def tick(self, when: str | None = None) -> TickReport:
        now = self.clock.set(when) if when else self.clock.now
        return run_tick(now, self.services.settings, self.services.store, self.client)

    def last_dm(self, user_id: str) -> dict[str, Any]:
        return self.standin.dm_messages(user_id)[-1]


def wait_until(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll until `check()` is truthy and return it: listeners finish after their ack, as on
    Slack. Fails the test at `timeout`, so a wait can never pass on what never came."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still {result!r} after {timeout} s of waiting")
        time.sleep(0.02)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as running:
        for user_id, tz in PEOPLE_TZ.items():
            running.add_user(user_id, real_name=f"Person {user_id[-4:]}", tz=tz)
        yield running


@pytest.fixture
def bot(standin: SlackStandIn, database_url: str, settings: Settings) -> Iterator[Bot]:
    clock = Clock(datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    services = open_services(settings, database_url, clock=clock)
    client = make_web_client(standin.bot_token, standin.api_url)
    app = create_app(services, client, SIGNING_SECRET)
    server = make_http_server(app, "127.0.0.1", 0)
    serve_in_thread(server)
    url = f"http://127.0.0.1:{server.server_port}/slack/events"
    driver = SlackDriver(standin, signing_secret=SIGNING_SECRET, bot_url=url)

    yield Bot(standin, services, client, driver, clock, url)

    server.shutdown()
    server.server_close()
    services.close_followups(timeout=10)
    services.store.close()
