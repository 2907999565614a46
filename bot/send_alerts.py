"""Early-warning alerts: evaluated once a day per manager, each new alert a DM to them."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from bot.alerting import alert_window, evaluate_alerts, new_alerts
from bot.blocks.alerts import alert_message
from bot.calendar import is_workday
from bot.dataset import load_dataset
from bot.delivery import Messenger
from bot.managers import ManagerClock, managers_at
from bot.outbound import deliver
from bot.settings import Settings
from bot.tick_report import TickReport
from storage.store import Store

logger = logging.getLogger(__name__)

ALERT_RUN = "alert_run"


def send_alerts(
    now: datetime, settings: Settings, store: Store, messenger: Messenger, report: TickReport
) -> None:
    if not settings.alerts.enabled:
        return
    for manager in managers_at(now, settings, store):
        if not _due(manager, settings):
            continue
        run_id = store.outbox.claim(ALERT_RUN, manager.user_id, manager.today)
        if run_id is not None:
            _run_for(run_id, manager, now, settings, store, messenger, report)
        _retry_unsent(manager, now, store, messenger, report)


def _due(manager: ManagerClock, settings: Settings) -> bool:
    """After the alert time on a workday of one of the manager's teams."""
    if not manager.past(settings.alerts.time):
        return False
    return any(
        is_workday(manager.today, settings.workdays_of(team), team.country)
        for team in manager.teams
    )


def _run_for(
    run_id: int,
    manager: ManagerClock,
    now: datetime,
    settings: Settings,
    store: Store,
    messenger: Messenger,
    report: TickReport,
) -> None:
    """Evaluate every rule for the manager's teams; DM each alert not in its cool-down."""
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

    store.outbox.mark_done(run_id, now, f"{raised} alert(s) raised")
    logger.info(
        "Alerts for %s (%s) on %s: %d raised",
        manager.user_id,
        ", ".join(t.name for t in manager.teams),
        manager.today,
        raised,
    )


def _retry_unsent(
    manager: ManagerClock, now: datetime, store: Store, messenger: Messenger, report: TickReport
) -> None:
    """Send today's alerts that are not out yet: just raised, or failed on an earlier tick."""
    for record in store.alerts.unsent(manager.user_id, manager.today):
        posted = deliver(
            f"alert:{record.id}",
            manager.user_id,
            manager.today,
            json.loads(record.slack_message or "{}"),
            now,
            store,
            messenger,
            report,
        )
        if posted is not None:
            store.alerts.mark_sent([record.id], now)
