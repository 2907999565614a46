"""Holiday weeks read the same in pace and in the plan: no false "not enough activity".

East (app.yaml: plan of 50 calls per rep a week; targets 50, U01REP0003 60) over Christmas
2026. In W50 and W51 every rep logs a full week at their target's daily rate (10 calls a
day, U01REP0003 12). Fri 25 Dec and Fri 1 Jan are US holidays, and every rep takes Mon and
Tue off in both W52 and W53, so each of those weeks has two workdays (Wed, Thu): 2/5 of a
rep-week, and 2/5 of each target. Every rep logs exactly that.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.alerting import alert_window, evaluate_alerts
from bot.dataset import load_dataset
from bot.report import build_team_report, report_span
from bot.runtime import team_specs
from bot.settings import Settings, Team
from metrics.pace import pace
from storage.store import Store

JOINED = date(2026, 9, 1)
NOW = datetime(2027, 1, 6, 23, 0, tzinfo=UTC)
REPS = {"U01REP0001": 10, "U01REP0002": 10, "U01REP0003": 12}  # calls a day
W50, W52, W53 = date(2026, 12, 7), date(2026, 12, 21), date(2026, 12, 28)
HOLIDAYS = {date(2026, 12, 25), date(2027, 1, 1)}


def day_cells(calls: int) -> dict[tuple[str, str], int]:
    """A day at plan rates: 3 in 10 calls connect, one of them books a meeting."""
    return {
        ("cold_call", "no_answer"): calls - 3,
        ("cold_call", "connected"): 2,
        ("demo", "meeting_booked"): 1,
    }


def seed(store: Store, settings: Settings) -> None:
    store.roster.sync_config(team_specs(settings), settings.admins, JOINED)
    days_off = [W52, W52 + timedelta(days=1), W53, W53 + timedelta(days=1)]
    worked = [W50 + timedelta(days=n) for n in range(26)]
    worked = [d for d in worked if d.weekday() < 5 and d not in HOLIDAYS and d not in days_off]
    for rep in REPS:
        store.days_off.add(rep, days_off, created_by=rep)
    days = {(rep, day): day_cells(calls) for rep, calls in REPS.items() for day in worked}
    store.entries.import_days(days, changed_by="U01ADMIN01", source="import", now=NOW)


def east(settings: Settings) -> Team:
    team = settings.team_named("East")
    assert team is not None
    return team


def test_a_short_holiday_week_at_target_is_on_plan(store: Store, settings: Settings) -> None:
    seed(store, settings)
    team = east(settings)

    as_of = date(2027, 1, 6)  # judges the complete weeks W52 and W53
    dataset = load_dataset(store, settings, *alert_window(as_of, settings), teams=[team])
    alerts = evaluate_alerts(dataset, settings, team, as_of)
    assert [a.subject for a in alerts if a.rule == "plan_link_off"] == []

    # Pace agrees: on Thu 31 Dec each rep has 2/5 of their target, all of it.
    week = pace(
        dataset.entries, dataset.checkins, dataset.expected, dataset.targets, W53.replace(day=31)
    )
    assert week.set_index("rep_id")["target"].to_dict() == {
        "U01REP0001": 20.0,
        "U01REP0002": 20.0,
        "U01REP0003": 24.0,
    }
    assert week["projected_pct"].tolist() == [100.0, 100.0, 100.0]


def test_the_report_plan_counts_short_weeks_pro_rata(store: Store, settings: Settings) -> None:
    seed(store, settings)
    team = east(settings)

    dataset = load_dataset(store, settings, *report_span(settings, W53), teams=[team])
    summary = build_team_report(dataset, settings, team, W53).summary

    # W50-W53: 160 + 160 + 64 + 64 calls over 3 + 3 + 1.2 + 1.2 rep-weeks.
    assert summary.plan is not None
    calls_per_rep = {link.link: link for link in summary.plan.links}["calls_per_rep"]
    assert calls_per_rep.actual == pytest.approx(448 / 8.4)
    assert calls_per_rep.off_by_pct == pytest.approx(100 * (448 / 8.4 / 50 - 1))  # ahead
    # Planned revenue a week: 8.4 / 4 rep-weeks x 50 x .3 x .25 x .2 x 12000.
    assert summary.plan.planned_revenue == pytest.approx(2.1 * 9000)
    assert (summary.target, summary.target_calls) == (64, 64)
