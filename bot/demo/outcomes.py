"""Realistic call outcomes per call type, drawn from a seeded random generator."""

from __future__ import annotations

import random
from collections import Counter

# Chance of each outcome for a call of each type (rows sum to 1).
PROFILES: dict[str, dict[str, float]] = {
    "cold_call": {
        "no_answer": 0.5,
        "voicemail": 0.25,
        "connected": 0.15,
        "meeting_booked": 0.07,
        "lost": 0.03,
    },
    "follow_up": {
        "no_answer": 0.35,
        "voicemail": 0.2,
        "connected": 0.25,
        "meeting_booked": 0.1,
        "deal_advanced": 0.05,
        "won": 0.02,
        "lost": 0.03,
    },
    "discovery": {"connected": 0.5, "meeting_booked": 0.3, "deal_advanced": 0.15, "lost": 0.05},
    "demo": {
        "connected": 0.3,
        "meeting_booked": 0.2,
        "deal_advanced": 0.3,
        "won": 0.1,
        "lost": 0.1,
    },
    "closing": {"connected": 0.2, "deal_advanced": 0.2, "won": 0.35, "lost": 0.25},
}
# A call type that has stopped converting: conversations happen, business does not.
DEAD = {"no_answer": 0.3, "voicemail": 0.2, "connected": 0.4, "lost": 0.1}


def draw_day(
    rng: random.Random, calls: int, mix: dict[str, float], dead: frozenset[str] = frozenset()
) -> dict[tuple[str, str], int]:
    """Split a day's calls into call types by `mix`, then into outcomes by type."""
    types = rng.choices(list(mix), weights=list(mix.values()), k=calls)
    cells: Counter[tuple[str, str]] = Counter()
    for call_type in types:
        profile = DEAD if call_type in dead else PROFILES[call_type]
        outcome = rng.choices(list(profile), weights=list(profile.values()))[0]
        cells[call_type, outcome] += 1
    return dict(cells)
