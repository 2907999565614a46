"""Hold back an alert the manager already got recently, so warnings do not nag."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from metrics.alerts.model import Alert
from metrics.frames import DateLike, as_dates, to_day

logger = logging.getLogger(__name__)


def cooldown_filter(
    alerts: Sequence[Alert],
    previous: pd.DataFrame,
    today: DateLike,
    cooldown_workdays: int = 5,
) -> list[Alert]:
    """The alerts whose (subject, rule) was not sent in the last `cooldown_workdays`.

    `previous` has subject (Alert.subject; a rep_id column is read as the subject when
    there is none), rule and sent_on. An alert sent on a Monday is held back until the
    next Monday with the default of five workdays.

    NOTE: workdays here are Monday to Friday; holidays and team workdays are not known to
    the cool-down, so around a holiday an alert may come back a day early.
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
    kept = [alert for alert in alerts if not _cooling(alert, last_sent, day, cooldown_workdays)]
    logger.debug("Cool-down held back %d of %d alerts", len(alerts) - len(kept), len(alerts))
    return kept


def _cooling(alert: Alert, last_sent: pd.Series, today: pd.Timestamp, workdays: int) -> bool:
    sent_on = last_sent.get((alert.subject, alert.rule))
    if sent_on is None or pd.isna(sent_on):
        return False
    elapsed = np.busday_count(sent_on.date(), today.date())
    return bool(elapsed < workdays)
