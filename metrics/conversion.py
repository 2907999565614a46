"""Connect, meeting and win rates by call type, with the counts behind each rate."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pandas as pd

from metrics.frames import DateLike, OutcomeFlags, between, to_day, window_start

logger = logging.getLogger(__name__)

COUNTS = ("calls", "connects", "meetings", "wins")
FLAG_OF = {"connects": "connect", "meetings": "meeting", "wins": "win"}
RATES = {
    "connect_rate": ("connects", "calls"),
    "meeting_rate": ("meetings", "connects"),
    "win_rate": ("wins", "meetings"),
}
"""Each rate as (numerator, denominator): every link of the funnel divides by the one before."""


def counted(entries: pd.DataFrame, outcome_flags: OutcomeFlags) -> pd.DataFrame:
    """The entries with calls, connects, meetings and wins columns (int64) on every row.

    An outcome missing from `outcome_flags` counts as a call and nothing else.
    """
    calls = entries["count"].astype("int64")
    return entries.assign(
        calls=calls,
        **{
            column: calls.where(entries["outcome"].isin(_outcomes_with(outcome_flags, flag)), 0)
            for column, flag in FLAG_OF.items()
        },
    )


def _outcomes_with(outcome_flags: OutcomeFlags, flag: str) -> list[str]:
    return sorted(key for key, flags in outcome_flags.items() if flag in flags)


def with_rates(counts: pd.DataFrame) -> pd.DataFrame:
    """Add connect_rate, meeting_rate and win_rate; a rate over a zero count is NaN.

    Rates are ratios of counts in the same window, not a per-call funnel: a win logged on a
    closing call need not follow a meeting logged in the window, so win_rate may exceed 1.
    """
    return counts.assign(
        **{
            rate: counts[top].astype("float64") / counts[bottom].where(counts[bottom] > 0)
            for rate, (top, bottom) in RATES.items()
        }
    )


def conversion(
    entries: pd.DataFrame, outcome_flags: OutcomeFlags, by: Sequence[str] = ("call_type",)
) -> pd.DataFrame:
    """Counts and rates per group: *by, calls, connects, meetings, wins, and the three rates.

    `by` names entry columns (rep_id, team, call_type, ...); an empty `by` gives one total row.
    """
    keys = list(by)
    totals = (
        counted(entries, outcome_flags).groupby(keys, as_index=False, sort=True)[list(COUNTS)].sum()
        if keys
        else counted(entries, outcome_flags).loc[:, list(COUNTS)].sum().to_frame().T
    )
    return totals.astype({column: "int64" for column in COUNTS}).pipe(with_rates)


def no_business(
    entries: pd.DataFrame,
    outcome_flags: OutcomeFlags,
    end: DateLike,
    weeks: int = 4,
    min_calls: int = 30,
    by: Sequence[str] = ("call_type",),
) -> pd.DataFrame:
    """Conversion over the `weeks` ISO weeks ending with the week of `end`, plus a flag.

    Adds window_start, window_end and no_business: True where a group made at least
    `min_calls` calls but booked no meeting and won nothing. Fewer calls never flag.
    """
    first, last = window_start(end, weeks), to_day(end)
    return (
        between(entries, first, last)
        .pipe(conversion, outcome_flags, by)
        .assign(
            window_start=first,
            window_end=last,
            no_business=lambda f: (
                (f["calls"] >= min_calls) & (f["meetings"] == 0) & (f["wins"] == 0)
            ),
        )
    )
