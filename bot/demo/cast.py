"""The demo's people: who they are, where they work and how each one behaves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.settings import Settings, load_settings

CONFIG = Path(__file__).with_name("demo.yaml")


STANDARD_MIX = {"cold_call": 0.5, "follow_up": 0.25, "discovery": 0.1, "demo": 0.1, "closing": 0.05}
DISCOVERY_HEAVY = {
    "cold_call": 0.35,
    "follow_up": 0.2,
    "discovery": 0.3,
    "demo": 0.1,
    "closing": 0.05,
}


@dataclass(frozen=True)
class Persona:
    """How a simulated rep acts: how reliably they check in and what their days look like."""

    user_id: str
    name: str
    tz: str
    calls_per_day: int
    answers_prompt: float  # chance of logging right after the prompt
    answers_reminder: float  # chance of logging after the reminder
    quick_form: bool = False  # logs with `/checkin 12 cold no_answer, ...` instead of the modal
    days_off: tuple[date, ...] = ()
    corrects_on: date | None = None  # reopens the previous day's numbers to fix them
    slump_from: date | None = None  # activity drops to a third from this day on
    silent_from: date | None = None  # stops checking in from this day on
    mix: dict[str, float] = field(default_factory=lambda: dict(STANDARD_MIX))


@dataclass(frozen=True)
class Manager:
    user_id: str
    name: str
    tz: str


def demo_settings() -> Settings:
    return load_settings(CONFIG)


def cast(first_monday: date) -> tuple[list[Persona], list[Manager]]:
    """Eight reps around New York, Los Angeles and London, and their managers.

    In the second week Omar's activity slumps and Sofia stops checking in; from the first
    simulated day West's discovery calls stop bringing in meetings (see outcomes.py).
    """

    def day(offset: int) -> date:
        return date.fromordinal(first_monday.toordinal() + offset)

    reps = [
        Persona("U0DREP001", "Nia Johnson", "America/New_York", 12, 0.9, 0.9, corrects_on=day(8)),
        Persona("U0DREP002", "Omar Haddad", "America/New_York", 10, 0.8, 0.9, slump_from=day(7)),
        Persona("U0DREP003", "Priya Natarajan", "America/Chicago", 13, 0.95, 1.0, quick_form=True),
        Persona(
            "U0DREP004", "Lucas Meyer", "America/Los_Angeles", 11, 0.8, 0.8, mix=DISCOVERY_HEAVY
        ),
        Persona(
            "U0DREP005", "Sofia Alvarez", "America/Los_Angeles", 9, 0.7, 0.6, silent_from=day(8)
        ),
        Persona(
            "U0DREP006", "Ben Carter", "America/Los_Angeles", 10, 0.85, 0.9, days_off=(day(4),)
        ),
        Persona("U0DREP007", "Amelia Hughes", "Europe/London", 11, 0.9, 0.9),
        Persona("U0DREP008", "Jonas Weber", "Europe/Berlin", 9, 0.6, 0.8),
    ]
    managers = [
        Manager("U0DMGR001", "Grace Kim", "America/New_York"),
        Manager("U0DMGR002", "Diego Ramos", "America/Los_Angeles"),
        Manager("U0DMGR003", "Hannah Clarke", "Europe/London"),
        Manager("U0DADMIN1", "Sam Ops", "America/New_York"),
    ]
    return reps, managers
