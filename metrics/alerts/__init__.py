"""Early-warning rules: each a pure function from frames and thresholds to a list of Alerts.

Run the rules the bot wants, then pass everything through `cooldown_filter` before sending.
"""

from __future__ import annotations

from metrics.alerts.activity import activity_below_baseline
from metrics.alerts.checkins import missed_checkins
from metrics.alerts.conversion import low_conversion
from metrics.alerts.cooldown import cooldown_filter
from metrics.alerts.identical import identical_numbers
from metrics.alerts.model import Alert, AlertRules
from metrics.alerts.pace import behind_pace
from metrics.alerts.plan import plan_link_off

__all__ = [
    "Alert",
    "AlertRules",
    "activity_below_baseline",
    "behind_pace",
    "cooldown_filter",
    "identical_numbers",
    "low_conversion",
    "missed_checkins",
    "plan_link_off",
]
