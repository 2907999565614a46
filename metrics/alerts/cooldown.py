"""Hold back an alert the manager already got recently, so warnings do not nag."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from metrics.alerts.model import Alert
from metrics.calendar import WEEKDAY_KEYS, country_holidays
from metrics.frames import DateLike, as_dates, to_day

logger = logging.getLogger(__name__)


def cooldown_filter(
    alerts: Sequence[Alert],
    previous: pd.DataFrame,
    today: DateLike,
    cooldown_workdays: int = 5,
    workdays: Sequence[str] = WEEKDAY_KEYS[:5],
    country: str | None = None,
) -> list[Alert]:
    """The alerts whose (subject, rule) was not sent in the last `cooldown_workdays`.

    `previous` has subject (Alert.subject; a rep_id column is read as the subject when
    there is none), rule and sent_on. Workdays are the team's (`workdays`, weekday keys)
    less the public holidays of `country`: an alert sent on a Monday is held back until
    the next Monday with the default of five, or the Tuesday when a holiday falls between.
    """
    subjects = previous["subject"] if "subject" in previous.columns else previous["rep_id"]
    last_sent = (
        pd.DataFrame(
            {
                "subject": subjects,
                "rule": previous["rule"],
                "sent_on": as_dates(previous["sent_on"]),
            }
        )
        .groupby(["subject", "rule"])["sent_on"]
        .max()
    )
    day = to_day(today)
    calendar = np.busdaycalendar(
        weekmask=[key in workdays for key in WEEKDAY_KEYS],
        holidays=_holidays(country, last_sent, day),
    )
    kept = [
        alert
        for alert in alerts
        if not _cooling(alert, last_sent, day, cooldown_workdays, calendar)
    ]
    logger.debug("Cool-down held back %d of %d alerts", len(alerts) - len(kept), len(alerts))
    return kept


def _holidays(country: str | None, last_sent: pd.Series, today: pd.Timestamp) -> list[date]:
    """The country's public holidays from the earliest alert still counted to today."""
    if not country or last_sent.dropna().empty:
        return []
    first = min(last_sent.dropna().min(), today)
    return country_holidays(country, range(first.year, today.year + 1))


def _cooling(
    alert: Alert,
    last_sent: pd.Series,
    today: pd.Timestamp,
    workdays: int,
    calendar: np.busdaycalendar,
) -> bool:
    sent_on = last_sent.get((alert.subject, alert.rule))
    if sent_on is None or pd.isna(sent_on):
        return False
    elapsed = np.busday_count(sent_on.date(), today.date(), busdaycal=calendar)
    return bool(elapsed < workdays)
