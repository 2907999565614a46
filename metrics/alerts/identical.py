"""Rule identical_numbers: a rep logging exactly the same grid day after day."""

from __future__ import annotations

import logging

import pandas as pd

from metrics.alerts.model import DEFAULT_RULES, Alert, AlertRules, mention
from metrics.alerts.recent import recent_days
from metrics.frames import DateLike, with_dates

logger = logging.getLogger(__name__)

RULE = "identical_numbers"


def identical_numbers(
    entries: pd.DataFrame,
    checkins: pd.DataFrame,
    expected: pd.DataFrame,
    as_of: DateLike,
    rules: AlertRules = DEFAULT_RULES,
) -> list[Alert]:
    """Reps whose last identical_days expected workdays were all checked in with the same,
    non-empty grid of call type x outcome counts: a hint the numbers are copied forward.
    """
    days = (
        recent_days(checkins, expected, as_of, rules.identical_days)
        .merge(_grids(entries), on=["rep_id", "work_date"], how="left")
        .fillna({"grid": ""})
    )
    same = days.groupby("rep_id").filter(
        lambda run: (
            bool(run["checked_in"].all())
            and run["grid"].nunique() == 1
            and run["grid"].iloc[0] != ""
        )
    )
    alerts = [_alert(run) for _, run in same.groupby("rep_id")]
    logger.debug("%s: %d reps flagged", RULE, len(alerts))
    return alerts


def _grids(entries: pd.DataFrame) -> pd.DataFrame:
    """One text fingerprint of each rep's day: its sorted call type, outcome and count cells."""
    return (
        with_dates(entries)
        .loc[lambda f: f["count"] > 0]
        .sort_values(["rep_id", "work_date", "call_type", "outcome"])
        .assign(cell=lambda f: f["call_type"] + ":" + f["outcome"] + "=" + f["count"].astype(str))
        .groupby(["rep_id", "work_date"], as_index=False)
        .agg(grid=("cell", ";".join))
    )


def _alert(run: pd.DataFrame) -> Alert:
    rep_id = str(run["rep_id"].iloc[0])
    return Alert(
        rule=RULE,
        team=str(run["team"].iloc[-1]),
        rep_id=rep_id,
        window_start=run["work_date"].iloc[0].date(),
        window_end=run["work_date"].iloc[-1].date(),
        numbers={"days": len(run), "grid": str(run["grid"].iloc[0])},
        message=(
            f"{mention(rep_id)} logged exactly the same numbers on each of the last "
            f"{len(run)} workdays."
        ),
        next_step="Ask whether the numbers are copied from an earlier day or really repeat.",
    )
