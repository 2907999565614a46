"""The last few expected workdays of each rep, the window most rules look at."""

from __future__ import annotations

import pandas as pd

from metrics.compliance import settled_days
from metrics.frames import DateLike


def recent_days(
    checkins: pd.DataFrame, expected: pd.DataFrame, as_of: DateLike, days: int
) -> pd.DataFrame:
    """Each rep's latest `days` settled workdays, for reps who have that many.

    Columns as settled_days (rep_id, team, work_date, checked_in), oldest first per rep.
    A rep with fewer settled days (new, or a short expected frame) is left out.
    """
    latest = settled_days(checkins, expected, as_of).groupby("rep_id").tail(days)
    enough = latest.groupby("rep_id")["work_date"].transform("size") == days
    return latest.loc[enough].reset_index(drop=True)
