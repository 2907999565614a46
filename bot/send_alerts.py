"""Early-warning alerts: evaluated once a day per manager, each new alert a DM to them."""

from __future__ import annotations

import json
import logging

from bot.alerting import alert_window, evaluate_alerts, new_alerts
from bot.blocks.alerts import alert_message
from bot.calendar import is_workday
from bot.dataset import load_dataset
from bot.managers import ManagerClock
from bot.outbound import deliver, isolated, record_failure
from bot.settings import Settings
from bot.tick_context import Tick

logger = logging.getLogger(__name__)

ALERT_RUN = "alert_run"


def send_alerts(tick: Tick) -> None:
    if not tick.settings.alerts.enabled:
        return
    for manager in tick.managers:
        if not _due(manager, tick.settings):
            continue
        tick.check_stop()
        with isolated(f"Alerts for {manager.user_id} on {manager.today}"):
            _alerts_for(tick, manager)


def _alerts_for(tick: Tick, manager: ManagerClock) -> None:
    """Run the day's rules once (a run that fails is tried again), then send what is unsent.

    A SIGTERM lets the run under way finish first; a run killed outright leaves its claim
    pending until the lease runs out (storage.outbox.CLAIM_LEASE), and a later tick runs it.
    """
    run_id = tick.store.outbox.claim(ALERT_RUN, manager.user_id, manager.today, now=tick.now)
    if run_id is not None:
        try:
            _run_for(tick, run_id, manager)
        except Exception as exc:
            # Running the rules twice in a day records nothing twice (see new_alerts).
            what = f"The alert run for {manager.user_id} on {manager.today} failed"
            record_failure(tick, run_id, what, exc)
    _retry_unsent(tick, manager)


def _due(manager: ManagerClock, settings: Settings) -> bool:
    """After the alert time on a workday of one of the manager's teams."""
    if not manager.past(settings.alerts.time):
        return False
    return any(
        is_workday(manager.today, settings.workdays_of(team), team.country)
        for team in manager.teams
    )


def _run_for(tick: Tick, run_id: int, manager: ManagerClock) -> None:
    """Evaluate every rule for the manager's teams; record each alert not in its cool-down."""
    settings, store = tick.settings, tick.store
    # Claimed above: this run happens once per manager per day, even across workers.
    start, end = alert_window(manager.today, settings)
    dataset = load_dataset(store, settings, start, end, manager.teams)

    raised = 0
    for team in manager.teams:
        alerts = evaluate_alerts(dataset.for_team(team.name), settings, team, manager.today)
        for alert_id, alert in new_alerts(store, settings, team, alerts, manager.today):
            message = alert_message(
                alert,
                team=team.name,
                names=dataset.names,
                call_types=dict(dataset.call_types),
                cooldown_workdays=settings.alerts.cooldown_workdays,
            )
            store.alerts.attach_message(alert_id, message)
            raised += 1

    store.outbox.mark_done(run_id, tick.now, f"{raised} alert(s) raised")
    log = logger.info if raised else logger.debug
    log(
        "Alerts for %s (%s) on %s: %d raised",
        manager.user_id,
        ", ".join(t.name for t in manager.teams),
        manager.today,
        raised,
    )


def _retry_unsent(tick: Tick, manager: ManagerClock) -> None:
    """Send today's alerts that are not out yet: just raised, or failed on an earlier tick.

    Those already decided (given up, or claimed by another worker) are left out before they
    wait for a pacing turn, with one query for all of them.
    """
    unsent = {f"alert:{r.id}": r for r in tick.store.alerts.unsent(manager.user_id, manager.today)}
    decided = tick.store.outbox.decided_kinds(unsent, manager.user_id, manager.today)
    for kind, record in unsent.items():
        if kind in decided:
            continue
        message = json.loads(record.slack_message or "{}")
        if deliver(tick, kind, manager.user_id, manager.today, message):
            tick.store.alerts.mark_sent([record.id], tick.now)
