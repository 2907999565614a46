"""Entries as CSV, in the columns `checkin import` reads back."""

from __future__ import annotations

import csv
from datetime import date
from typing import TextIO

from storage.store import Store

COLUMNS = ("date", "rep", "team", "call_type", "outcome", "count")


def write_csv(store: Store, out: TextIO, since: date | None, until: date | None) -> int:
    """Write every entry between `since` and `until` (inclusive); return how many."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = store.entries.rows(since, until)
    for row in rows:
        writer.writerow(
            (
                row.work_date.isoformat(),
                row.rep_id,
                row.team or "",
                row.call_type,
                row.outcome,
                row.count,
            )
        )
    return len(rows)
