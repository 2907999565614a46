"""One tick: everything the bot must send at an instant.

`run_tick` is a plain function of (now, settings, store, Slack client), so APScheduler's
minute job, `checkin tick --now ...` from cron and tests all run the same code. Every
message is claimed once per (kind, person, period) in the outbox, so running a tick twice
for the same instant, or on two workers, never sends anything twice.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from slack_sdk import WebClient

from bot.delivery import Messenger, Pacer
from bot.directory import refresh_directory
from bot.outbound import isolated
from bot.send_alerts import send_alerts
from bot.send_checkins import send_checkins
from bot.send_reports import send_reports
from bot.settings import Settings
from bot.tick_context import StopRequestedError, Tick, TickReport
from storage.store import Store

logger = logging.getLogger(__name__)

__all__ = ["TickReport", "run_tick"]


def run_tick(
    now: datetime,
    settings: Settings,
    store: Store,
    client: WebClient,
    stop: threading.Event | None = None,
) -> TickReport:
    """Send the prompts, reminders, weekly reports and alerts due at `now`.

    Setting `stop` (on shutdown) ends the tick after the message being posted; what was not
    claimed yet is left for the next tick, within the grace window.
    """
    stop = stop or threading.Event()
    report = TickReport()
    pacer = Pacer(settings.delivery.posts_per_minute, sleep=stop.wait)
    tick = Tick(now, settings, store, Messenger(client, pacer), report, stop)

    report.deactivated += refresh_directory(client, store, settings, now, stop)
    _reopen_abandoned(store, now)

    # Each job on its own: a bug or an outage in one does not hold back the others.
    try:
        for job in (send_checkins, send_reports, send_alerts):
            with isolated(f"The {job.__name__} job of tick {now.isoformat(timespec='minutes')}"):
                job(tick)
    except StopRequestedError:
        logger.info(
            "Tick %s stopped for shutdown; what it did not claim goes out on the next tick",
            now.isoformat(timespec="minutes"),
        )

    if report.busy():
        logger.info(
            "Tick %s: sent %s, skipped %d, failed %d%s",
            now.isoformat(timespec="minutes"),
            dict(report.sent) or "nothing",
            report.skipped,
            report.failed,
            f", put off {report.deferred} (Slack asked to wait)" if report.deferred else "",
        )
    return report


def _reopen_abandoned(store: Store, now: datetime) -> None:
    """Claims whose lease ran out were left by a killed process: this tick may retry them."""
    for kind, person, day in store.outbox.reopen_abandoned(now):
        logger.warning(
            "The %s to %s for %s was claimed by a run that never finished (killed?); trying "
            "it again (a message is first looked for in the DM, in case that run posted it)",
            kind,
            person,
            day,
        )
