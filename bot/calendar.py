"""Each rep's local clock: their time zone, workdays and public holidays."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from bot.settings import WEEKDAYS, Settings
from storage.roster import RepRow

logger = logging.getLogger(__name__)


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def first_zone(*names: str | None) -> ZoneInfo:
    """The first valid IANA zone among `names` (Slack's, then fallbacks), else UTC."""
    for name in names:
        found = zone(name) if name else None
        if found is not None:
            return found
    return ZoneInfo("UTC")


def rep_zone(rep: RepRow, settings: Settings) -> ZoneInfo:
    """Slack's time zone for the rep, else their team's, else the configured default."""
    return first_zone(rep.tz, rep.team_timezone, settings.default_timezone)


@lru_cache(maxsize=256)
def _holidays(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def holiday_name(country: str, day: date) -> str | None:
    name = _holidays(country, day.year).get(day)
    return str(name) if name else None


def is_workday(day: date, workdays: list[str], country: str) -> bool:
    """A configured weekday that is not a public holiday in the team's country."""
    return WEEKDAYS[day.weekday()] in workdays and holiday_name(country, day) is None


def local_at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant a local wall-clock time happens; a time skipped by DST maps past the gap."""
    return datetime.combine(day, at, tzinfo=tz)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)
