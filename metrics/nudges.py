"""One line of useful context for a rep's check-in prompt: pace, a neglected call type, a streak."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from metrics.compliance import settled_days
from metrics.frames import DateLike, between, to_day, week_start, week_starts, with_dates
from metrics.trend import rep_weeks

logger = logging.getLogger(__name__)

Labels = Mapping[str, str] | Sequence[tuple[str, str]]


def neglected_call_types(
    entries: pd.DataFrame,
    checkins: pd.DataFrame,
    expected: pd.DataFrame,
    call_type_targets: pd.DataFrame,
    as_of: DateLike,
    weeks: int = 4,
) -> pd.DataFrame:
    """Call types a rep has not touched this week although their target or habit says they
    should have made at least one by now.

    "By now" scales the weekly figure by the share of this week's expected workdays that
    are over. The target wins over the habit (usual = mean weekly calls of that type over
    the previous `weeks` working weeks). Columns: rep_id, call_type, target, usual,
    by_now, reason ("target" or "usual"); the most overdue first per rep.
    """
    monday = week_start(as_of)
    sunday = monday + pd.Timedelta(days=6)
    in_week = between(expected, monday, sunday).groupby("rep_id").size()
    elapsed = (
        between(settled_days(checkins, expected, as_of), monday, sunday).groupby("rep_id").size()
    )
    share = (elapsed / in_week).dropna().rename("share").rename_axis("rep_id").reset_index()
    done = (
        between(entries, monday, to_day(as_of))
        .groupby(["rep_id", "call_type"], as_index=False)
        .agg(done=("count", "sum"))
    )

    return (
        _usual(entries, expected, monday, weeks)
        .merge(_targets(call_type_targets), on=["rep_id", "call_type"], how="outer")
        .merge(share, on="rep_id")
        .assign(
            reason=lambda f: f["target"].gt(0).map({True: "target", False: "usual"}),
            weekly=lambda f: f["target"].where(f["target"] > 0, f["usual"]),
        )
        .assign(by_now=lambda f: f["weekly"] * f["share"])
        .merge(done, on=["rep_id", "call_type"], how="left")
        .loc[lambda f: (f["by_now"] >= 1) & (f["done"].fillna(0) == 0)]
        .sort_values(["rep_id", "by_now", "call_type"], ascending=[True, False, True])
        .loc[:, ["rep_id", "call_type", "target", "usual", "by_now", "reason"]]
        .reset_index(drop=True)
    )


def _usual(
    entries: pd.DataFrame, expected: pd.DataFrame, monday: pd.Timestamp, weeks: int
) -> pd.DataFrame:
    """Mean weekly calls per rep and call type over their last `weeks` working weeks."""
    history = (
        rep_weeks(entries, expected)
        .loc[lambda f: f["week_start"] < monday]
        .groupby("rep_id")
        .tail(weeks)
    )
    span = history.groupby("rep_id", as_index=False).agg(span=("week_start", "size"))
    return (
        with_dates(entries)
        .assign(week_start=lambda f: week_starts(f["work_date"]))
        .merge(history.loc[:, ["rep_id", "week_start"]], on=["rep_id", "week_start"])
        .groupby(["rep_id", "call_type"], as_index=False)
        .agg(calls=("count", "sum"))
        .merge(span, on="rep_id")
        .assign(usual=lambda f: f["calls"] / f["span"])
        .loc[:, ["rep_id", "call_type", "usual"]]
    )


def _targets(call_type_targets: pd.DataFrame) -> pd.DataFrame:
    return call_type_targets.loc[:, ["rep_id", "call_type", "weekly_calls"]].rename(
        columns={"weekly_calls": "target"}
    )


def pick_nudge(
    rep_id: str,
    pace: pd.DataFrame,
    compliance: pd.DataFrame,
    neglected: pd.DataFrame,
    labels: Labels = (),
    min_streak: int = 3,
    progress_shown: bool = False,
) -> str | None:
    """At most one line for the rep, or None, in a fixed order of usefulness:

    1. behind pace on their weekly target: "31 of 50 calls, 2 workdays left";
    2. a call type untouched this week: "No Demo calls yet this week; your target is 8";
    3. a check-in streak of at least `min_streak`: "5-day check-in streak";
    4. on pace: the same line as 1.
    When the message already shows the week's progress (`progress_shown`), 1 becomes the
    projected end of week and 4 is dropped, so the nudge never repeats the numbers.
    `pace`, `compliance` and `neglected` are the outputs of pace(), compliance() and
    neglected_call_types(); `labels` maps call type keys to what reps see.
    """
    mine = pace.loc[pace["rep_id"] == rep_id]
    progress = _progress(mine.iloc[0]) if len(mine) else None
    behind = progress is not None and bool(mine["projected_pct"].iloc[0] < 100)
    if progress_shown:
        progress = _projection(mine.iloc[0]) if behind else None

    skipped = neglected.loc[neglected["rep_id"] == rep_id]
    streak = compliance.loc[compliance["rep_id"] == rep_id, "streak"]

    if behind:
        return progress
    if len(skipped):
        return _skipped(skipped.iloc[0], dict(labels))
    if len(streak) and int(streak.iloc[0]) >= min_streak:
        return f"{int(streak.iloc[0])}-day check-in streak"
    return progress


def _progress(row: pd.Series) -> str | None:
    """The pace line, when there is a target, days left and at least one day to go on."""
    if pd.isna(row["target"]) or row["workdays_left"] < 1 or row["workdays_elapsed"] < 1:
        return None
    left = int(row["workdays_left"])
    return (
        f"{int(row['calls'])} of {row['target']:.0f} calls, "
        f"{left} workday{'s' if left != 1 else ''} left"
    )


def _projection(row: pd.Series) -> str:
    return f"At this pace the week ends near {row['projected']:.0f} of {row['target']:.0f} calls"


def _skipped(row: pd.Series, labels: Mapping[str, str]) -> str:
    label = labels.get(str(row["call_type"]), str(row["call_type"]))
    if row["reason"] == "target":
        return f"No {label} calls yet this week; your target is {row['target']:.0f}"
    return f"No {label} calls yet this week; you usually make about {row['usual']:.0f}"
