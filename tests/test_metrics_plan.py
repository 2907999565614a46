"""The business plan link by link against the actuals, and which link explains the gap."""

from __future__ import annotations

import math

import pytest
from test_metrics_scenario import OUTCOME_FLAGS, PLAN, expected, plan_entries

from metrics.frames import empty_entries, empty_expected
from metrics.plan import Plan, plan_vs_actual
from metrics.plan_gap import attribute_gap
from metrics.plan_weeks import plan_by_call_type, plan_by_week, weekly_actuals


def test_links_and_their_share_of_the_gap() -> None:
    links, summary = plan_vs_actual(
        plan_entries(), expected(), PLAN, OUTCOME_FLAGS, "East", "2026-11-29", 2
    )

    # Rep-weeks: W47 U1 and U3 all five days = 2; W48 (Thanksgiving) U1 Mon, Wed, Fri (Tue
    # off), U2 Wed and Fri (joined Wed), U3 four days = 9 days / 5 = 1.8. 3.8 over 2 weeks
    # = 1.9 reps. Planned: 1.9 x 40 x .25 x .2 x .5 x 1000 = 1900.
    # Actual: 100 calls / 3.8 rep-weeks, rates .25, .2 and 2 / 5 = .4; 2 wins a fortnight = 1000.
    assert (summary.weeks, summary.reps) == (2, pytest.approx(1.9))
    assert summary.planned_revenue == pytest.approx(1900)
    assert summary.implied_revenue == pytest.approx(1000)
    assert summary.gap == pytest.approx(-900)
    assert summary.gap_pct == pytest.approx(-900 / 19)

    table = links.set_index("link")
    assert list(table.index) == [
        "calls_per_rep",
        "connect_rate",
        "meeting_rate",
        "win_rate",
        "deal_value",
    ]
    activity = 100 / 3.8 / 40
    assert table["actual"].tolist() == pytest.approx([100 / 3.8, 0.25, 0.2, 0.4, 1000])
    assert table["ratio"].tolist() == pytest.approx([activity, 1, 1, 0.8, 1])
    assert table["off_by_pct"].tolist() == pytest.approx([100 * (activity - 1), 0, 0, -20, 0])

    # Each link's share is its log ratio over the log of the revenue ratio.
    assert table.loc["calls_per_rep", "contribution"] == pytest.approx(
        -900 * math.log(activity) / math.log(1000 / 1900)
    )
    assert table.loc["win_rate", "contribution"] == pytest.approx(
        -900 * math.log(0.8) / math.log(1000 / 1900)
    )
    assert table.loc[["connect_rate", "meeting_rate", "deal_value"], "contribution"].tolist() == [
        0,
        0,
        0,
    ]
    assert links["contribution"].sum() == pytest.approx(summary.gap)

    assert summary.main_link == "calls_per_rep"
    assert summary.explanation == "not enough activity"
    assert summary.worst_call_type == "cold_call"


def test_a_broken_funnel_puts_the_whole_gap_on_the_broken_link() -> None:
    links, summary = plan_vs_actual(
        plan_entries(won=0), expected(), PLAN, OUTCOME_FLAGS, "East", "2026-11-29", 2
    )

    assert summary.implied_revenue == 0
    assert links.set_index("link")["contribution"].to_dict() == pytest.approx(
        {
            "calls_per_rep": 0,
            "connect_rate": 0,
            "meeting_rate": 0,
            "win_rate": -1900,
            "deal_value": 0,
        }
    )
    assert summary.explanation == "meetings don't turn into wins"


def test_an_actual_deal_value_takes_part() -> None:
    links, summary = plan_vs_actual(
        plan_entries(),
        expected(),
        PLAN,
        OUTCOME_FLAGS,
        "East",
        "2026-11-29",
        2,
        actual_deal_value=500,
    )

    assert summary.implied_revenue == pytest.approx(500)
    shares = links.set_index("link")["contribution"]
    assert shares["deal_value"] == pytest.approx(-1400 * math.log(0.5) / math.log(500 / 1900))
    assert shares.sum() == pytest.approx(-1400)


