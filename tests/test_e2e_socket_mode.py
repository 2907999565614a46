"""`checkin run`'s path: the same listeners over Socket Mode, through the stand-in's WebSocket."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import NamedTuple

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import create_app
from bot.runtime import open_services
from bot.sandbox import SlackDriver, SlackStandIn
from bot.services import Services
from bot.settings import Settings
from bot.slack_client import make_web_client
from tests.conftest import Clock, wait_until

NIA = "U01REP0001"


class SocketBot(NamedTuple):
    driver: SlackDriver
    standin: SlackStandIn
    services: Services


@pytest.fixture
def socket_bot(standin: SlackStandIn, database_url: str, settings: Settings) -> Iterator[SocketBot]:
    clock = Clock(datetime(2026, 12, 3, 22, 0, tzinfo=UTC))
    services = open_services(settings, database_url, clock=clock)
    client = make_web_client(standin.bot_token, standin.api_url)
    handler = SocketModeHandler(create_app(services, client, None), app_token=standin.app_token)
    handler.connect()
    standin.socket_mode.wait_for_client()

    yield SocketBot(SlackDriver(standin, signing_secret="", transport="socket"), standin, services)

    standin.socket_mode.close_connections()
    handler.close()
    services.store.close()


def test_slash_command_modal_and_submission_over_socket_mode(socket_bot: SocketBot) -> None:
    driver, standin, services = socket_bot

    logged = driver.slash_command(NIA, "/checkin", "3 demo won")
    assert "Saved" in logged.text
    assert services.store.entries.day_counts(NIA, date(2026, 12, 3)) == {("demo", "won"): 3}

    driver.slash_command(NIA, "/checkin", "")
    wait_until(lambda: standin.open_view(NIA))
    answer = driver.fill_modal(NIA, {"demo.won.20261203": 4})
    assert answer.ok
    assert services.store.entries.day_counts(NIA, date(2026, 12, 3)) == {("demo", "won"): 4}
    assert standin.calls_to("apps.connections.open")
