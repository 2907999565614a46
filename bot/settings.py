"""The app.yaml schema: what a sales-ops admin can configure, validated with pydantic."""

from __future__ import annotations

import logging
import re
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from metrics.plan import Plan

logger = logging.getLogger(__name__)

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MODAL_BLOCK_LIMIT = 100
MODAL_FIXED_BLOCKS = 3  # the date picker, the intro line and the closing hint
MIN_REMINDER_DELAY = 15  # minutes between the prompt and its reminder, at least
DAY_MINUTES = 24 * 60

Counter = Literal["connect", "meeting", "win"]


class ConfigError(ValueError):
    """app.yaml is missing, unreadable or invalid; the message lists every problem."""


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_user_id(value: str) -> str:
    if not SLACK_USER_ID.match(value):
        raise ValueError(
            "is not a Slack user ID; copy it from the person's Slack profile "
            "(More > Copy member ID), it looks like U01ABCDEF23"
        )
    return value


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            "is not an IANA time zone; use a name such as America/New_York or Europe/Berlin"
        ) from None
    return value


def _check_country(value: str) -> str:
    if value.upper() not in holidays.list_supported_countries():
        raise ValueError("is not a country the holidays package knows; use ISO codes like US, GB")
    return value.upper()


def _parse_clock(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 16:30 as the sexagesimal number 990.
        return time(value // 60, value % 60)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError('is not a time of day; write it as "16:30" (24-hour clock)')
    return time(int(match[1]), int(match[2]))


def _check_workdays(value: list[str]) -> list[str]:
    days = [day.strip().lower()[:3] for day in value]
    unknown = [day for day in days if day not in WEEKDAYS]
    if unknown or not days:
        raise ValueError(f"must list weekday names such as [mon, tue, wed, thu, fri]; got {value}")
    return days


SlackUserId = Annotated[str, AfterValidator(_check_user_id)]
TimeZoneName = Annotated[str, AfterValidator(_check_timezone)]
Country = Annotated[str, AfterValidator(_check_country)]
ClockTime = Annotated[time, BeforeValidator(_parse_clock)]
Workdays = Annotated[list[str], AfterValidator(_check_workdays)]


class CallType(StrictModel):
    key: str
    label: str = Field(min_length=1, max_length=40)

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not KEY_PATTERN.match(value):
            raise ValueError("must be lower_snake_case, start with a letter, at most 40 characters")
        return value


class Outcome(CallType):
    counts_as: list[Counter] = Field(default_factory=list)


class Target(StrictModel):
    """A weekly target: total calls, and optionally calls per call type."""

    calls: int | None = Field(default=None, ge=0)
    call_types: dict[str, int] = Field(default_factory=dict)


class Targets(StrictModel):
    default: Target = Target()
    reps: dict[SlackUserId, Target] = Field(default_factory=dict)


Fraction = Annotated[float, Field(gt=0, le=1)]


class PlanSettings(StrictModel):
    """A team's business plan: activity x conversion rates x deal value = revenue."""

    calls_per_rep_per_week: float = Field(gt=0)
    connect_rate: Fraction  # connects / calls
    meeting_rate: Fraction  # meetings / connects
    win_rate: Fraction  # wins / meetings
    average_deal_value: float = Field(gt=0)

    def to_plan(self) -> Plan:
        """The same chain as metrics/ computes with."""
        return Plan(
            calls_per_rep=self.calls_per_rep_per_week,
            connect_rate=self.connect_rate,
            meeting_rate=self.meeting_rate,
            win_rate=self.win_rate,
            deal_value=self.average_deal_value,
        )


class Team(StrictModel):
    name: str = Field(min_length=1, max_length=60)
    manager: SlackUserId
    reps: list[SlackUserId] = Field(default_factory=list)
    country: Country = "US"
    timezone: TimeZoneName = "America/New_York"
    workdays: Workdays | None = None
    target: Target | None = None
    plan: PlanSettings | None = None

    @field_validator("reps")
    @classmethod
    def _distinct_reps(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists the same rep twice; keep one line per rep")
        return value


class Schedule(StrictModel):
    checkin_time: ClockTime = time(16, 30)
    reminder_delay_minutes: int = Field(default=120, le=12 * 60)
    grace_minutes: int = Field(default=120, ge=1, le=24 * 60)
    workdays: Workdays = Field(default_factory=lambda: list(WEEKDAYS[:5]))
    edit_window_days: int = Field(default=7, ge=0, le=92)

    @field_validator("reminder_delay_minutes")
    @classmethod
    def _reminder_after_prompt(cls, value: int, info: ValidationInfo) -> int:
        """The reminder comes a while after the prompt, on the same local day."""
        if value < MIN_REMINDER_DELAY:
            raise ValueError(
                f"must be at least {MIN_REMINDER_DELAY} minutes, or the reminder arrives right "
                f"after the prompt; use {MIN_REMINDER_DELAY} or more (the default is 120)"
            )
        checkin = info.data.get("checkin_time")
        if checkin is None:
            return value  # checkin_time is invalid itself, and reported on its own
        start = checkin.hour * 60 + checkin.minute
        latest = DAY_MINUTES - 1 - start
        if value > latest:
            at = (start + value) % DAY_MINUTES
            raise ValueError(
                f"puts the reminder of a {checkin:%H:%M} check-in at {at // 60:02d}:{at % 60:02d}"
                f", past midnight; the reminder must fall on the same local day as the prompt: "
                f"use at most {latest} minutes, or an earlier checkin_time"
            )
        return value


class Delivery(StrictModel):
    """How fast the bot may post: Slack allows a few hundred chat.postMessage a minute."""

    posts_per_minute: int = Field(default=180, ge=1, le=1200)
    directory_sync_hours: int = Field(default=24, ge=1, le=24 * 7)


class Reports(StrictModel):
    """The weekly report: sent on `weekday` at `time` in each manager's own time zone."""

    enabled: bool = True
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    time: ClockTime = time(8, 0)
    trend_weeks: int = Field(default=8, ge=2, le=26)


class ConversionAlert(StrictModel):
    rate: Literal["connect_rate", "meeting_rate", "win_rate"] = "meeting_rate"
    floor_pct: float = Field(default=10, ge=0, le=100)
    min_calls: int = Field(default=30, ge=1)
    min_basis: int = Field(default=10, ge=1)  # connects behind a meeting rate, and so on
    weeks: int = Field(default=4, ge=1, le=26)


class Alerts(StrictModel):
    """Early-warning rules; evaluated daily at `time` in each manager's time zone."""

    enabled: bool = True
    time: ClockTime = time(19, 30)
    below_baseline_pct: float = Field(default=50, gt=0, le=100)
    below_baseline_days: int = Field(default=3, ge=1, le=20)
    behind_pace_pct: float = Field(default=70, gt=0, le=100)
    behind_pace_from: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "wed"
    missed_checkin_days: int = Field(default=2, ge=1, le=20)
    conversion: ConversionAlert = ConversionAlert()
    plan_margin_pct: float = Field(default=25, gt=0, le=100)
    plan_weeks: int = Field(default=2, ge=1, le=12)
    plan_window_weeks: int = Field(default=4, ge=1, le=26)
    identical_days: int = Field(default=5, ge=0, le=20)  # 0 turns the rule off
    cooldown_workdays: int = Field(default=5, ge=0, le=60)


class Nudges(StrictModel):
    """One line of context in the daily prompt: pace, a streak, or a neglected call type."""

    enabled: bool = True


DEFAULT_CALL_TYPES = [
    CallType(key="cold_call", label="Cold call"),
    CallType(key="follow_up", label="Follow-up"),
    CallType(key="discovery", label="Discovery"),
    CallType(key="demo", label="Demo"),
    CallType(key="closing", label="Closing"),
]

DEFAULT_OUTCOMES = [
    Outcome(key="no_answer", label="No answer"),
    Outcome(key="voicemail", label="Voicemail"),
    Outcome(key="connected", label="Connected", counts_as=["connect"]),
    Outcome(key="meeting_booked", label="Meeting booked", counts_as=["connect", "meeting"]),
    Outcome(key="deal_advanced", label="Deal advanced", counts_as=["connect"]),
    Outcome(key="won", label="Won", counts_as=["connect", "meeting", "win"]),
    Outcome(key="lost", label="Lost", counts_as=["connect"]),
]


class Settings(StrictModel):
    """Everything app.yaml holds. Secrets never live here; they come from the environment."""

    app_name: str = Field(default="Rep check-in", max_length=35)
    default_timezone: TimeZoneName = "America/New_York"
    call_types: list[CallType] = Field(
        default_factory=lambda: list(DEFAULT_CALL_TYPES), min_length=1
    )
    outcomes: list[Outcome] = Field(default_factory=lambda: list(DEFAULT_OUTCOMES), min_length=1)
    max_count: int = Field(default=200, ge=1, le=10_000)
    schedule: Schedule = Schedule()
    delivery: Delivery = Delivery()
    reports: Reports = Reports()
    alerts: Alerts = Alerts()
    nudges: Nudges = Nudges()
    admins: list[SlackUserId] = Field(default_factory=list)
    targets: Targets = Targets()
    teams: list[Team] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        _unique([c.key for c in self.call_types], "call_types")
        _unique([o.key for o in self.outcomes], "outcomes")
        _unique([t.name.lower() for t in self.teams], "teams (names)")
        self._check_modal_fits()
        self._check_one_team_per_rep()
        self._check_target_keys()
        return self

    def _check_modal_fits(self) -> None:
        blocks = MODAL_FIXED_BLOCKS + len(self.call_types) * (len(self.outcomes) + 1)
        if blocks > MODAL_BLOCK_LIMIT:
            raise ValueError(
                f"call_types x outcomes need {blocks} blocks in the check-in modal but Slack "
                f"allows {MODAL_BLOCK_LIMIT}; remove call types or outcomes"
            )

    def _check_one_team_per_rep(self) -> None:
        seen: dict[str, str] = {}
        for team in self.teams:
            for rep in team.reps:
                if rep in seen:
                    raise ValueError(
                        f"rep {rep} is on both {seen[rep]!r} and {team.name!r}; "
                        "a rep belongs to one team"
                    )
                seen[rep] = team.name

    def _check_target_keys(self) -> None:
        keys = {c.key for c in self.call_types}
        targets = [self.targets.default, *self.targets.reps.values()]
        targets += [t.target for t in self.teams if t.target]
        for target in targets:
            unknown = set(target.call_types) - keys
            if unknown:
                raise ValueError(
                    f"targets name unknown call types {sorted(unknown)}; "
                    f"use keys from call_types: {sorted(keys)}"
                )

    # Lookups used across the bot -------------------------------------------------------

    def team_of(self, user_id: str) -> Team | None:
        """The team a rep is on, or None."""
        return next((t for t in self.teams if user_id in t.reps), None)

    def teams_managed_by(self, user_id: str) -> list[Team]:
        return [t for t in self.teams if t.manager == user_id]

    def team_named(self, name: str) -> Team | None:
        return next((t for t in self.teams if t.name.lower() == name.strip().lower()), None)

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.admins

    def workdays_of(self, team: Team) -> list[str]:
        return team.workdays or self.schedule.workdays

    def weekly_target(self, user_id: str) -> Target | None:
        """The rep's own target, else their team's, else the default; None if none sets calls."""
        team = self.team_of(user_id)
        for target in (
            self.targets.reps.get(user_id),
            team.target if team else None,
            self.targets.default,
        ):
            if target is not None and (target.calls is not None or target.call_types):
                return target
        return None

    def weekly_target_calls(self, user_id: str) -> int | None:
        """Total weekly calls expected of a rep: the calls target, else the sum per call type."""
        target = self.weekly_target(user_id)
        if target is None:
            return None
        if target.calls is not None:
            return target.calls
        return sum(target.call_types.values()) or None

    def connect_outcomes(self) -> set[str]:
        return {o.key for o in self.outcomes if "connect" in o.counts_as}

    def meeting_outcomes(self) -> set[str]:
        return {o.key for o in self.outcomes if "meeting" in o.counts_as}


def _unique(keys: list[str], what: str) -> None:
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"{what} has duplicates {dupes}; each must appear once")


def load_settings(path: str | Path) -> Settings:
    """Read and validate app.yaml, turning every problem into one readable ConfigError."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: file not found; set CHECKIN_CONFIG or copy app.yaml from the repository"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None

    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")

    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(format_errors(path, exc)) from None

    logger.info(
        "Loaded %s: %d teams, %d reps, %d call types, %d outcomes",
        path,
        len(settings.teams),
        sum(len(t.reps) for t in settings.teams),
        len(settings.call_types),
        len(settings.outcomes),
    )
    return settings


def format_errors(path: Path, exc: ValidationError) -> str:
    """One line per problem: the key path, the bad value and how to fix it."""
    lines = [f"{path}: {exc.error_count()} problem(s)"]
    for error in exc.errors():
        where = _key_path(error["loc"]) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "is not a setting rep-checkin knows; check the spelling or remove it"
        elif error["type"] == "missing":
            message = "is required"
        value = error.get("input")
        shown = "" if error["type"] == "missing" or isinstance(value, dict) else f" = {value!r}"
        lines.append(f"  {where}{shown}: {message}")
    return "\n".join(lines)


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
