"""low_conversion judges a rate only on enough of what it divides by."""

from __future__ import annotations

import pandas as pd

from metrics.alerts.conversion import low_conversion
from metrics.alerts.model import AlertRules

FLAGS = {
    "no_answer": set(),
    "connected": {"connect"},
    "meeting_booked": {"connect", "meeting"},
}
RULES = AlertRules(conversion_min_calls=30, conversion_min_basis=10, conversion_weeks=1)


def entries(no_answer: int, connected: int, meetings: int) -> pd.DataFrame:
    rows = [("no_answer", no_answer), ("connected", connected), ("meeting_booked", meetings)]
    return pd.DataFrame(
        {
            "rep_id": "U1",
            "team": "East",
            "work_date": pd.Timestamp("2026-12-01"),
            "call_type": "cold_call",
            "outcome": [outcome for outcome, _ in rows],
            "count": [count for _, count in rows],
        }
    )


def test_five_connects_and_no_meeting_is_noise_not_an_alert() -> None:
    assert low_conversion(entries(35, 5, 0), FLAGS, "2026-12-02", RULES) == []


def test_twelve_connects_and_no_meeting_is_an_alert() -> None:
    alerts = low_conversion(entries(30, 12, 0), FLAGS, "2026-12-02", RULES)
    assert [(a.rep_id, a.numbers["connects"], a.numbers["meetings"]) for a in alerts] == [
        ("U1", 12, 0)
    ]


def test_no_connects_at_all_on_enough_calls_is_an_alert() -> None:
    assert len(low_conversion(entries(40, 0, 0), FLAGS, "2026-12-02", RULES)) == 1
