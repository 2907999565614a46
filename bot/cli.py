"""The `checkin` command: run, serve, tick, check-config, db upgrade, manifest, export, demo."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_sdk import WebClient

from bot.app import create_app
from bot.environment import Environment, MissingSettingError
from bot.followups import SHUTDOWN_GRACE_SECONDS
from bot.runtime import make_http_server, open_services, serve_in_thread, start_scheduler
from bot.services import Services
from bot.settings import ConfigError, Settings, load_settings
from bot.slack_client import make_web_client

logger = logging.getLogger("checkin")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure_logging(args.verbose)
    env = Environment.from_env()
    try:
        return int(args.handler(args, env) or 0)
    except ConfigError as exc:
        print(f"Configuration problem in {exc}", file=sys.stderr)
        return 2
    except MissingSettingError as exc:
        print(str(exc), file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="checkin", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the bot in Socket Mode")
    run.add_argument("--no-scheduler", action="store_true", help="ticks come from cron instead")
    run.set_defaults(handler=_run)

    serve = commands.add_parser("serve", help="run the bot over HTTP (POST /slack/events)")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--no-scheduler", action="store_true", help="ticks come from cron instead")
    serve.set_defaults(handler=_serve)

    tick = commands.add_parser("tick", help="send what is due now (or at --now) and exit")
    tick.add_argument("--now", type=_instant, help="ISO-8601 instant, e.g. 2026-12-03T21:30Z")
    tick.set_defaults(handler=_tick)

    check = commands.add_parser("check-config", help="validate app.yaml and exit")
    check.set_defaults(handler=_check_config)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(handler=_db_upgrade)

    manifest = commands.add_parser("manifest", help="print a Slack app manifest (YAML)")
    manifest.add_argument("--http", metavar="URL", help="HTTP mode with this request URL")
    manifest.set_defaults(handler=_manifest)

    export = commands.add_parser("export", help="write entries as CSV")
    export.add_argument("--since", type=date.fromisoformat)
    export.add_argument("--until", type=date.fromisoformat)
    export.add_argument("--out", default="-", help="file to write, - for standard output")
    export.set_defaults(handler=_export)

    report = commands.add_parser("report", help="render a team's weekly report to a folder")
    report.add_argument("--team", required=True, help="team name as in app.yaml")
    report.add_argument(
        "--week", help="ISO week such as 2026-W48 (default: the latest finished week)"
    )
    report.add_argument("--out", type=Path, default=Path("report-output"))
    report.set_defaults(handler=_report)

    importer = commands.add_parser("import", help="load entries from a CSV in export's columns")
    importer.add_argument("file", type=Path)
    importer.set_defaults(handler=_import)

    demo = commands.add_parser("demo", help="simulate two weeks offline; no Slack account needed")
    demo.add_argument("--out", default="demo-output")
    demo.add_argument("--weeks", type=int, default=2)
    demo.set_defaults(handler=_demo)
    return parser


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-12-03T21:30Z or +01:00")
    return value.astimezone(UTC)


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    for noisy in (
        "apscheduler.executors",
        "apscheduler.scheduler",
        "slack_sdk",
        "urllib3",
        "websockets",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("slack_bolt").setLevel(logging.INFO if verbose else logging.WARNING)


def _settings(env: Environment) -> Settings:
    return load_settings(env.config_path)


def _check_config(args: argparse.Namespace, env: Environment) -> int:
    settings = _settings(env)
    reps = sum(len(team.reps) for team in settings.teams)
    print(f"{env.config_path} is valid: {len(settings.teams)} teams, {reps} reps.")
    return 0


def _db_upgrade(args: argparse.Namespace, env: Environment) -> int:
    from storage.db import create_db_engine
    from storage.migrate import upgrade

    upgrade(create_db_engine(env.database_url))
    return 0


def _manifest(args: argparse.Namespace, env: Environment) -> int:
    from bot.manifest import render_manifest

    print(render_manifest(_settings(env), socket_mode=args.http is None, request_url=args.http))
    return 0


def _tick(args: argparse.Namespace, env: Environment) -> int:
    from bot.tick import run_tick

    now = args.now or datetime.now(UTC)
    services = open_services(_settings(env), env.database_url, clock=lambda: now)
    client = make_web_client(env.require("SLACK_BOT_TOKEN"), env.api_url)
    report = run_tick(now, services.settings, services.store, client, _stop_on_signal())
    logger.info(
        "Tick at %s done: sent %s", now.isoformat(timespec="minutes"), report.sent or "nothing"
    )
    return 0


def _export(args: argparse.Namespace, env: Environment) -> int:
    from bot.export import write_csv
    from storage.store import Store

    store = Store.open(env.database_url)
    if args.out == "-":
        count = write_csv(store, sys.stdout, args.since, args.until)
    else:
        try:
            with open(args.out, "w", newline="", encoding="utf-8") as handle:
                count = write_csv(store, handle, args.since, args.until)
        except OSError as exc:  # a missing folder, no permission, a full disk
            print(f"Cannot write {args.out}: {exc.strerror or exc}.", file=sys.stderr)
            return 2
    logger.info("Exported %d entries", count)
    return 0


def _report(args: argparse.Namespace, env: Environment) -> int:
    from bot.dataset import load_dataset
    from bot.report import build_team_report, parse_week, report_span, report_week_for
    from bot.report_files import write_report

    settings = _settings(env)
    team = settings.team_named(args.team)
    if team is None:
        names = ", ".join(t.name for t in settings.teams)
        print(f"No team called {args.team!r} in {env.config_path}; teams: {names}", file=sys.stderr)
        return 2
    latest = report_week_for(date.today(), settings.workdays_of(team))[0]
    try:
        monday = parse_week(args.week)[0] if args.week else latest
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if monday > latest:
        print(
            f"Week {args.week} still has workdays to come; a report covers a finished week.",
            file=sys.stderr,
        )
        return 2

    services = open_services(settings, env.database_url)
    dataset = load_dataset(services.store, settings, *report_span(settings, monday), [team])
    report = build_team_report(dataset, settings, team, monday)
    try:
        files = write_report(report, args.out)
    except OSError as exc:  # the folder cannot be made or written
        print(f"Cannot write the report to {args.out}: {exc.strerror or exc}.", file=sys.stderr)
        return 2
    for path in files:
        print(path)
    return 0


def _import(args: argparse.Namespace, env: Environment) -> int:
    from bot.importer import ImportFileError, import_csv

    services = open_services(_settings(env), env.database_url)
    try:
        report = import_csv(args.file, services.settings, services.store, now=datetime.now(UTC))
    except ImportFileError as unreadable:
        print(f"Nothing imported. {unreadable}", file=sys.stderr)
        return 2
    for line, problem in report.rejected:
        print(f"{args.file}:{line}: rejected: {problem}", file=sys.stderr)
    print(
        f"{report.accepted} of {report.rows} rows imported ({report.changed_cells} cells changed),"
        f" {len(report.rejected)} rejected."
    )
    return 1 if report.rejected else 0


def _demo(args: argparse.Namespace, env: Environment) -> int:
    from bot.demo.cast import demo_settings
    from bot.demo.run import run_demo

    path = run_demo(demo_settings(), out_dir=args.out, weeks=args.weeks)
    print(f"Demo transcript written to {path}")
    return 0


def _run(args: argparse.Namespace, env: Environment) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    app_token = env.require("SLACK_APP_TOKEN")
    services, app, client = _start(env)
    stop = _stop_on_signal()
    scheduler = None if args.no_scheduler else start_scheduler(services, client, stop)
    handler = SocketModeHandler(app, app_token=app_token)
    logger.info("Connecting to Slack in Socket Mode")
    handler.connect()
    stop.wait()
    handler.close()
    services.close_followups(timeout=SHUTDOWN_GRACE_SECONDS)
    _stop_scheduler(scheduler)
    return 0


def _serve(args: argparse.Namespace, env: Environment) -> int:
    services, app, client = _start(env, signing_secret=env.require("SLACK_SIGNING_SECRET"))
    stop = _stop_on_signal()
    scheduler = None if args.no_scheduler else start_scheduler(services, client, stop)
    server = make_http_server(app, args.host, args.port)
    logger.info("Listening on http://%s:%d/slack/events (health: /healthz)", args.host, args.port)
    serve_in_thread(server)
    stop.wait()
    server.shutdown()
    services.close_followups(timeout=SHUTDOWN_GRACE_SECONDS)
    _stop_scheduler(scheduler)
    return 0


def _start(env: Environment, signing_secret: str | None = None) -> tuple[Services, App, WebClient]:
    settings = _settings(env)
    client = make_web_client(env.require("SLACK_BOT_TOKEN"), env.api_url)
    services = open_services(settings, env.database_url)
    return services, create_app(services, client, signing_secret), client


def _stop_on_signal() -> threading.Event:
    """An event that SIGINT or SIGTERM sets; a running tick watches it to end cleanly."""
    stop = threading.Event()

    def asked_to_stop(signum: int, _frame: object) -> None:
        logger.info("%s received: stopping", signal.Signals(signum).name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, asked_to_stop)
    return stop


def _stop_scheduler(scheduler: BackgroundScheduler | None) -> None:
    """Wait for a running tick: it stops after the message it is posting."""
    if scheduler is not None:
        scheduler.shutdown(wait=True)
    logger.info("Stopped")


if __name__ == "__main__":
    sys.exit(main())
