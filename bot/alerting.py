"""Run the early-warning rules for a team and keep the alerts its manager has not just had."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd

from bot.dataset import Dataset
from bot.settings import WEEKDAYS, Settings, Team
from metrics.alerts import (
    Alert,
    AlertRules,
    activity_below_baseline,
    behind_pace,
    cooldown_filter,
    identical_numbers,
    low_conversion,
    missed_checkins,
    plan_link_off,
)
from metrics.plan import Plan
from storage.alerts import NewAlert
from storage.store import Store

logger = logging.getLogger(__name__)

BASELINE_WEEKS = 4  # "the rep's own 4-week average" in app.yaml; not a setting of its own
SPARE_WEEKS = 1  # history kept beyond what a rule reads, so a week off does not thin it
WORKDAYS_PER_WEEK = 5


def alert_rules(settings: Settings) -> AlertRules:
    """app.yaml's alerts section as the thresholds metrics' rules read.

    Percentages become fractions except the pace floor, which metrics keeps in percent.
    identical_days 0 (rule off) leaves AlertRules' default in place: evaluate_alerts
    skips that rule itself, since AlertRules has no way to say "off".
    """
    alerts = settings.alerts
    return AlertRules(
        baseline_share=alerts.below_baseline_pct / 100,
        baseline_days=alerts.below_baseline_days,
        baseline_weeks=BASELINE_WEEKS,
        pace_floor_pct=alerts.behind_pace_pct,
        pace_from_weekday=WEEKDAYS.index(alerts.behind_pace_from),
        missed_days=alerts.missed_checkin_days,
        conversion_rate=alerts.conversion.rate,
        conversion_floor=alerts.conversion.floor_pct / 100,
        conversion_min_calls=alerts.conversion.min_calls,
        conversion_min_basis=alerts.conversion.min_basis,
        conversion_weeks=alerts.conversion.weeks,
        plan_margin=alerts.plan_margin_pct / 100,
        plan_weeks=alerts.plan_weeks,
        identical_days=alerts.identical_days or AlertRules.identical_days,
        cooldown_workdays=alerts.cooldown_workdays,
    )


def alert_window(as_of: date, settings: Settings) -> tuple[date, date]:
    """The days one alert run reads: from a Monday far enough back for every rule, to the
    Sunday of as_of's week.

    Baselines need whole weeks before this one, conversion counts this week among its
    weeks, the plan judges the complete weeks before this one, and the day-run rules
    (below baseline, missed check-ins, identical numbers) count workdays back from today.
    The window runs to Sunday because pace needs the whole week's expected workdays;
    every rule ignores what comes after as_of.
    """
    rules = alert_rules(settings)
    run_days = max(rules.baseline_days, rules.missed_days, rules.identical_days)
    weeks = max(
        rules.baseline_weeks + SPARE_WEEKS,
        rules.conversion_weeks - 1,
        rules.plan_weeks,
        math.ceil(run_days / WORKDAYS_PER_WEEK) + SPARE_WEEKS,
    )
    monday = as_of - timedelta(days=as_of.weekday())
    return monday - timedelta(weeks=weeks), monday + timedelta(days=6)


def team_plan(team: Team) -> Plan | None:
    """The team's business plan from app.yaml as metrics' Plan, or None without one."""
    return team.plan.to_plan() if team.plan else None


def evaluate_alerts(dataset: Dataset, settings: Settings, team: Team, as_of: date) -> list[Alert]:
    """Every enabled rule for one team, as of the manager's local date `as_of`.

    `dataset` must span alert_window(as_of, settings); it may hold other teams too.
    A rep who stopped checking in gets the missed_checkins alert only: their pace is
    missing numbers, not low numbers, and two DMs about one silence would nag.
    NOTE: `as_of` is the manager's date for the whole team; a rep hours ahead or behind is
    judged on days that are settled for them only once they checked in.
    """
    if not settings.alerts.enabled:
        logger.debug("Alerts are off in app.yaml; nothing evaluated for team %s", team.name)
        return []
    _check_span(dataset, *alert_window(as_of, settings))
    rules = alert_rules(settings)
    data = dataset.for_team(team.name)

    missed = missed_checkins(data.checkins, data.expected, as_of, rules, data.earlier_checkins)
    silent = {alert.rep_id for alert in missed}
    pace = behind_pace(data.entries, data.checkins, data.expected, data.targets, as_of, rules)
    alerts = [
        *missed,
        *activity_below_baseline(data.entries, data.checkins, data.expected, as_of, rules),
        *[alert for alert in pace if alert.rep_id not in silent],
        *low_conversion(data.entries, data.outcome_flags, as_of, rules, level="rep"),
        *low_conversion(data.entries, data.outcome_flags, as_of, rules, level="team"),
    ]

    if settings.alerts.identical_days:
        alerts += identical_numbers(data.entries, data.checkins, data.expected, as_of, rules)
    plan = team_plan(team)
    if plan is not None:
        plans = {team.name: plan}
        alerts += plan_link_off(
            data.entries,
            data.expected,
            plans,
            data.outcome_flags,
            as_of,
            rules,
            data.workdays_per_week(),
        )

    logger.debug("Team %s as of %s: %d alert(s) hold", team.name, as_of, len(alerts))
    return alerts


def new_alerts(
    store: Store, settings: Settings, team: Team, alerts: Sequence[Alert], as_of: date
) -> list[tuple[int, Alert]]:
    """Record the alerts not held back by the cool-down; return (alert id, alert) for each.

    An alert recorded but not yet sent still holds back its repeats: sending is retried
    from the stored row, not by raising the alert again. An alert whose subject and rule
    were already recorded on `as_of` is skipped, so running twice in a day is harmless.
    """
    cooldown = settings.alerts.cooldown_workdays
    earlier = store.alerts.since(_cooldown_start(as_of, cooldown), teams=[team.name])
    previous = pd.DataFrame(
        {
            "subject": [record.subject for record in earlier],
            "rule": [record.rule for record in earlier],
            "sent_on": pd.Series([record.raised_on for record in earlier], dtype="object"),
        }
    )
    fresh = cooldown_filter(
        alerts, previous, as_of, cooldown, settings.workdays_of(team), team.country
    )

    recorded: list[tuple[int, Alert]] = []
    for alert in fresh:
        alert_id = store.alerts.record(_stored(alert, team, as_of))
        if alert_id is None:
            logger.debug("%s about %s was already raised on %s", alert.rule, alert.subject, as_of)
            continue
        recorded.append((alert_id, alert))

    logger.debug(
        "Team %s on %s: %d new alert(s) for %s, %d held back by the cool-down",
        team.name,
        as_of,
        len(recorded),
        team.manager,
        len(alerts) - len(fresh),
    )
    return recorded


def _cooldown_start(as_of: date, cooldown_workdays: int) -> date:
    """A day far enough back to hold every alert the cool-down may still count."""
    return as_of - timedelta(weeks=cooldown_workdays // WORKDAYS_PER_WEEK + 2)


def _stored(alert: Alert, team: Team, as_of: date) -> NewAlert:
    return NewAlert(
        subject=alert.subject,
        rule=alert.rule,
        team=team.name,
        rep_id=alert.rep_id,
        manager_id=team.manager,
        window_start=alert.window_start,
        window_end=alert.window_end,
        raised_on=as_of,
        numbers=alert.numbers,
        message=alert.message,
        next_step=alert.next_step,
    )


def _check_span(dataset: Dataset, start: date, end: date) -> None:
    """A dataset that starts too late or ends too early would give wrong numbers quietly."""
    if start < dataset.start or end > dataset.end:
        raise ValueError(
            f"the dataset covers {dataset.start} to {dataset.end} but the alerts need "
            f"{start} to {end}; load it with alert_window()"
        )
