"""The manager report's charts as PNG bytes with alt text; import them from here.

Each function takes a small plain DataFrame and returns a `Chart`. An empty frame gives a
chart that says there is nothing to show. Call types keep one colour across all charts.
"""

from __future__ import annotations

from metrics.charts_activity import activity_by_rep_chart
from metrics.charts_compliance import compliance_chart
from metrics.charts_funnel import funnel_chart
from metrics.charts_palette import call_type_colours
from metrics.charts_render import Chart
from metrics.charts_stats import stats_chart
from metrics.charts_trend import trend_chart

__all__ = [
    "Chart",
    "activity_by_rep_chart",
    "call_type_colours",
    "compliance_chart",
    "funnel_chart",
    "stats_chart",
    "trend_chart",
]
