"""Rule missed_checkins: a rep who has not checked in for several expected workdays."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import pandas as pd

from metrics.alerts.model import DEFAULT_RULES, Alert, AlertRules, mention
from metrics.compliance import runs, settled_days
from metrics.frames import DateLike, to_day, with_dates

logger = logging.getLogger(__name__)

RULE = "missed_checkins"


def missed_checkins(
    checkins: pd.DataFrame,
    expected: pd.DataFrame,
    as_of: DateLike,
    rules: AlertRules = DEFAULT_RULES,
    earlier_checkins: Mapping[str, DateLike] | None = None,
) -> list[Alert]:
    """Reps who missed their last missed_days expected workdays or more, in a row.

    Days off and holidays are not expected, so they neither count nor break the run; today
    counts only once it is over. The frames cover a window; `earlier_checkins` gives each
    rep's last check-in before it, however long ago.

    NOTE: a rep with no check-in in the window has missed every expected day it shows and
    perhaps days before it, which the frames cannot count; their count is worded as a floor
    ("at least 25 workdays") next to the last check-in on record.
    """
    missing = runs(checkins, expected, as_of).loc[lambda f: f["missed_run"] >= rules.missed_days]
    missed = settled_days(checkins, expected, as_of).loc[lambda f: ~f["checked_in"]]
    recent = (
        with_dates(checkins)
        .loc[lambda f: f["work_date"] <= to_day(as_of)]
        .groupby("rep_id")["work_date"]
        .max()
    )
    earlier = {rep: to_day(day) for rep, day in (earlier_checkins or {}).items()}

    alerts = []
    for _, row in missing.iterrows():
        rep = row["rep_id"]
        days = missed.loc[missed["rep_id"] == rep].tail(int(row["missed_run"]))
        in_window = recent.get(rep)
        last = in_window if in_window is not None else earlier.get(rep)
        alerts.append(_alert(days, last, floor=in_window is None))
    logger.debug("%s: %d reps flagged", RULE, len(alerts))
    return alerts


def _alert(days: pd.DataFrame, last: pd.Timestamp | None, floor: bool) -> Alert:
    """`floor`: the run may reach back before the window, so its length is a lower bound."""
    rep_id, count = str(days["rep_id"].iloc[0]), len(days)
    since = "no check-in yet" if last is None else f"last check-in {last:%a %d %b}"
    run = f"at least {count}" if floor else str(count)
    return Alert(
        rule=RULE,
        team=str(days["team"].iloc[-1]),
        rep_id=rep_id,
        window_start=days["work_date"].iloc[0].date(),
        window_end=days["work_date"].iloc[-1].date(),
        numbers={
            "missed_days": count,
            "last_checkin": "" if last is None else last.date().isoformat(),
        },
        message=f"{mention(rep_id)} has not checked in for {run} workdays in a row ({since}).",
        next_step="Check they are not off or stuck, and log a day off if they were away.",
    )