def test_links_week_by_week() -> None:
    got = plan_by_week(plan_entries(), expected(), PLAN, OUTCOME_FLAGS, "East", "2026-11-29", 2)

    rows = list(zip(got["week"], got["link"], got["actual"], got["basis"], strict=True))
    # W48 is Thanksgiving week: 60 calls over 9 of 15 rep-days, 1.8 rep-weeks.
    assert rows == [
        ("2026-W47", "calls_per_rep", 20.0, 2),
        ("2026-W47", "connect_rate", 0.25, 40),
        ("2026-W47", "meeting_rate", 0.2, 10),
        ("2026-W47", "win_rate", 0.0, 2),
        ("2026-W48", "calls_per_rep", pytest.approx(60 / 1.8), pytest.approx(1.8)),
        ("2026-W48", "connect_rate", 0.25, 60),
        ("2026-W48", "meeting_rate", 0.2, 15),
        ("2026-W48", "win_rate", pytest.approx(2 / 3), 3),
    ]
    assert got["off_by_pct"].iloc[0] == -50


def test_rep_weeks_follow_each_reps_usual_week() -> None:
    # U1 usually works 3 days: Mon, Wed and Fri of W48 are a whole week for them (3 / 3);
    # U2's two days of 5 are .4; U3's four of 4 are 1. A rep never counts as more than one
    # rep-week: U3's five days in W47 are 1, not 1.25.
    got = weekly_actuals(
        plan_entries(),
        expected(),
        OUTCOME_FLAGS,
        "East",
        "2026-11-16",
        "2026-11-29",
        workdays_per_week={"U1": 3, "U3": 4},
    )

    assert got["reps"].tolist() == pytest.approx([2.0, 1 + 0.4 + 1])
    assert got["calls_per_rep"].tolist() == pytest.approx([20.0, 60 / 2.4])


def test_which_call_type_converts_short_of_plan() -> None:
    got = plan_by_call_type(
        plan_entries(), expected(), PLAN, OUTCOME_FLAGS, "East", "2026-11-29", 2
    )

    table = got.set_index("call_type")
    # Planned conversion per call: .25 x .2 x .5 = .025 wins; 2 working weeks.
    assert table["planned_wins"].to_dict() == pytest.approx(
        {"closing": 0.05, "cold_call": 2.2, "demo": 0.25}
    )
    assert table["revenue_gap"].to_dict() == pytest.approx(
        {"closing": 975, "cold_call": -1100, "demo": -125}
    )
    # Together: 2 wins against 100 calls x .025 = 2.5, so -0.5 wins x 1000 / 2 weeks.
    assert table["revenue_gap"].sum() == pytest.approx(-250)
    assert table.loc["cold_call", "meeting_off_pct"] == -100


def test_no_one_expected_in_the_window() -> None:
    links, summary = plan_vs_actual(
        empty_entries(), empty_expected(), PLAN, OUTCOME_FLAGS, "East", "2026-11-29", 2
    )

    assert summary.weeks == 0
    assert math.isnan(summary.gap)
    assert summary.main_link is None
    assert "nobody" in summary.explanation
    assert links["contribution"].isna().all()


def test_ahead_of_plan_names_no_culprit() -> None:
    modest = Plan(
        calls_per_rep=10, connect_rate=0.25, meeting_rate=0.2, win_rate=0.4, deal_value=1000
    )

    _, summary = plan_vs_actual(
        plan_entries(), expected(), modest, OUTCOME_FLAGS, "East", "2026-11-29", 2
    )

    assert summary.gap > 0
    assert (summary.main_link, summary.explanation) == (None, "on plan or ahead")


def test_offsetting_links_share_a_zero_gap() -> None:
    got = attribute_gap(100.0, 100.0, {"a": 2.0, "b": 0.5, "c": 1.0})

    assert got == pytest.approx({"a": 100 * math.log(2), "b": -100 * math.log(2), "c": 0.0})


def test_a_plan_needs_positive_links() -> None:
    with pytest.raises(ValueError, match="connect_rate must be a positive number"):
        Plan(calls_per_rep=40, connect_rate=0, meeting_rate=0.2, win_rate=0.5, deal_value=1000)
    assert PLAN.weekly_revenue(2.5) == pytest.approx(2500)
