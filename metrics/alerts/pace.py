"""Rule behind_pace: from midweek, a rep projected well short of their weekly target."""

from __future__ import annotations

import logging

import pandas as pd

from metrics.alerts.model import DEFAULT_RULES, Alert, AlertRules, mention
from metrics.frames import DateLike, to_day
from metrics.pace import pace

logger = logging.getLogger(__name__)

RULE = "behind_pace"


def behind_pace(
    entries: pd.DataFrame,
    checkins: pd.DataFrame,
    expected: pd.DataFrame,
    targets: pd.DataFrame,
    as_of: DateLike,
    rules: AlertRules = DEFAULT_RULES,
) -> list[Alert]:
    """Reps whose projected week is under pace_floor_pct of target, from pace_from_weekday.

    Reps without a target, or with no elapsed workday yet, never fire.
    """
    today = to_day(as_of)
    if today.weekday() < rules.pace_from_weekday:
        return []

    behind = pace(entries, checkins, expected, targets, today).loc[
        lambda f: f["projected_pct"] < rules.pace_floor_pct
    ]
    alerts = [_alert(row, today) for _, row in behind.iterrows()]
    logger.debug("%s: %d reps flagged", RULE, len(alerts))
    return alerts


def _alert(row: pd.Series, today: pd.Timestamp) -> Alert:
    rep_id, left = str(row["rep_id"]), int(row["workdays_left"])
    projected, target = float(row["projected"]), float(row["target"])
    return Alert(
        rule=RULE,
        team=str(row["team"]),
        rep_id=rep_id,
        window_start=row["week_start"].date(),
        window_end=today.date(),
        numbers={
            "calls": int(row["calls"]),
            "target": target,
            "projected": round(projected, 1),
            "projected_pct": round(float(row["projected_pct"]), 1),
            "workdays_left": left,
        },
        message=(
            f"{mention(rep_id)} is on pace for {projected:.0f} of {target:.0f} calls this week "
            f"({row['projected_pct']:.0f}%), with {left} workday{'s' if left != 1 else ''} left."
        ),
        next_step="Agree on a call block for the rest of the week, or reset the target.",
    )
