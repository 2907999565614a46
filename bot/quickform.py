"""Reading the text after /checkin: open the form, help, days off, or a one-line quick log."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.blocks import escape
from bot.blocks.modal import read_count
from bot.settings import CallType, Outcome
from bot.slack_text import slack_unescape

logger = logging.getLogger(__name__)

MAX_DAYS_OFF = 31
HELP_WORDS = frozenset({"help", "?"})

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[-+]?\d*[.,]?\d+$")
_HEAD = re.compile(r"[\s,;]+")
_SEPARATORS = re.compile(r"[,;\n]")
_RANGE = re.compile(r"\s*(?:\.\.|\bto\b)\s*")
_QUOTE_LIMIT = 80

Cell = tuple[str, str]


@dataclass(frozen=True)
class OpenModal:
    day: date


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class DaysOff:
    """Days to mark off, or with `back_to_work` to make workdays again."""

    start: date
    end: date
    back_to_work: bool = False


@dataclass(frozen=True)
class QuickLog:
    day: date
    cells: dict[Cell, int]


Command = OpenModal | Help | DaysOff | QuickLog


class QuickFormError(ValueError):
    """The text could not be read; str(error) is the whole ephemeral reply, in mrkdwn."""


@dataclass(frozen=True)
class _Vocabulary:
    """Call types and outcomes, each key with the normalised words a rep may type for it."""

    call_types: dict[str, tuple[str, ...]]
    outcomes: dict[str, tuple[str, ...]]
    call_type_labels: dict[str, str]
    outcome_labels: dict[str, str]
    example: str


def parse_command(
    text: str,
    *,
    call_types: Sequence[CallType],
    outcomes: Sequence[Outcome],
    max_count: int,
    today: date,
) -> Command:
    """Turn /checkin text into one command, or raise QuickFormError; nothing is saved here.

    Dates are only read, not judged: the caller checks the edit window, workdays and
    whether a day is in the future.
    """
    text = slack_unescape(text).strip()
    if not text:
        return OpenModal(today)
    if text.lower() in HELP_WORDS:
        return Help()

    first, rest = _head(text)
    if first.lower() in ("off", "on"):
        return _parse_days_off(rest, today, back_to_work=first.lower() == "on")

    vocabulary = _vocabulary(call_types, outcomes)
    try:
        day = _day_word(first, today)
    except ValueError:
        raise _log_error(
            f"{_quote(first)} is not a date; write it as YYYY-MM-DD.", vocabulary.example
        ) from None
    if day is not None:
        text = rest
    segments = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    if not segments:
        return OpenModal(day or today)

    cells: dict[Cell, int] = {}
    seen: dict[Cell, str] = {}
    for segment in segments:
        cell, count = _parse_segment(segment, vocabulary, max_count)
        if cell in seen:
            raise _log_error(
                f"{_quote(seen[cell])} and {_quote(segment)} both set "
                f"*{_cell_label(cell, vocabulary)}*; give each one once.",
                vocabulary.example,
            )
        seen[cell] = segment
        cells[cell] = count
    return QuickLog(day=day or today, cells=cells)


def _parse_segment(segment: str, vocabulary: _Vocabulary, max_count: int) -> tuple[Cell, int]:
    """`12 cold no answer` -> (("cold_call", "no_answer"), 12)."""
    first, rest = _head(segment)
    if not _NUMBER.match(first):
        raise _log_error(
            f"{_quote(segment)} should start with a number of calls.", vocabulary.example
        )
    try:
        count = read_count(first, max_count)
    except ValueError as exc:
        raise _log_error(f"{_quote(segment)}: {exc}", vocabulary.example) from None

    words = _normalise(rest).split()
    if len(words) < 2:
        raise _log_error(
            f"{_quote(segment)} needs a call type and an outcome after the number.",
            vocabulary.example,
        )
    return _match_cell(segment, words, vocabulary), count


def _match_cell(segment: str, words: list[str], vocabulary: _Vocabulary) -> Cell:
    """Try every split between call-type words and outcome words; exactly one must fit."""
    readings: set[Cell] = set()
    call_type_found = False
    for split in range(1, len(words)):
        call_type_keys = _matches(" ".join(words[:split]), vocabulary.call_types)
        outcome_keys = _matches(" ".join(words[split:]), vocabulary.outcomes)
        call_type_found = call_type_found or bool(call_type_keys)
        readings.update((c, o) for c in call_type_keys for o in outcome_keys)

    if len(readings) == 1:
        return readings.pop()
    if readings:
        options = " or ".join(f"*{_cell_label(cell, vocabulary)}*" for cell in sorted(readings))
        problem = f"{_quote(segment)} could mean {options}; type more of the word."
    elif call_type_found:
        problem = f"I don't know the outcome in {_quote(segment)}."
    else:
        problem = f"I don't know the call type in {_quote(segment)}."
    if any(word.isdigit() for word in words):
        problem += " Separate the parts with commas."
    raise _log_error(problem, vocabulary.example)


def _matches(phrase: str, names: dict[str, tuple[str, ...]]) -> list[str]:
    """Keys whose key or label is `phrase`; failing that, those it is a prefix of."""
    exact = [key for key, spellings in names.items() if phrase in spellings]
    if exact:
        return exact
    return [key for key, spellings in names.items() if any(s.startswith(phrase) for s in spellings)]


def _parse_days_off(spec: str, today: date, *, back_to_work: bool) -> DaysOff:
    """`today`, `tomorrow`, `2026-12-24` or `2026-12-24..2026-12-31`."""
    if not spec:
        raise _off_error("Say which days you're off.", today)
    parts = _RANGE.split(spec, maxsplit=1)
    start, end = _off_day(parts[0], spec, today), _off_day(parts[-1], spec, today)

    if end < start:
        raise _off_error(f"{_quote(spec)} ends before it starts.", today)
    if (end - start).days + 1 > MAX_DAYS_OFF:
        raise _off_error(f"{_quote(spec)} is longer than {MAX_DAYS_OFF} days.", today)
    return DaysOff(start=start, end=end, back_to_work=back_to_work)


def _off_day(word: str, spec: str, today: date) -> date:
    try:
        day = _day_word(word, today)
    except ValueError:
        day = None
    if day is None:
        raise _off_error(f"I can't read {_quote(spec)} as a day or a range of days.", today)
    return day


def _day_word(word: str, today: date) -> date | None:
    """A day named by a word or an ISO date; None if `word` names no day.

    Raises ValueError for what looks like an ISO date but is none, such as 2026-02-30.
    """
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}.get(word.lower())
    if relative is not None:
        return today + timedelta(days=relative)
    if not _ISO_DATE.match(word):
        return None
    return date.fromisoformat(word)


def _vocabulary(call_types: Sequence[CallType], outcomes: Sequence[Outcome]) -> _Vocabulary:
    return _Vocabulary(
        call_types={c.key: (_normalise(c.key), _normalise(c.label)) for c in call_types},
        outcomes={o.key: (_normalise(o.key), _normalise(o.label)) for o in outcomes},
        call_type_labels={c.key: c.label for c in call_types},
        outcome_labels={o.key: o.label for o in outcomes},
        example=_example(call_types, outcomes),
    )


def example_command(call_types: Sequence[CallType], outcomes: Sequence[Outcome]) -> str:
    """A quick log built from the configured keys, e.g. /checkin 12 cold_call no_answer, ...

    app.yaml's schema requires at least one call type and one outcome, which this needs.
    """
    meeting = next((o for o in outcomes if "meeting" in o.counts_as), outcomes[-1])
    return (
        f"/checkin 12 {call_types[0].key} {outcomes[0].key}, 3 {call_types[-1].key} {meeting.key}"
    )


def _example(call_types: Sequence[CallType], outcomes: Sequence[Outcome]) -> str:
    return (
        f"*Call types:* {_key_list(call_types)}\n"
        f"*Outcomes:* {_key_list(outcomes)}\n"
        f"*Example:* `{example_command(call_types, outcomes)}` (put `yesterday` or a date "
        "as YYYY-MM-DD first to log another day)"
    )


def _key_list(items: Sequence[CallType]) -> str:
    return ", ".join(f"`{item.key}`" for item in items)


def _cell_label(cell: Cell, vocabulary: _Vocabulary) -> str:
    call_type, outcome = cell
    return escape(
        f"{vocabulary.call_type_labels[call_type]} · {vocabulary.outcome_labels[outcome]}"
    )


def _head(text: str) -> tuple[str, str]:
    """The first word and the rest, dropping the spaces or separators between them."""
    first, *rest = _HEAD.split(text, maxsplit=1)
    return first, rest[0] if rest else ""


def _normalise(text: str) -> str:
    """Case, spaces, hyphens and underscores don't matter: 'Follow-up' == 'follow_up'."""
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


def _quote(text: str) -> str:
    shown = text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"
    return "`" + escape(shown.replace("`", "'")) + "`"


def _log_error(problem: str, example: str) -> QuickFormError:
    logger.debug("Quick form not understood: %s", problem)
    return QuickFormError(f"{problem}\n{example}\nNothing was saved.")


def _off_error(problem: str, today: date) -> QuickFormError:
    logger.debug("Days off not understood: %s", problem)
    start, end = today + timedelta(days=1), today + timedelta(days=7)
    return QuickFormError(
        f"{problem}\n*Days off:* `/checkin off today`, `/checkin off tomorrow`, "
        f"`/checkin off {start.isoformat()}` or a range of up to {MAX_DAYS_OFF} days: "
        f"`/checkin off {start.isoformat()}..{end.isoformat()}`; `/checkin on` and the same "
        "days undoes them.\nNothing was saved."
    )
