"""The business plan against the actuals, link by link, and which link explains the gap."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

import pandas as pd

from metrics.conversion import with_rates
from metrics.frames import DateLike, OutcomeFlags, to_day, window_start
from metrics.plan_gap import attribute_gap
from metrics.plan_weeks import plan_by_call_type, weekly_actuals

logger = logging.getLogger(__name__)

SHORTFALL = {
    "calls_per_rep": "not enough activity",
    "connect_rate": "calls don't connect",
    "meeting_rate": "connects don't turn into meetings",
    "win_rate": "meetings don't turn into wins",
    "deal_value": "deals are smaller than planned",
}
"""Each link of the chain, in funnel order, and what falling short on it means."""


@dataclass(frozen=True)
class Plan:
    """A team's plan: weekly calls per rep, the three conversion rates, average deal value.

    Rates are fractions: connect_rate = connects / calls, meeting_rate = meetings /
    connects, win_rate = wins / meetings. Planned weekly revenue is reps x the product.
    """

    calls_per_rep: float
    connect_rate: float
    meeting_rate: float
    win_rate: float
    deal_value: float

    def __post_init__(self) -> None:
        for link, value in self.links().items():
            if not value > 0:
                raise ValueError(f"plan {link} must be a positive number; got {value!r}")

    def links(self) -> dict[str, float]:
        return {field.name: float(getattr(self, field.name)) for field in fields(self)}

    def weekly_revenue(self, reps: float) -> float:
        return reps * math.prod(self.links().values())


@dataclass(frozen=True)
class PlanGap:
    """One team's plan against its actuals over a window; revenue figures are per week.

    `reps` is the average rep-weeks a working week (see weekly_actuals): short weeks count
    their share, so the planned revenue asks for no calls on holidays or days off.
    """

    team: str
    window_start: pd.Timestamp
    window_end: pd.Timestamp
    weeks: int
    reps: float
    planned_revenue: float
    implied_revenue: float
    gap: float
    gap_pct: float
    main_link: str | None
    explanation: str
    worst_call_type: str | None


def plan_vs_actual(
    entries: pd.DataFrame,
    expected: pd.DataFrame,
    plan: Plan,
    outcome_flags: OutcomeFlags,
    team: str,
    end: DateLike,
    weeks: int = 4,
    actual_deal_value: float | None = None,
    workdays_per_week: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, PlanGap]:
    """The plan link by link against the last `weeks` ISO weeks up to `end`, and the gap.

    Returns a frame with one row per link in funnel order (link, planned, actual, ratio,
    off_by_pct, contribution, meaning) and a PlanGap summary. contribution is the link's
    share of implied minus planned weekly revenue (see attribute_gap); they add up to the
    gap. Headcount is the actual one on both sides, in rep-weeks of expected workdays (see
    weekly_actuals for `workdays_per_week`), so the gap is about the links only.

    NOTE: entries carry no deal values, so unless `actual_deal_value` is given the plan's
    value is assumed and that link never explains any of the gap.
    """
    first, last = window_start(end, weeks), to_day(end)
    weekly = weekly_actuals(entries, expected, outcome_flags, team, first, last, workdays_per_week)
    totals = weekly.loc[:, ["reps", "calls", "connects", "meetings", "wins"]].sum()
    working_weeks = len(weekly)
    deal_value = plan.deal_value if actual_deal_value is None else actual_deal_value

    actual = _window_links(totals, deal_value)
    ratios = {link: actual[link] / planned for link, planned in plan.links().items()}
    reps = float(totals["reps"]) / working_weeks if working_weeks else math.nan
    planned_revenue = plan.weekly_revenue(reps)
    implied_revenue = (
        float(totals["wins"]) / working_weeks * deal_value if working_weeks else math.nan
    )
    contributions = (
        attribute_gap(planned_revenue, implied_revenue, ratios)
        if working_weeks
        else dict.fromkeys(ratios, math.nan)
    )

    links = _links_frame(plan, actual, contributions)
    by_type = plan_by_call_type(entries, expected, plan, outcome_flags, team, last, weeks)
    summary = _summary(team, first, last, working_weeks, reps, planned_revenue, implied_revenue)
    summary = _explained(summary, links, by_type)
    logger.debug("Plan for %s: gap %.2f per week, mainly %s", team, summary.gap, summary.main_link)
    return links, summary


def _window_links(totals: pd.Series, deal_value: float) -> dict[str, float]:
    """The actual links over the whole window, from the summed weekly counts."""
    counts = totals.drop("reps").to_frame().T.astype("int64")
    rates = with_rates(counts).iloc[0]
    rep_weeks = float(totals["reps"])
    return {
        "calls_per_rep": float(totals["calls"]) / rep_weeks if rep_weeks else math.nan,
        "connect_rate": float(rates["connect_rate"]),
        "meeting_rate": float(rates["meeting_rate"]),
        "win_rate": float(rates["win_rate"]),
        "deal_value": float(deal_value),
    }


def _links_frame(
    plan: Plan, actual: dict[str, float], contributions: dict[str, float]
) -> pd.DataFrame:
    return (
        pd.DataFrame(
            {
                "link": list(SHORTFALL),
                "planned": [plan.links()[link] for link in SHORTFALL],
                "actual": [actual[link] for link in SHORTFALL],
                "contribution": [contributions[link] for link in SHORTFALL],
                "meaning": list(SHORTFALL.values()),
            }
        )
        .assign(ratio=lambda f: f["actual"] / f["planned"])
        .assign(off_by_pct=lambda f: 100 * (f["ratio"] - 1))
        .loc[:, ["link", "planned", "actual", "ratio", "off_by_pct", "contribution", "meaning"]]
    )


def _summary(
    team: str,
    first: pd.Timestamp,
    last: pd.Timestamp,
    weeks: int,
    reps: float,
    planned: float,
    implied: float,
) -> PlanGap:
    gap = implied - planned
    return PlanGap(
        team=team,
        window_start=first,
        window_end=last,
        weeks=weeks,
        reps=reps,
        planned_revenue=planned,
        implied_revenue=implied,
        gap=gap,
        gap_pct=100 * gap / planned if planned > 0 else math.nan,
        main_link=None,
        explanation="nobody on the team was expected to work in the window",
        worst_call_type=None,
    )


def _explained(summary: PlanGap, links: pd.DataFrame, by_type: pd.DataFrame) -> PlanGap:
    """Name the link that explains most of a shortfall, and the call type furthest behind."""
    if not summary.weeks:
        return summary
    worst_link = links.sort_values("contribution").iloc[0] if summary.gap < 0 else None
    behind = by_type.loc[by_type["revenue_gap"] < 0].sort_values("revenue_gap")
    worst_type = str(behind["call_type"].iloc[0]) if len(behind) else None
    return replace(
        summary,
        main_link=None if worst_link is None else str(worst_link["link"]),
        explanation="on plan or ahead" if worst_link is None else str(worst_link["meaning"]),
        worst_call_type=worst_type,
    )
