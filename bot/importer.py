"""`checkin import FILE.csv`: history in the columns `checkin export` writes, checked row by row."""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from tqdm import tqdm

from bot.export import COLUMNS
from bot.settings import CallType, Settings
from storage.store import Store

logger = logging.getLogger(__name__)

IMPORTER = "import"


@dataclass
class ImportReport:
    rows: int = 0
    accepted: int = 0
    changed_cells: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    rep: str
    day: date
    call_type: str
    outcome: str
    count: int


def import_csv(
    path: Path, settings: Settings, store: Store, *, now: datetime, progress: bool = True
) -> ImportReport:
    """Validate every row; write the valid ones (setting, never adding); report the rest."""
    report = ImportReport()
    cells: dict[tuple[str, date], dict[tuple[str, str], int]] = defaultdict(dict)

    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            report.rejected.append((1, f"missing column(s) {', '.join(missing)}"))
            return report

        lines = tqdm(reader, desc=f"Reading {path.name}", unit=" rows", disable=not progress)
        for line, raw in enumerate(lines, start=2):
            report.rows += 1
            try:
                row = _check(raw, settings, now.date())
            except ValueError as problem:
                report.rejected.append((line, str(problem)))
                continue
            key = (row.rep, row.day)
            cell = (row.call_type, row.outcome)
            # The same cell on several lines (one per account, say) adds up within a file.
            cells[key][cell] = cells[key].get(cell, 0) + row.count
            report.accepted += 1

    report.changed_cells = store.entries.import_days(
        cells, changed_by=IMPORTER, source=IMPORTER, now=now
    )
    logger.info(
        "Imported %s: %d rows read, %d accepted, %d rejected, %d cells changed",
        path,
        report.rows,
        report.accepted,
        len(report.rejected),
        report.changed_cells,
    )
    return report


def _check(raw: dict[str, str], settings: Settings, today: date) -> _Row:
    """The row as typed values, or ValueError saying what is wrong with it."""
    rep = (raw.get("rep") or "").strip()
    if settings.team_of(rep) is None:
        raise ValueError(f"unknown rep {rep!r}: not a rep on any team in app.yaml")

    try:
        day = date.fromisoformat((raw.get("date") or "").strip())
    except ValueError:
        raise ValueError(f"bad date {raw.get('date')!r}: use YYYY-MM-DD") from None
    if day > today:
        raise ValueError(f"date {day} is in the future")

    call_type = (raw.get("call_type") or "").strip()
    if call_type not in _keys(settings.call_types):
        raise ValueError(
            f"unknown call type {call_type!r}: use one of {_keys(settings.call_types)}"
        )
    outcome = (raw.get("outcome") or "").strip()
    if outcome not in _keys(settings.outcomes):
        raise ValueError(f"unknown outcome {outcome!r}: use one of {_keys(settings.outcomes)}")

    text = (raw.get("count") or "").strip()
    if not text.isdigit() or int(text) > settings.max_count:
        raise ValueError(f"bad count {text!r}: a whole number from 0 to {settings.max_count}")
    return _Row(rep, day, call_type, outcome, int(text))


def _keys(items: Iterable[CallType]) -> list[str]:
    return [item.key for item in items]
