"""`checkin import FILE.csv`: history in the columns `checkin export` writes, checked row by row."""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from bot.export import COLUMNS
from bot.settings import CallType, Settings
from storage.store import Store

logger = logging.getLogger(__name__)

IMPORTER = "import"
SAVE_AS_UTF8 = 'in Excel, use File > Save As > "CSV UTF-8 (Comma delimited)" and import that file'

Cell = tuple[str, str]  # (call_type, outcome)
CellKey = tuple[str, date, str, str]  # (rep, day, call_type, outcome)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; str(error) is the one line to show the operator."""


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
    """Validate every row; write the valid ones (setting, never adding); report the rest.

    Raises ImportFileError, before anything is written, when the file cannot be opened or
    is not UTF-8 CSV.
    """
    report = ImportReport()
    rows = _read_rows(path, settings, now.date(), report, progress)
    cells = _summed_cells(rows, settings.max_count, report)
    report.rejected.sort()

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


def _read_rows(
    path: Path, settings: Settings, today: date, report: ImportReport, progress: bool
) -> list[tuple[int, _Row]]:
    """Each valid row with the line it starts on; the others go to report.rejected."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return _checked_rows(handle, path.name, settings, today, report, progress)
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"{path} is not UTF-8 text: {SAVE_AS_UTF8}.") from None


def _checked_rows(
    handle: TextIO,
    name: str,
    settings: Settings,
    today: date,
    report: ImportReport,
    progress: bool,
) -> list[tuple[int, _Row]]:
    records = _records(handle, name)
    header = _header(next(records, None), report)
    if header is None:
        return []

    rows = []
    for line, fields in tqdm(records, desc=f"Reading {name}", unit=" rows", disable=not progress):
        report.rows += 1
        try:
            rows.append((line, _check(dict(zip(header, fields, strict=False)), settings, today)))
        except ValueError as problem:
            report.rejected.append((line, str(problem)))
    return rows


def _header(first: tuple[int, list[str]] | None, report: ImportReport) -> list[str] | None:
    """The column names of the first record, or None (rejected) when export's are missing."""
    header = [column.strip() for column in first[1]] if first else []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        report.rejected.append(
            (first[0] if first else 1, f"missing column(s) {', '.join(missing)}")
        )
        return None
    return header


def _records(handle: TextIO, name: str) -> Iterator[tuple[int, list[str]]]:
    """Each record that is not blank, with the line it starts on.

    A quoted field may span lines and blank lines are skipped, so a record's number in the
    file is not its line: csv's line_num after the previous record is.
    """
    reader = csv.reader(handle)
    last_line = 0
    try:
        for fields in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if any(value.strip() for value in fields):
                yield first_line, fields
    except csv.Error as exc:
        raise ImportFileError(f"{name} line {reader.line_num} is not valid CSV: {exc}.") from None


def _summed_cells(
    rows: list[tuple[int, _Row]], max_count: int, report: ImportReport
) -> dict[tuple[str, date], dict[Cell, int]]:
    """The counts to set per rep and day; a cell whose lines add up past max_count is rejected.

    The same cell on several lines (one per account, say) adds up within a file. When the
    sum is too large every line of it is rejected, so none of them is half written.
    """
    lines: dict[CellKey, list[tuple[int, int]]] = defaultdict(list)
    for line, row in rows:
        lines[row.rep, row.day, row.call_type, row.outcome].append((line, row.count))

    cells: dict[tuple[str, date], dict[Cell, int]] = defaultdict(dict)
    for (rep, day, call_type, outcome), counted in lines.items():
        total = sum(count for _, count in counted)
        if total > max_count:
            numbers = ", ".join(str(line) for line, _ in counted)
            reason = (
                f"lines {numbers} add up to {total} {call_type}/{outcome} for {rep} on {day}, "
                f"more than the {max_count} a cell may hold"
            )
            report.rejected += [(line, reason) for line, _ in counted]
            continue
        cells[rep, day][call_type, outcome] = total
        report.accepted += len(counted)
    return cells


def _check(raw: dict[str, str], settings: Settings, today: date) -> _Row:
    """The row as typed values, or ValueError saying what is wrong with it."""
    rep = (raw.get("rep") or "").strip()
    team = settings.team_of(rep)
    if team is None:
        raise ValueError(f"unknown rep {rep!r}: not a rep on any team in app.yaml")
    named = (raw.get("team") or "").strip()
    if named and named.lower() != team.name.lower():
        raise ValueError(
            f"rep {rep} is on team {team.name!r} in app.yaml, not {named!r}: "
            "correct the team column or leave it blank"
        )

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
