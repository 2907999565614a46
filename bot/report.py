"""The weekly manager report: one team's last finished week, computed from a Dataset."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd

from bot.blocks import Message
from bot.blocks.report import (
    CallTypeLine,
    PlanLink,
    PlanSection,
    ReportSummary,
    Totals,
    report_message,
)
from bot.dataset import Dataset
from bot.report_attention import needs_attention
from bot.report_charts import CHART_NAMES, rep_names, report_charts
from bot.settings import WEEKDAYS, Settings, Team
from metrics.charts import Chart
from metrics.compliance import settled_days
from metrics.conversion import COUNTS, conversion, counted, no_business
from metrics.frames import between, iso_week_label, to_day
from metrics.pace import pace
from metrics.plan import plan_vs_actual
from metrics.trend import BASELINE_WEEKS

logger = logging.getLogger(__name__)

WEEK_LABEL = re.compile(r"(\d{4})-W(\d{1,2})")


@dataclass(frozen=True)
class TeamReport:
    """One team's weekly report: the summary DM and the PNG charts that follow it.

    `names` maps the team's rep IDs to display names, for renderings outside Slack where
    `<@U…>` mentions mean nothing.
    """

    team: str
    week: str
    message: Message
    charts: list[Chart]
    summary: ReportSummary
    names: dict[str, str]


def report_week_for(today: date, workdays: Iterable[str] = WEEKDAYS) -> tuple[date, date, str]:
    """The latest ISO week with no workday left after `today`: (monday, sunday, "2026-W48").

    Sent on a Monday, that is the week before. Sent on a Saturday to a Monday-to-Friday
    team, it is the week they just worked, not the one before it.
    """
    this_monday = today - timedelta(days=today.weekday())
    last_workday = max((WEEKDAYS.index(day) for day in workdays), default=len(WEEKDAYS) - 1)
    over = today.weekday() > last_workday
    monday = this_monday if over else this_monday - timedelta(weeks=1)
    return monday, monday + timedelta(days=6), iso_week_label(monday)


def parse_week(label: str) -> tuple[date, date]:
    """'2026-W48' -> (Monday, Sunday) of that ISO week; ValueError saying what is wrong."""
    match = WEEK_LABEL.fullmatch(label.strip().upper())
    if match is None:
        raise ValueError(f"week {label!r} is not an ISO week; write it like 2026-W48")

    year, week = int(match[1]), int(match[2])
    if year < 1:
        raise ValueError(f"week {label!r} does not exist: years start at 0001")
    last = date(year, 12, 28).isocalendar().week
    if not 1 <= week <= last:
        raise ValueError(f"week {label!r} does not exist: {year} has weeks W01 to W{last}")

    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def report_span(settings: Settings, monday: date) -> tuple[date, date]:
    """The dates a Dataset must cover for the report on the week starting `monday`.

    Enough weeks back for the trend chart, the reps' baselines, the plan window and the
    call-type window, whichever reaches furthest.
    """
    weeks_back = max(
        settings.reports.trend_weeks - 1,
        BASELINE_WEEKS,
        settings.alerts.plan_window_weeks - 1,
        settings.alerts.conversion.weeks - 1,
    )
    return monday - timedelta(weeks=weeks_back), monday + timedelta(days=6)


def build_team_report(dataset: Dataset, settings: Settings, team: Team, monday: date) -> TeamReport:
    """Compute the summary and charts of `team`'s ISO week starting `monday`.

    Raises ValueError when `monday` is not a Monday or the dataset misses dates the report
    needs (load it over report_span). Nothing after that Sunday is used.
    """
    sunday = _check_week(dataset, settings, monday)
    data = _until(dataset.for_team(team.name), sunday)
    week = iso_week_label(monday)

    summary = _summary(data, settings, team, monday)
    charts = report_charts(data, summary, settings.reports.trend_weeks)
    names = rep_names(data)
    msg = report_message(summary, CHART_NAMES)

    logger.info(
        "Built the %s report for %s: %d calls, %d rep(s) flagged, %d charts",
        week,
        team.name,
        summary.this_week.calls,
        len(summary.flags),
        len(charts),
    )
    return TeamReport(team.name, week, msg, charts, summary, names)


def _check_week(dataset: Dataset, settings: Settings, monday: date) -> date:
    if monday.weekday() != 0:
        raise ValueError(f"a report week starts on a Monday; {monday} is a {monday:%A}")
    start, end = report_span(settings, monday)
    if dataset.start > start or dataset.end < end:
        raise ValueError(
            f"the dataset covers {dataset.start} to {dataset.end} but the {iso_week_label(monday)}"
            f" report needs {start} to {end}; load it over report_span()"
        )
    return end


def _until(dataset: Dataset, sunday: date) -> Dataset:
    """The dataset without anything after `sunday`, so a late load changes nothing."""
    last = to_day(sunday)

    def cut(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.loc[frame["work_date"] <= last].reset_index(drop=True)

    return replace(
        dataset,
        end=sunday,
        entries=cut(dataset.entries),
        checkins=cut(dataset.checkins),
        expected=cut(dataset.expected),
    )


def _summary(data: Dataset, settings: Settings, team: Team, monday: date) -> ReportSummary:
    sunday = monday + timedelta(days=6)
    last_monday = monday - timedelta(weeks=1)
    targets = _week_targets(data, monday)
    days = _week_checkins(data, monday)
    full = targets["weekly"]

    return ReportSummary(
        team=team.name,
        week=iso_week_label(monday),
        monday=monday,
        this_week=_totals(data, monday, sunday),
        last_week=_totals(data, last_monday, monday - timedelta(days=1)),
        target=round(targets["this_week"].sum()) if full.notna().any() else None,
        target_calls=_calls_with_target(data, monday, sunday),
        weekly_target=round(full.sum()) if full.notna().any() else None,
        reps_without_target=int(full.isna().sum()),
        checked_in_days=int(days["checked_in"].sum()),
        expected_days=len(days),
        flags=needs_attention(data, settings, monday, days),
        call_types=_call_types(data, settings, sunday),
        conversion_weeks=settings.alerts.conversion.weeks,
        plan=_plan(data, settings, team, sunday),
    )


def _totals(data: Dataset, first: date, last: date) -> Totals:
    sums = counted(between(data.entries, first, last), data.outcome_flags)[list(COUNTS)].sum()
    return Totals(**{column: int(sums[column]) for column in COUNTS})


def _week_targets(data: Dataset, monday: date) -> pd.DataFrame:
    """Each rep expected that week: their full weekly target and this week's share of it.

    A week shortened by a holiday or days off carries its share (pace does the sums), so
    the team's line agrees with the reps' own; NaN for a rep without a target.
    """
    week = pace(data.entries, data.checkins, data.expected, data.targets, monday)
    by_rep = data.targets.drop_duplicates("rep_id", keep="last").set_index("rep_id")
    return pd.DataFrame(
        {
            "weekly": week["rep_id"].map(by_rep["weekly_calls"]).astype("float64").to_numpy(),
            "this_week": week["target"].to_numpy(),
        },
        index=week["rep_id"],
    )


def _calls_with_target(data: Dataset, monday: date, sunday: date) -> int:
    """The week's calls of the reps who have a weekly target, the calls the target is for."""
    with_target = set(data.targets.loc[data.targets["weekly_calls"].notna(), "rep_id"])
    week = between(data.entries, monday, sunday)
    return int(week.loc[week["rep_id"].isin(with_target), "count"].sum())


