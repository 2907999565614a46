"""Seeded data shared by the metrics tests: Thanksgiving week 2026 (W48) and the week before.

US reps U1 (day off Tue 24 Nov), U2 (joined Wed 25 Nov) and U3 (no target) are on East;
U4 is on EMEA, where Thursday 26 Nov is an ordinary workday. This module holds no tests.
"""

from __future__ import annotations

import pandas as pd

from metrics.calendar import expected_workdays
from metrics.plan import Plan

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
OUTCOME_FLAGS = {
    "connected": {"connect"},
    "meeting_booked": {"connect", "meeting"},
    "won": {"connect", "win"},
    "lost": {"connect"},
}


def days(*values: str | None) -> pd.Series:
    """Dates as the contract's midnight datetime64[ns]; None is NaT."""
    return pd.Series(pd.to_datetime(pd.Series(values, dtype="object")), dtype="datetime64[ns]")


def entries(*rows: tuple[str, str, str, str, str, int]) -> pd.DataFrame:
    """Entries from (rep_id, team, work_date, call_type, outcome, count) tuples."""
    columns = ["rep_id", "team", "work_date", "call_type", "outcome", "count"]
    frame = pd.DataFrame(list(rows), columns=columns)
    return frame.assign(
        rep_id=frame["rep_id"].astype("str"),
        team=frame["team"].astype("str"),
        work_date=days(*frame["work_date"]),
        call_type=frame["call_type"].astype("str"),
        outcome=frame["outcome"].astype("str"),
        count=frame["count"].astype("int64"),
    )


def checkins(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rep_id": pd.Series([rep for rep, _ in pairs], dtype="str"),
            "work_date": days(*(day for _, day in pairs)),
        }
    )


def reps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rep_id": ["U1", "U2", "U3", "U4"],
            "team": ["East", "East", "East", "EMEA"],
            "joined_on": days("2026-01-05", "2026-11-25", "2026-01-05", "2026-01-05"),
            "country": ["US", "US", "US", "GB"],
            "workdays": [WEEKDAYS] * 4,
        }
    )


def days_off() -> pd.DataFrame:
    return pd.DataFrame({"rep_id": ["U1"], "day": days("2026-11-24")})


def expected() -> pd.DataFrame:
    """Expected workdays over W47 and W48 (16 to 29 Nov 2026)."""
    return expected_workdays(reps(), days_off(), "2026-11-16", "2026-11-29")


def week_checkins() -> pd.DataFrame:
    """U1 every day of W47, Mon 23, Tue 24 (a day off) and Wed 25; U2 Fri 27; U3 Mon and Tue."""
    w47 = [("U1", f"2026-11-{day}") for day in range(16, 21)]
    return checkins(
        *w47,
        ("U1", "2026-11-23"),
        ("U1", "2026-11-24"),
        ("U1", "2026-11-25"),
        ("U2", "2026-11-27"),
        ("U3", "2026-11-23"),
        ("U3", "2026-11-24"),
    )


def targets() -> pd.DataFrame:
    """Weekly call targets; U3 has none."""
    return pd.DataFrame({"rep_id": ["U1", "U2", "U4"], "weekly_calls": [50.0, 40.0, 50.0]})


PLAN = Plan(calls_per_rep=40, connect_rate=0.25, meeting_rate=0.2, win_rate=0.5, deal_value=1000)


def plan_entries(won: int = 2) -> pd.DataFrame:
    """East over W47 (reps U1, U3) and W48 (U1, U2, U3): 100 calls, 25 connects, 5 meetings."""
    rows = [
        ("U1", "East", "2026-11-17", "cold_call", "no_answer", 30),
        ("U1", "East", "2026-11-17", "cold_call", "connected", 8),
        ("U3", "East", "2026-11-18", "demo", "meeting_booked", 2),
        ("U1", "East", "2026-11-23", "cold_call", "no_answer", 45),
        ("U2", "East", "2026-11-25", "cold_call", "connected", 5),
        ("U3", "East", "2026-11-25", "demo", "meeting_booked", 3),
        ("U1", "East", "2026-11-25", "demo", "lost", 5),
        ("U3", "East", "2026-11-27", "closing", "won", won),
        ("U4", "EMEA", "2026-11-23", "cold_call", "no_answer", 100),  # another team
    ]
    return entries(*[row for row in rows if row[5] > 0])
