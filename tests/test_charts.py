"""The report charts: real PNGs of a readable size, honest alt text, one colour per call type."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib.image
import matplotlib.pyplot
import numpy as np
import pandas as pd
import pytest

from metrics.charts import (
    Chart,
    activity_by_rep_chart,
    call_type_colours,
    compliance_chart,
    funnel_chart,
    stats_chart,
    trend_chart,
)

REPO = Path(__file__).resolve().parent.parent
WEEK = "2026-W48"
CALL_TYPES = [
    ("cold_call", "Cold call"),
    ("follow_up", "Follow-up"),
    ("discovery", "Discovery"),
    ("demo", "Demo"),
    ("closing", "Closing"),
]
KEYS = [key for key, _ in CALL_TYPES]
LONG_NAME = "Maximiliana Alexandrovna Featherstonehaugh-Cholmondeley"


def activity_frame(reps: list[str], seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [(rep, key, int(rng.integers(0, 20))) for rep in reps for key in KEYS]
    return pd.DataFrame(rows, columns=["rep_name", "call_type", "calls"])


def conversion_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [("cold_call", 120, 30, 6, 1), ("demo", 10, 9, 4, 3), ("closing", 0, 0, 0, 0)],
        columns=["call_type", "calls", "connects", "meetings", "wins"],
    )


def daily_frame(only: str | None = None) -> pd.DataFrame:
    days = pd.date_range("2026-11-23", "2026-11-27")
    keys = [only] if only else KEYS
    rows = [(day, key, 2 + index) for index, day in enumerate(days) for key in keys]
    return pd.DataFrame(rows, columns=["day", "call_type", "calls"])


def pixels(chart: Chart) -> np.ndarray:
    """The chart as an (height, width, 3) array of 0-255 integers."""
    image = matplotlib.image.imread(io.BytesIO(chart.png), format="png")
    return np.rint(image[..., :3] * 255).astype(int)


def colour_area(chart: Chart, colour: str) -> int:
    """How many pixels are exactly `colour` (solid bar fills are drawn without blending)."""
    rgb = [int(colour[index : index + 2], 16) for index in (1, 3, 5)]
    return int((pixels(chart) == rgb).all(axis=-1).sum())


def assert_readable_png(chart: Chart) -> None:
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    height, width, _ = pixels(chart).shape
    assert 700 <= width <= 1400
    assert 300 <= height <= 2000
    assert chart.filename.endswith(".png")
    assert 0 < len(chart.alt_text) <= 1000


def all_charts(activity: pd.DataFrame | None = None) -> list[Chart]:
    weekly = pd.DataFrame({"week": ["2026-W47", WEEK], "calls": [150, 142]})
    compliance = pd.DataFrame({"rep_name": ["Ana"], "checked_in": [4], "expected": [5]})
    return [
        activity_by_rep_chart(
            activity if activity is not None else activity_frame(["Ana", "Ben"]),
            team="East",
            week=WEEK,
            call_types=CALL_TYPES,
        ),
        funnel_chart(conversion_frame(), team="East", week=WEEK, call_types=CALL_TYPES),
        trend_chart(weekly, team="East", week=WEEK, target=150),
        compliance_chart(compliance, team="East", week=WEEK),
        stats_chart(daily_frame(), title="Your calls this week", call_types=CALL_TYPES),
    ]


def test_every_chart_is_a_readable_png_with_title_and_alt_text() -> None:
    for chart in all_charts():
        assert_readable_png(chart)
        assert chart.title

    titles = [chart.title for chart in all_charts()[:4]]
    assert all(title.startswith("East — ") and title.endswith(WEEK) for title in titles)


def test_activity_alt_text_matches_a_plain_groupby() -> None:
    activity = activity_frame(["Ana", "Ben", "Chen"])
    per_rep = activity.groupby("rep_name")["calls"].sum().sort_values(ascending=False)

    chart = activity_by_rep_chart(activity, team="East", week=WEEK, call_types=CALL_TYPES)

    assert chart.filename == f"east-{WEEK}-activity.png"
    assert chart.title == f"East — calls by rep and call type, {WEEK}"
    assert f"3 reps logged {per_rep.sum():,} calls" in chart.alt_text
    assert f"Top rep: {per_rep.index[0]} with {per_rep.iloc[0]} calls" in chart.alt_text
    cold_calls = activity.loc[activity["call_type"] == "cold_call", "calls"].sum()
    assert f"Cold call {cold_calls}" in chart.alt_text


def test_funnel_alt_text_gives_counts_and_rates() -> None:
    chart = funnel_chart(conversion_frame(), team="East", week=WEEK, call_types=CALL_TYPES)

    assert "130 calls → 39 connects (30%) → 10 meetings (26%) → 4 wins (40%)" in chart.alt_text
    assert "Cold call: 120 calls, 30 connects · 25% of calls" in chart.alt_text
    assert "3 wins · 75% of meetings" in chart.alt_text
    assert "Closing" not in chart.alt_text  # no calls of that type this week


def test_trend_fills_gaps_and_reads_against_target() -> None:
    weekly = pd.DataFrame(
        {
            "week": ["2026-W40", "2026-W41", "2026-W44", WEEK, "2026-W49"],
            "calls": [9, 100, 0, 142, 7],
        }
    )

    chart = trend_chart(weekly, team="East", week=WEEK, target=150)

    assert "8 weeks to 2026-W48" in chart.alt_text
    assert "2026-W41 100, 2026-W42 0, 2026-W43 0, 2026-W44 0" in chart.alt_text
    assert "2026-W40" not in chart.alt_text  # older than the window
    assert "2026-W49" not in chart.alt_text  # after the reported week
    assert "This week: 142 calls. Target: 150 calls a week (95% reached)." in chart.alt_text


def test_trend_with_short_history_and_no_target() -> None:
    weekly = pd.DataFrame({"week": ["2026-W01", "2026-W02"], "calls": [0, 12]})

    chart = trend_chart(weekly, team="East", week="2026-W02", target=None)

    assert_readable_png(chart)
    assert "for the 2 weeks to 2026-W02" in chart.alt_text
    assert "No target is set." in chart.alt_text


def test_trend_window_crosses_the_year() -> None:
    weekly = pd.DataFrame({"week": ["2025-W47", "2025-W52", "2026-W02"], "calls": [5, 6, 7]})

    chart = trend_chart(weekly, team="East", week="2026-W02", target=10)

    assert "2025-W47 5, 2025-W48 0" in chart.alt_text
    assert "2025-W52 6, 2026-W01 0, 2026-W02 7" in chart.alt_text


@pytest.mark.parametrize("week", ["2026-48", "W48", "2026-W54"])
def test_trend_rejects_a_bad_week_label(week: str) -> None:
    weekly = pd.DataFrame({"week": [WEEK], "calls": [1]})
    with pytest.raises(ValueError, match="week label"):
        trend_chart(weekly, team="East", week=week, target=None)


def test_compliance_shows_not_expected_reps_as_na() -> None:
    compliance = pd.DataFrame(
        {
            "rep_name": ["Ana", "Ben", "Chen", "Dee"],
            "checked_in": [4, 2, 0, 5],
            "expected": [5, 5, 0, 5],
        }
    )

    chart = compliance_chart(compliance, team="East", week=WEEK)

    assert chart.filename == f"east-{WEEK}-checkins.png"
    assert "checked in on 11 of 15 expected workdays (73%)" in chart.alt_text
    assert "Lowest: Ben 2/5 (40%)" in chart.alt_text
    assert "No workdays expected for: Chen." in chart.alt_text
    assert "Chen 0" not in chart.alt_text  # not shown as 0/0 or 0%


def test_stats_chart_fills_days_without_rows() -> None:
    daily = daily_frame()
    daily = daily[daily["day"] != pd.Timestamp("2026-11-25")]

    chart = stats_chart(daily, title="Ana — last 5 days", call_types=CALL_TYPES)

    assert chart.filename == "stats-ana-last-5-days.png"
    assert "Wed 25 Nov 0" in chart.alt_text
    assert f"{daily['calls'].sum()} calls in total" in chart.alt_text
    height, width, _ = pixels(chart).shape
    assert (width, height) == (960, 480)


EMPTY_CASES = [
    (
        lambda: activity_by_rep_chart(
            pd.DataFrame(columns=["rep_name", "call_type", "calls"]),
            team="East",
            week=WEEK,
            call_types=CALL_TYPES,
        ),
        f"No calls logged in {WEEK}",
    ),
    (
        lambda: funnel_chart(
            pd.DataFrame(columns=["call_type", "calls", "connects", "meetings", "wins"]),
            team="East",
            week=WEEK,
            call_types=CALL_TYPES,
        ),
        f"No calls logged in {WEEK}",
    ),
    (
        lambda: trend_chart(
            pd.DataFrame(columns=["week", "calls"]), team="East", week=WEEK, target=150
        ),
        f"No calls logged in the 8 weeks to {WEEK}",
    ),
    (
        lambda: compliance_chart(
            pd.DataFrame(columns=["rep_name", "checked_in", "expected"]), team="East", week=WEEK
        ),
        f"No check-ins expected in {WEEK}",
    ),
    (
        lambda: stats_chart(
            pd.DataFrame({"day": pd.Series(dtype="datetime64[ns]"), "call_type": [], "calls": []}),
            title="Your calls",
            call_types=CALL_TYPES,
        ),
        "No calls logged",
    ),
]


@pytest.mark.parametrize(("render", "message"), EMPTY_CASES)
def test_empty_frames_render_a_clear_message(render: Callable[[], Chart], message: str) -> None:
    chart = render()

    assert_readable_png(chart)
    assert message in chart.alt_text


def test_zero_calls_count_as_empty() -> None:
    activity = pd.DataFrame({"rep_name": ["Ana"], "call_type": ["demo"], "calls": [0]})

    chart = activity_by_rep_chart(activity, team="East", week=WEEK, call_types=CALL_TYPES)

    assert f"No calls logged in {WEEK}" in chart.alt_text


def test_one_rep_and_thirty_reps_with_long_names() -> None:
    one = activity_by_rep_chart(
        activity_frame(["Ana"]), team="East", week=WEEK, call_types=CALL_TYPES
    )
    reps = [f"{LONG_NAME} {index}" for index in range(30)]
    many = activity_by_rep_chart(
        activity_frame(reps), team="East", week=WEEK, call_types=CALL_TYPES
    )
    compliance = pd.DataFrame({"rep_name": reps, "checked_in": 3, "expected": 5})
    many_checkins = compliance_chart(compliance, team="East", week=WEEK)

    for chart in (one, many, many_checkins):
        assert_readable_png(chart)
    assert pixels(many).shape[0] > pixels(one).shape[0] + 500
    assert "30 reps logged" in many.alt_text


def test_colours_follow_configured_order_not_the_week() -> None:
    colours = call_type_colours(KEYS)

    assert list(colours) == KEYS
    assert len(set(colours.values())) == len(KEYS)
    assert call_type_colours(KEYS)["demo"] == colours["demo"]
    assert call_type_colours([*KEYS, "referral"])["demo"] == colours["demo"]


def test_more_call_types_than_colours_repeat_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    keys = [f"type_{index}" for index in range(9)]

    with caplog.at_level(logging.WARNING, logger="metrics.charts_palette"):
        colours = call_type_colours(keys)

    assert colours["type_8"] == colours["type_0"]
    assert "colours repeat" in caplog.text


def test_a_call_type_keeps_its_colour_in_every_chart() -> None:
    demo, cold_call = call_type_colours(KEYS)["demo"], call_type_colours(KEYS)["cold_call"]
    activity = pd.DataFrame({"rep_name": ["Ana", "Ben"], "call_type": "demo", "calls": [5, 8]})
    conversion = pd.DataFrame(
        {"call_type": ["demo"], "calls": [10], "connects": [5], "meetings": [2], "wins": [1]}
    )

    charts = [
        activity_by_rep_chart(activity, team="East", week=WEEK, call_types=CALL_TYPES),
        funnel_chart(conversion, team="East", week=WEEK, call_types=CALL_TYPES),
        stats_chart(daily_frame(only="demo"), title="Demo calls", call_types=CALL_TYPES),
    ]

    for chart in charts:
        assert colour_area(chart, demo) > 500, chart.filename
        assert colour_area(chart, cold_call) == 0, chart.filename


def test_unconfigured_call_type_is_drawn_grey_under_its_key() -> None:
    activity = pd.DataFrame(
        {"rep_name": ["Ana", "Ana"], "call_type": ["demo", "referral"], "calls": [5, 3]}
    )

    chart = activity_by_rep_chart(activity, team="East", week=WEEK, call_types=CALL_TYPES)

    assert "By call type: Demo 5, referral 3." in chart.alt_text
    assert colour_area(chart, "#999999") > 200


def test_alt_text_stays_within_slack_limit() -> None:
    reps = [f"{LONG_NAME} {index}" for index in range(30)]

    chart = activity_by_rep_chart(
        activity_frame(reps), team="East", week=WEEK, call_types=CALL_TYPES
    )

    assert len(chart.alt_text) <= 1000
    assert chart.alt_text.endswith("…")


def test_missing_column_or_text_counts_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="missing column\\(s\\) calls"):
        activity_by_rep_chart(
            pd.DataFrame({"rep_name": ["Ana"], "call_type": ["demo"]}),
            team="East",
            week=WEEK,
            call_types=CALL_TYPES,
        )
    with pytest.raises(ValueError, match="calls column must hold numbers"):
        activity_by_rep_chart(
            pd.DataFrame({"rep_name": ["Ana"], "call_type": ["demo"], "calls": ["lots"]}),
            team="East",
            week=WEEK,
            call_types=CALL_TYPES,
        )


def test_pyplot_figure_list_is_untouched() -> None:
    all_charts()

    assert matplotlib.pyplot.get_fignums() == []


RENDER_WITHOUT_PYPLOT = """
import sys
import pandas as pd
from metrics import charts

