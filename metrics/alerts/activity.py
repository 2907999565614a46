"""Rule activity_below_baseline: a rep well under their own usual daily calls, days running."""

from __future__ import annotations

import logging

import pandas as pd

from metrics.activity import daily_activity
from metrics.alerts.model import DEFAULT_RULES, Alert, AlertRules, mention
from metrics.alerts.recent import recent_days
from metrics.frames import DateLike
from metrics.trend import baseline, rep_weeks

logger = logging.getLogger(__name__)

RULE = "activity_below_baseline"


def activity_below_baseline(
    entries: pd.DataFrame,
    checkins: pd.DataFrame,
    expected: pd.DataFrame,
    as_of: DateLike,
    rules: AlertRules = DEFAULT_RULES,
) -> list[Alert]:
    """Reps whose calls were under baseline_share of their baseline on each of their last
    baseline_days expected workdays.

    The baseline is calls per expected day over the rep's previous baseline_weeks working
    weeks before this one; a rep with fewer than min_baseline_weeks of history is skipped.
    A day without a check-in breaks the run: missing numbers are missed_checkins' concern.
    """
    base = (
        baseline(rep_weeks(entries, expected), "rep_id", as_of, rules.baseline_weeks)
        .loc[lambda f: f["baseline_weeks"] >= rules.min_baseline_weeks]
        .loc[lambda f: f["baseline_daily"] > 0]
    )
    calls = daily_activity(entries).loc[:, ["rep_id", "work_date", "calls"]]
    days = (
        recent_days(checkins, expected, as_of, rules.baseline_days)
        .merge(calls, on=["rep_id", "work_date"], how="left")
        .fillna({"calls": 0})
        .merge(base, on="rep_id")
        .assign(
            low=lambda f: (
                f["checked_in"] & (f["calls"] < rules.baseline_share * f["baseline_daily"])
            )
        )
    )
    alerts = [_alert(run, rules) for _, run in days.groupby("rep_id") if run["low"].all()]
    logger.debug("%s: %d of %d reps flagged", RULE, len(alerts), days["rep_id"].nunique())
    return alerts


def _alert(run: pd.DataFrame, rules: AlertRules) -> Alert:
    rep_id, usual = str(run["rep_id"].iloc[0]), float(run["baseline_daily"].iloc[0])
    average = float(run["calls"].mean())
    return Alert(
        rule=RULE,
        team=str(run["team"].iloc[-1]),
        rep_id=rep_id,
        window_start=run["work_date"].iloc[0].date(),
        window_end=run["work_date"].iloc[-1].date(),
        numbers={
            "days": len(run),
            "average_calls": round(average, 1),
            "baseline_daily": round(usual, 1),
            "threshold": round(rules.baseline_share * usual, 1),
        },
        message=(
            f"{mention(rep_id)} averaged {average:.1f} calls a day over the last {len(run)} "
            f"workdays, under {rules.baseline_share:.0%} of their usual {usual:.1f}."
        ),
        next_step="Ask what changed this week and whether something blocks their calls.",
    )
