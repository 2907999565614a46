"""Rule plan_link_off: a link of a team's plan well under plan for weeks running."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import pandas as pd

from metrics.alerts.model import DEFAULT_RULES, Alert, AlertRules, Number
from metrics.frames import DateLike, OutcomeFlags, week_start
from metrics.plan import SHORTFALL, Plan
from metrics.plan_weeks import plan_by_week

logger = logging.getLogger(__name__)

RULE = "plan_link_off"

MIN_REP_WEEKS = 1.0
"""Calls per rep over less than one rep's full week of expected work are too thin to judge."""

NAME = {
    "calls_per_rep": "Calls per rep",
    "connect_rate": "The connect rate",
    "meeting_rate": "The meeting rate",
    "win_rate": "The win rate",
}
NEXT_STEP = {
    "calls_per_rep": "Look at calendars with the team: is there room for enough call blocks?",
    "connect_rate": "Review call lists and calling hours; the numbers dialled may be stale.",
    "meeting_rate": "Work on the ask: role-play how reps turn a conversation into a meeting.",
    "win_rate": "Go through late-stage deals with the team and see where they stall.",
}


def plan_link_off(
    entries: pd.DataFrame,
    expected: pd.DataFrame,
    plans: Mapping[str, Plan],
    outcome_flags: OutcomeFlags,
    as_of: DateLike,
    rules: AlertRules = DEFAULT_RULES,
    workdays_per_week: Mapping[str, float] | None = None,
) -> list[Alert]:
    """Links more than plan_margin under plan in each of the last plan_weeks full weeks.

    The weeks judged are the complete ISO weeks before the week of `as_of`. Calls per rep
    count rep-weeks of expected workdays (see weekly_actuals for `workdays_per_week`), so
    a holiday week is held to its share of the plan. A rate over fewer than
    plan_min_basis calls, connects or meetings in a week, or calls per rep over less than
    MIN_REP_WEEKS, is too thin to judge, so that week does not count as off. Teams without
    a plan are skipped. Running ahead of plan never fires.
    """
    end = week_start(as_of) - pd.Timedelta(days=1)
    alerts: list[Alert] = []
    for team, plan in plans.items():
        weekly = plan_by_week(
            entries, expected, plan, outcome_flags, team, end, rules.plan_weeks, workdays_per_week
        )
        for link, weeks in weekly.groupby("link", sort=False):
            if _off_every_week(weeks, str(link), rules):
                alerts.append(_alert(team, str(link), weeks))
    logger.debug("%s: %d links flagged over %d teams", RULE, len(alerts), len(plans))
    return alerts


def _off_every_week(weeks: pd.DataFrame, link: str, rules: AlertRules) -> bool:
    floor = MIN_REP_WEEKS if link == "calls_per_rep" else rules.plan_min_basis
    thick = weeks["basis"] >= floor
    off = weeks["ratio"] < 1 - rules.plan_margin
    return len(weeks) == rules.plan_weeks and bool((thick & off).all())


def _alert(team: str, link: str, weeks: pd.DataFrame) -> Alert:
    planned = float(weeks["planned"].iloc[-1])
    mildest = float(weeks["off_by_pct"].max())
    per_week: dict[str, Number] = {}
    for _, week in weeks.iterrows():
        per_week[f"actual_{week['week']}"] = round(float(week["actual"]), 3)
        per_week[f"off_by_pct_{week['week']}"] = round(float(week["off_by_pct"]), 1)
    return Alert(
        rule=RULE,
        team=team,
        rep_id=None,
        window_start=weeks["week_start"].iloc[0].date(),
        window_end=(weeks["week_start"].iloc[-1] + pd.Timedelta(days=6)).date(),
        numbers={"link": link, "planned": planned, **per_week},
        message=(
            f"Team {team}: {SHORTFALL[link]}. {NAME[link]} has been at least "
            f"{-mildest:.0f}% under plan ({_shown(planned)}) for {len(weeks)} weeks running."
        ),
        next_step=NEXT_STEP[link],
        topic=link,
    )


def _shown(value: float) -> str:
    return f"{value:.0%}" if value < 1 else f"{value:.0f}"
