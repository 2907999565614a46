"""Starting the bot: services from configuration, the scheduler, Socket Mode or HTTP."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.due import first_day_for_newcomer
from bot.services import Services, utc_now
from bot.settings import Settings
from bot.tick import run_tick
from bot.tick_context import TICK_PERIOD
from storage.roster import TeamSpec
from storage.store import Store

logger = logging.getLogger(__name__)


def team_specs(settings: Settings) -> list[TeamSpec]:
    return [TeamSpec(t.name, t.manager, t.reps, t.country, t.timezone) for t in settings.teams]


def open_services(
    settings: Settings, database_url: str, clock: Callable[[], datetime] = utc_now
) -> Services:
    """Open (and migrate) the database and mirror app.yaml's teams into it."""
    services = Services(settings=settings, store=Store.open(database_url), clock=clock)
    joined_on = newcomers_first_days(services)
    services.store.roster.sync_config(team_specs(settings), settings.admins, joined_on)
    return services


def newcomers_first_days(services: Services) -> dict[str, date]:
    """For each configured rep, the first day they are expected to check in if they join now.

    Counted in their own time zone (Slack's, once the directory sync has seen them), so a
    rep in Tokyo added on their Thursday morning is not held to Wednesday.
    """
    now, settings = services.clock(), services.settings
    reps = [rep for team in settings.teams for rep in team.reps]
    return {
        rep: first_day_for_newcomer(now, zone, settings)
        for rep, zone in services.zones_of(reps).items()
    }


def start_scheduler(
    services: Services, client: WebClient, stop: threading.Event
) -> BackgroundScheduler:
    """A tick every minute; a slow tick delays the next rather than running beside it.

    Set `stop` before shutting the scheduler down: the running tick then ends after the
    message it is posting, instead of being cut off between claiming and recording one.
    """
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        lambda: run_tick(services.clock(), services.settings, services.store, client, stop),
        "interval",
        seconds=TICK_PERIOD.total_seconds(),
        id="tick",
        max_instances=1,
        coalesce=True,
        next_run_time=services.clock(),
    )
    scheduler.start()
    logger.info("Scheduler started: a tick every %d s", TICK_PERIOD.total_seconds())
    return scheduler


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("HTTP %s", format % args)


def wsgi_app(app: App) -> Callable[..., Iterable[bytes]]:
    """POST /slack/events to Bolt (which verifies the signature) and GET /healthz."""
    slack = SlackRequestHandler(app, path="/slack/events")

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return route


def make_http_server(app: App, host: str, port: int) -> WSGIServer:
    return make_server(
        host, port, wsgi_app(app), server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )


def serve_in_thread(server: WSGIServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    thread.start()
    return thread
