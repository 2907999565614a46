"""Rule low_conversion: a call type converting under a floor on enough calls to be sure."""

from __future__ import annotations

import logging
from typing import Literal

import pandas as pd

from metrics.alerts.model import DEFAULT_RULES, Alert, AlertRules, mention, rate_text
from metrics.conversion import conversion
from metrics.frames import DateLike, OutcomeFlags, between, to_day, window_start

logger = logging.getLogger(__name__)

RULE = "low_conversion"

# What each rate divides by: a rate on a handful of connects is noise, not a trend.
BASIS = {"connect_rate": "calls", "meeting_rate": "connects", "win_rate": "meetings"}

SENTENCE = {
    "connect_rate": "connected on {rate} of calls",
    "meeting_rate": "turned {rate} of connects into meetings",
    "win_rate": "won {rate} of meetings",
}


def low_conversion(
    entries: pd.DataFrame,
    outcome_flags: OutcomeFlags,
    as_of: DateLike,
    rules: AlertRules = DEFAULT_RULES,
    level: Literal["rep", "team"] = "rep",
) -> list[Alert]:
    """Call types whose conversion_rate is under conversion_floor over the last
    conversion_weeks ISO weeks (this one included, so up to `as_of`), per rep or per team.
    The message names the window's first day rather than a number of weeks, since the
    current week is only partly over.

    Only groups with at least conversion_min_calls calls are judged, and only when the
    rate rests on at least conversion_min_basis of what it divides by (connects for the
    meeting rate); a rate with nothing to divide by (no connects, so no meeting rate)
    counts as zero once the calls are there.
    """
    basis = BASIS[rules.conversion_rate]
    first, last = window_start(as_of, rules.conversion_weeks), to_day(as_of)
    keys = ["team", "rep_id", "call_type"] if level == "rep" else ["team", "call_type"]
    low = (
        between(entries, first, last)
        .pipe(conversion, outcome_flags, keys)
        .loc[lambda f: f["calls"] >= rules.conversion_min_calls]
        .loc[lambda f: (f[basis] == 0) | (f[basis] >= rules.conversion_min_basis)]
        .assign(rate=lambda f: f[rules.conversion_rate].fillna(0.0))
        .loc[lambda f: f["rate"] < rules.conversion_floor]
    )
    alerts = [_alert(row, first, last, rules) for _, row in low.iterrows()]
    logger.debug("%s (%s level): %d groups flagged", RULE, level, len(alerts))
    return alerts


def _alert(row: pd.Series, first: pd.Timestamp, last: pd.Timestamp, rules: AlertRules) -> Alert:
    rep_id = str(row["rep_id"]) if "rep_id" in row.index else None
    who = mention(rep_id) if rep_id else f"Team {row['team']}"
    rate_name = rules.conversion_rate
    what = SENTENCE[rate_name].format(rate=rate_text(row["rate"], under=rules.conversion_floor))
    return Alert(
        rule=RULE,
        team=str(row["team"]),
        rep_id=rep_id,
        window_start=first.date(),
        window_end=last.date(),
        numbers={
            "call_type": str(row["call_type"]),
            "calls": int(row["calls"]),
            "connects": int(row["connects"]),
            "meetings": int(row["meetings"]),
            "wins": int(row["wins"]),
            rate_name: round(float(row["rate"]), 4),
            "floor": rules.conversion_floor,
        },
        message=(
            f"{who}'s {row['call_type']} calls {what} "
            f"since {first:%a %d %b} ({int(row['calls'])} calls), "
            f"under the {rate_text(rules.conversion_floor)} floor."
        ),
        next_step=f"Listen to a few {row['call_type']} calls together and tighten the pitch.",
        topic=str(row["call_type"]),
    )
