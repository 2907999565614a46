"""What an alert carries, and the thresholds every rule reads."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

RateName = Literal["connect_rate", "meeting_rate", "win_rate"]
Number = float | int | str


@dataclass(frozen=True)
class Alert:
    """One early warning for a manager: who, which rule, over which days, and why.

    `numbers` holds the figures behind the message, for a report or an audit. `topic` is
    the call type or plan link the alert is about, when the rule has one.
    """

    rule: str
    team: str
    rep_id: str | None
    window_start: date
    window_end: date
    numbers: dict[str, Number] = field(hash=False)
    message: str
    next_step: str
    topic: str | None = None

    @property
    def subject(self) -> str:
        """What the cool-down keys on with the rule: "U123", "team:East", "U123/demo"."""
        who = self.rep_id if self.rep_id is not None else f"team:{self.team}"
        return who if self.topic is None else f"{who}/{self.topic}"


@dataclass(frozen=True)
class AlertRules:
    """Thresholds of every rule; the bot fills them from app.yaml, the defaults are sane.

    Shares and margins are fractions (0.5 = 50%); pace_floor_pct is a percentage of target;
    pace_from_weekday counts from Monday = 0.
    """

    baseline_share: float = 0.5
    baseline_days: int = 3
    baseline_weeks: int = 4
    min_baseline_weeks: int = 2
    pace_floor_pct: float = 70.0
    pace_from_weekday: int = 2
    missed_days: int = 2
    conversion_rate: RateName = "meeting_rate"
    conversion_floor: float = 0.10
    conversion_min_calls: int = 30
    conversion_min_basis: int = 10
    conversion_weeks: int = 4
    plan_margin: float = 0.25
    plan_weeks: int = 2
    plan_min_basis: int = 10
    identical_days: int = 5
    cooldown_workdays: int = 5

    def __post_init__(self) -> None:
        counts = {
            "baseline_days": self.baseline_days,
            "baseline_weeks": self.baseline_weeks,
            "min_baseline_weeks": self.min_baseline_weeks,
            "missed_days": self.missed_days,
            "conversion_weeks": self.conversion_weeks,
            "plan_weeks": self.plan_weeks,
            "identical_days": self.identical_days,
        }
        for name, value in counts.items():
            if value < 1:
                raise ValueError(f"alert rule {name} must be at least 1; got {value!r}")
        if not 0 <= self.pace_from_weekday <= 6:
            raise ValueError(
                f"pace_from_weekday counts Monday as 0 and Sunday as 6; "
                f"got {self.pace_from_weekday!r}"
            )
        if self.conversion_rate not in ("connect_rate", "meeting_rate", "win_rate"):
            raise ValueError(
                "conversion_rate must be connect_rate, meeting_rate or win_rate; "
                f"got {self.conversion_rate!r}"
            )


DEFAULT_RULES = AlertRules()


def mention(rep_id: str) -> str:
    """A rep as Slack's mention markup, so a message posted to Slack shows their name."""
    return f"<@{rep_id}>"


def rate_text(rate: float, under: float | None = None) -> str:
    """A rate as a percentage, with a decimal where whole percents would hide it.

    A rate `under` a floor is cut, not rounded, so 9.99% under a 10% floor reads 9.9%,
    never "10%, under the 10% floor".
    """
    percent = rate * 100
    if under is not None and rate < under:
        percent = math.floor(percent * 10) / 10
    if abs(percent - round(percent)) < 0.05:
        return f"{round(percent):.0f}%"
    return f"{percent:.1f}%"