types = [("demo", "Demo")]
charts.activity_by_rep_chart(
    pd.DataFrame({"rep_name": ["Ana"], "call_type": ["demo"], "calls": [3]}),
    team="East", week="2026-W48", call_types=types,
)
charts.funnel_chart(
    pd.DataFrame(
        {"call_type": ["demo"], "calls": [3], "connects": [1], "meetings": [1], "wins": [0]}
    ),
    team="East", week="2026-W48", call_types=types,
)
charts.trend_chart(
    pd.DataFrame({"week": ["2026-W48"], "calls": [3]}), team="East", week="2026-W48", target=5
)
charts.compliance_chart(
    pd.DataFrame({"rep_name": ["Ana"], "checked_in": [1], "expected": [2]}),
    team="East", week="2026-W48",
)
charts.stats_chart(
    pd.DataFrame({"day": [pd.Timestamp("2026-11-23")], "call_type": ["demo"], "calls": [3]}),
    title="Ana", call_types=types,
)
sys.exit(int("matplotlib.pyplot" in sys.modules))
"""


def test_rendering_never_imports_pyplot() -> None:
    """Run in a fresh interpreter, since this test module imports pyplot itself."""
    result = subprocess.run([sys.executable, "-c", RENDER_WITHOUT_PYPLOT], cwd=REPO, check=False)

    assert result.returncode == 0


# Slack display names and app.yaml labels are typed by people: "$" is a dollar, not mathtext.
DOLLAR_NAMES = ["Cash $$", "Bill $$ (AE)", "Kevin $^_^$", r"Ana $\frac{1}{0"]
DOLLAR_TEAM = "Team $ales $^$"
DOLLAR_TYPES = [("cold_call", "Cold $ call"), ("demo", "Demo $^_^$")]


def dollar_charts() -> list[Chart]:
    activity = pd.DataFrame(
        [
            (name, key, 3 + index)
            for index, name in enumerate(DOLLAR_NAMES)
            for key in ("cold_call", "demo")
        ],
        columns=["rep_name", "call_type", "calls"],
    )
    conversion = pd.DataFrame(
        [("cold_call", 20, 5, 2, 1), ("demo", 4, 3, 2, 1)],
        columns=["call_type", "calls", "connects", "meetings", "wins"],
    )
    weekly = pd.DataFrame({"week": ["2026-W47", WEEK], "calls": [15, 12]})
    compliance = pd.DataFrame({"rep_name": DOLLAR_NAMES, "checked_in": [1, 2, 3, 0], "expected": 3})
    daily = daily_frame(only="demo")
    empty_weekly = pd.DataFrame(columns=["week", "calls"])
    return [
        activity_by_rep_chart(activity, team=DOLLAR_TEAM, week=WEEK, call_types=DOLLAR_TYPES),
        funnel_chart(conversion, team=DOLLAR_TEAM, week=WEEK, call_types=DOLLAR_TYPES),
        trend_chart(weekly, team=DOLLAR_TEAM, week=WEEK, target=20),
        trend_chart(empty_weekly, team=DOLLAR_TEAM, week=WEEK, target=20),
        compliance_chart(compliance, team=DOLLAR_TEAM, week=WEEK),
        stats_chart(
            daily, title=f"Calls per day, {DOLLAR_NAMES[2]}, this week", call_types=DOLLAR_TYPES
        ),
    ]


def test_dollar_signs_in_names_and_labels_are_drawn_as_text() -> None:
    parse_math = matplotlib.rcParams["text.parse_math"]

    charts = dollar_charts()

    for chart in charts:
        assert_readable_png(chart)
    assert "Kevin $^_^$" in charts[0].alt_text
    assert matplotlib.rcParams["text.parse_math"] == parse_math, "global settings untouched"
