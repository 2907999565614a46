"""Week-to-date pace: calls so far against the weekly target, projected to the end of the week."""

from __future__ import annotations

import logging

import pandas as pd

from metrics.compliance import settled_days
from metrics.frames import DateLike, between, iso_week_label, to_day, week_start

logger = logging.getLogger(__name__)

PACE_COLUMNS = [
    "rep_id",
    "team",
    "week_start",
    "week",
    "calls",
    "target",
    "workdays_elapsed",
    "workdays_in_week",
    "workdays_left",
    "projected",
    "projected_pct",
]


def pace(
    entries: pd.DataFrame,
    checkins: pd.DataFrame,
    expected: pd.DataFrame,
    targets: pd.DataFrame,
    as_of: DateLike,
) -> pd.DataFrame:
    """Pace of every rep expected to work in the ISO week of `as_of`.

    projected = calls so far / expected workdays elapsed x expected workdays in the week;
    a day is elapsed once it is over (today only after the rep checked in). So today stays
    among workdays_left until the rep reports it: the calls so far do not hold today's yet,
    and calls so far plus the days left make up the week. Every surface (prompt, reminder,
    App Home, /stats, alerts, nudges) reads workdays_left from here. projected is NaN
    before the first elapsed day, and target and projected_pct are NaN for a rep without
    a target. Columns: see PACE_COLUMNS; projected_pct is a percentage (100 = on target).

    When `targets` has a workdays_per_week column (the rep's usual working days), a week
    shortened by a holiday or days off is measured against its share of the target: four
    expected days of a five-day week carry 4/5 of it.
    """
    monday = week_start(as_of)
    sunday = monday + pd.Timedelta(days=6)

    in_week = between(expected, monday, sunday).groupby("rep_id").size()
    elapsed = between(settled_days(checkins, expected, as_of), monday, sunday).groupby("rep_id")
    calls = between(entries, monday, to_day(as_of)).groupby("rep_id")["count"].sum()

    frame = (
        between(expected, monday, sunday)
        .drop_duplicates("rep_id", keep="last")
        .loc[:, ["rep_id", "team"]]
        .assign(
            week_start=monday,
            week=iso_week_label(monday),
            calls=lambda f: f["rep_id"].map(calls).fillna(0).astype("int64"),
            workdays_elapsed=lambda f: f["rep_id"].map(elapsed.size()).fillna(0).astype("int64"),
            workdays_in_week=lambda f: f["rep_id"].map(in_week).astype("int64"),
        )
        .assign(target=lambda f: _week_targets(f, targets))
        .assign(workdays_left=lambda f: f["workdays_in_week"] - f["workdays_elapsed"])
        .assign(projected=_projected)
        .assign(projected_pct=lambda f: 100 * f["projected"] / f["target"].where(f["target"] > 0))
        .loc[:, PACE_COLUMNS]
        .sort_values("rep_id")
        .reset_index(drop=True)
    )
    logger.debug("Pace for %d reps in %s", len(frame), iso_week_label(monday))
    return frame


def _projected(frame: pd.DataFrame) -> pd.Series:
    elapsed = frame["workdays_elapsed"].where(frame["workdays_elapsed"] > 0)
    return frame["calls"] / elapsed * frame["workdays_in_week"]


def _week_targets(frame: pd.DataFrame, targets: pd.DataFrame) -> pd.Series:
    """Each rep's target for this week: the weekly target, pro rata for a short week."""
    per_rep = targets.drop_duplicates("rep_id", keep="last").set_index("rep_id")
    weekly = frame["rep_id"].map(per_rep["weekly_calls"]).astype("float64")
    if "workdays_per_week" not in per_rep:
        return weekly
    usual = frame["rep_id"].map(per_rep["workdays_per_week"]).astype("float64")
    share = (frame["workdays_in_week"] / usual.where(usual > 0)).clip(upper=1.0).fillna(1.0)
    return weekly * share
