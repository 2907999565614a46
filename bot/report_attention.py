"""Which reps the weekly report asks a manager to look at, and the one reason for each."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pandas as pd

from bot.blocks.report import RepFlag
from bot.dataset import Dataset
from bot.settings import Settings
from metrics.alerts.model import DEFAULT_RULES
from metrics.pace import pace
from metrics.trend import BASELINE_WEEKS, rep_trend

logger = logging.getLogger(__name__)

REASON_ORDER = ("missed_checkins", "behind_target", "below_baseline")
"""Missed check-ins come first: until a rep logs every day, their call numbers mislead."""


def needs_attention(
    data: Dataset, settings: Settings, monday: date, days: pd.DataFrame
) -> tuple[RepFlag, ...]:
    """The reps to look at in the week starting `monday`, most pressing reason first.

    `days` is the week's expected days with a checked_in column (compliance.settled_days).
    Within a reason, the rep furthest off comes first.
    """
    found: dict[str, RepFlag] = {}
    candidates = [
        *_missed_checkins(days),
        *_behind_target(data, settings, monday),
        *_below_baseline(data, settings, monday),
    ]
    for flag in candidates:
        found.setdefault(flag.rep_id, flag)

    flags = sorted(found.values(), key=_urgency)
    logger.debug("%d of the reps need attention in the week of %s", len(flags), monday)
    return tuple(flags)


def _urgency(flag: RepFlag) -> tuple[int, float, str]:
    share = flag.actual / flag.expected if flag.expected else 0.0
    return REASON_ORDER.index(flag.reason), share, flag.rep_id


def _missed_checkins(days: pd.DataFrame) -> list[RepFlag]:
    flags = []
    for rep_id, rows in days.groupby("rep_id"):
        missed = rows.loc[~rows["checked_in"], "work_date"]
        if len(missed):
            flags.append(
                RepFlag(
                    rep_id=str(rep_id),
                    reason="missed_checkins",
                    actual=int(rows["checked_in"].sum()),
                    expected=len(rows),
                    missed=tuple(day.date() for day in missed),
                )
            )
    return flags


def _behind_target(data: Dataset, settings: Settings, monday: date) -> list[RepFlag]:
    """Reps whose week fell short of the pace floor (projected, if a day was still open);
    a week shortened by a holiday or days off is held to its share of the target."""
    sunday = monday + timedelta(days=6)
    week = pace(data.entries, data.checkins, data.expected, data.targets, sunday)
    behind = week.loc[week["projected_pct"] < settings.alerts.behind_pace_pct]
    return [
        RepFlag(
            rep_id=str(row["rep_id"]),
            reason="behind_target",
            actual=int(row["calls"]),
            expected=float(row["target"]),
        )
        for row in behind.to_dict("records")
    ]


def _below_baseline(data: Dataset, settings: Settings, monday: date) -> list[RepFlag]:
    """Reps far under their own average per workday, over as many workdays as this week had.

    Scaling by workdays keeps a holiday week from reading as a slump.
    """
    trend = rep_trend(data.entries, data.expected, monday, BASELINE_WEEKS).assign(
        usual=lambda f: f["baseline_daily"] * f["workdays"]
    )
    floor = settings.alerts.below_baseline_pct / 100
    below = trend.loc[
        (trend["baseline_weeks"] >= DEFAULT_RULES.min_baseline_weeks)
        & (trend["calls"] < floor * trend["usual"])
    ]
    return [
        RepFlag(
            rep_id=str(row["rep_id"]),
            reason="below_baseline",
            actual=int(row["calls"]),
            expected=round(float(row["usual"])),
            workdays=int(row["workdays"]),
        )
        for row in below.to_dict("records")
    ]
