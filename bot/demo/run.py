"""Run the demo: stand-in Slack and the bot on loopback, SQLite in a temporary folder."""

from __future__ import annotations

import csv
import logging
import random
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import monotonic

from bot.app import create_app
from bot.calendar import is_workday, week_bounds
from bot.demo.cast import Persona, cast
from bot.demo.outcomes import draw_day
from bot.demo.simulation import Simulation
from bot.demo.transcript import write_transcript
from bot.export import COLUMNS
from bot.importer import import_csv
from bot.runtime import make_http_server, open_services, serve_in_thread
from bot.sandbox import SlackDriver, SlackStandIn
from bot.services import Services
from bot.settings import Settings
from bot.slack_client import make_web_client
from metrics.frames import iso_week_label

logger = logging.getLogger(__name__)

SIGNING_SECRET = "demo-signing-secret"
# Long enough for a DM update waiting out a 429 (up to a minute) to land in the transcript.
FOLLOW_UP_GRACE_SECONDS = 120.0
HISTORY_WEEKS = 4
DEAD_CALL_TYPES = {"West": frozenset({"discovery"})}


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now


def run_demo(settings: Settings, out_dir: str | Path, weeks: int = 2) -> Path:
    """Simulate the last `weeks` complete weeks and write the transcript; returns its path."""
    out = Path(out_dir)
    (out / "charts").mkdir(parents=True, exist_ok=True)

    first_monday = week_bounds(datetime.now(UTC).date())[0] - timedelta(weeks=weeks)
    history_start = first_monday - timedelta(weeks=HISTORY_WEEKS)
    reps, managers = cast(first_monday)
    # Simulate through the Monday after, so the last week's report goes out too.
    end = datetime.combine(first_monday + timedelta(weeks=weeks), time(18, 0), tzinfo=UTC)
    start = datetime.combine(first_monday, time(0, 0), tzinfo=UTC)

    clock = _Clock(datetime.combine(history_start, time(0, 0), tzinfo=UTC))
    # Slack's per-minute limits count in Slack's time. Here a day passes in seconds, so the
    # windows run on the simulated clock (plus real time, so they still slide within a tick);
    # counted in real time they would throttle what Slack would see spread over hours.
    standin = SlackStandIn(rate_clock=lambda: clock.now.timestamp() + monotonic())

    with tempfile.TemporaryDirectory() as tmp, standin:
        for rep in reps:
            standin.add_user(rep.user_id, real_name=rep.name, tz=rep.tz)
        for manager in managers:
            standin.add_user(manager.user_id, real_name=manager.name, tz=manager.tz)

        services = open_services(settings, f"sqlite:///{tmp}/demo.db", clock=clock)
        imported = _import_history(services, reps, history_start, first_monday, Path(tmp))

        client = make_web_client(standin.bot_token, standin.api_url)
        server = make_http_server(create_app(services, client, SIGNING_SECRET), "127.0.0.1", 0)
        serve_in_thread(server)
        url = f"http://127.0.0.1:{server.server_port}/slack/events"
        logger.info("Demo: stand-in Slack at %s, bot at %s", standin.url, url)

        simulation = Simulation(
            standin=standin,
            driver=SlackDriver(standin, signing_secret=SIGNING_SECRET, bot_url=url),
            services=services,
            client=client,
            set_clock=clock.set,
            reps=reps,
            managers=managers,
            dead_call_types=DEAD_CALL_TYPES,
            dead_from=first_monday,
            charts_dir=out / "charts",
        )
        logger.info("Demo: simulating %s to %s in 15-minute ticks", start.date(), end.date())
        simulation.run(start, end)
        last_week = iso_week_label(first_monday + timedelta(weeks=weeks - 1))
        simulation.on_demand(end + timedelta(minutes=15), _on_demand_asks(last_week))
        services.close_followups(timeout=FOLLOW_UP_GRACE_SECONDS)

        path = write_transcript(
            out / "transcript.md",
            events=simulation.events,
            reps=reps,
            managers=managers,
            store=services.store,
            standin=standin,
            first_day=first_monday,
            last_day=end.date(),
            imported=imported,
        )
        server.shutdown()
        server.server_close()
        services.store.close()
    return path.resolve()


def _on_demand_asks(last_week: str) -> list[tuple[str, str]]:
    """After the last tick: a rep, the managers and the admin ask for numbers on demand."""
    return [
        ("U0DREP001", f"/stats {last_week}"),
        ("U0DREP001", "/stats team"),
        ("U0DREP001", "home"),
        ("U0DMGR001", f"/stats {last_week}"),
        ("U0DMGR002", "/stats <@U0DREP006> 30d"),
        ("U0DMGR002", "home"),
        ("U0DADMIN1", "/stats all 30d"),
    ]


def _import_history(
    services: Services, reps: list[Persona], start: date, end: date, folder: Path
) -> str:
    """Last month's numbers, as a team would bring them from a spreadsheet: via `checkin import`."""
    settings = services.settings
    rng = random.Random(11)
    path = folder / "history.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        day = start
        while day < end:
            for rep in reps:
                team = settings.team_of(rep.user_id)
                if team is None or not is_workday(day, settings.workdays_of(team), team.country):
                    continue
                calls = max(0, rep.calls_per_day + rng.randint(-3, 3))
                for (call_type, outcome), count in sorted(draw_day(rng, calls, rep.mix).items()):
                    writer.writerow(
                        (day.isoformat(), rep.user_id, team.name, call_type, outcome, count)
                    )
            day += timedelta(days=1)

    now = datetime.combine(end, time(0, 0), tzinfo=UTC)
    report = import_csv(path, settings, services.store, now=now, progress=False)
    return (
        f"Before the simulation, `checkin import` loaded {report.accepted} rows of history "
        f"({start:%b %-d} to {end - timedelta(days=1):%b %-d}) so baselines exist from day one."
    )