def _week_checkins(data: Dataset, monday: date) -> pd.DataFrame:
    """Every expected day of the week: rep_id, team, work_date, checked_in."""
    settled = settled_days(data.checkins, data.expected, monday + timedelta(days=7))
    return between(settled, monday, monday + timedelta(days=6))


def _call_types(data: Dataset, settings: Settings, sunday: date) -> tuple[CallTypeLine, ...]:
    """Each call type logged this week or flagged as bringing in no business, in config order."""
    monday = sunday - timedelta(days=6)
    week_frame = conversion(between(data.entries, monday, sunday), data.outcome_flags)
    window_frame = no_business(
        data.entries,
        data.outcome_flags,
        sunday,
        weeks=settings.alerts.conversion.weeks,
        min_calls=settings.alerts.conversion.min_calls,
    )
    week = {row["call_type"]: row for row in week_frame.to_dict("records")}
    window = {row["call_type"]: row for row in window_frame.to_dict("records")}
    labels = dict(data.call_types)
    retired = sorted((set(week) | set(window)) - set(labels))  # no longer configured: show key

    lines = []
    for key in [*labels, *retired]:
        flagged = bool(window.get(key, {}).get("no_business", False))
        if key not in week and not flagged:
            continue
        counts = week.get(key, {})
        lines.append(
            CallTypeLine(
                label=labels.get(key, key),
                week=Totals(**{column: int(counts.get(column, 0)) for column in COUNTS}),
                no_business=flagged,
                window_calls=int(window[key]["calls"]) if flagged else 0,
            )
        )
    return tuple(lines)


def _plan(data: Dataset, settings: Settings, team: Team, sunday: date) -> PlanSection | None:
    if team.plan is None:
        return None

    plan = team.plan.to_plan()
    weeks = settings.alerts.plan_window_weeks
    links, gap = plan_vs_actual(
        data.entries,
        data.expected,
        plan,
        data.outcome_flags,
        team.name,
        sunday,
        weeks,
        workdays_per_week=data.workdays_per_week(),
    )
    labels = dict(data.call_types)
    return PlanSection(
        window_weeks=weeks,
        working_weeks=gap.weeks,
        links=tuple(
            PlanLink(str(row["link"]), row["planned"], row["actual"], row["off_by_pct"])
            for row in links.to_dict("records")
        ),
        planned_revenue=gap.planned_revenue,
        implied_revenue=gap.implied_revenue,
        gap_pct=gap.gap_pct,
        main_link=gap.main_link,
        explanation=gap.explanation,
        worst_call_type=labels.get(gap.worst_call_type or "", gap.worst_call_type),
    )
