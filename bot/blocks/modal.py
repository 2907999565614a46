"""The check-in modal: building it for one day, and reading and checking what a rep saved."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.blocks import BlockDict, context, plain, short_day
from bot.settings import CallType, Outcome

logger = logging.getLogger(__name__)

CALLBACK_ID = "checkin_modal"
DATE_BLOCK_ID = "work_date"
DATE_ACTION_ID = "date"
COUNT_ACTION_ID = "count"

_COUNT_BLOCK_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.(\d{8})$")
_WHOLE = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^-?\d*[.,]\d+$")
_NEGATIVE = re.compile(r"^-\d+$")

STALE_FORM = "The form is still loading this day's numbers; wait a moment, then Save."

Cells = dict[tuple[str, str], int]


@dataclass(frozen=True)
class ModalContext:
    """What the modal carries in private_metadata; any field may be None if it was garbled."""

    day: date | None
    channel: str | None
    ts: str | None


class ModalErrors(ValueError):  # noqa: N818 - the name the listeners are wired to
    """A submission Slack should show back to the rep: block_id -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{block}: {text}" for block, text in errors.items()))
        self.errors = errors

    def response(self) -> dict[str, Any]:
        """The body to ack a view_submission with, so Slack marks each bad field."""
        return {"response_action": "errors", "errors": self.errors}


def count_block_id(call_type: str, outcome: str, day: date) -> str:
    """The date in it makes Slack drop typed values when the modal moves to another day."""
    return f"{call_type}.{outcome}.{day:%Y%m%d}"


def checkin_modal(
    *,
    day: date,
    today: date,
    earliest: date,
    call_types: Sequence[CallType],
    outcomes: Sequence[Outcome],
    counts: Mapping[tuple[str, str], int],
    max_count: int,
    channel: str | None = None,
    ts: str | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """The modal for one day, prefilled with what is already logged for it.

    `today` and `earliest` bound the days a rep may pick; Slack's datepicker cannot limit
    them, so the hint says so and parse_modal_submission enforces it. `notice` (why this
    day cannot be saved) takes the place of the introduction.
    """
    intro = f":warning: {notice}" if notice else _intro(day, today)
    blocks = [_date_input(day), context(intro)]

    for call_type in call_types:
        blocks.append({"type": "header", "text": plain(call_type.label)})
        for outcome in outcomes:
            blocks.append(_count_input(call_type, outcome, day, counts, max_count))

    blocks.append(
        context(
            f"Up to {max_count} in one box. You can log or correct days back to "
            f"{short_day(earliest)}."
        )
    )
    metadata = {"date": day.isoformat(), "channel": channel, "ts": ts}
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": plain(f"Check-in · {short_day(day)}"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def parse_modal_submission(
    values: Mapping[str, Any],
    *,
    call_types: Sequence[CallType],
    outcomes: Sequence[Outcome],
    max_count: int,
    today: date,
    earliest: date,
) -> tuple[date, Cells]:
    """The picked day and every (call type, outcome) count for it, blank read as 0.

    The grid is complete so the caller can SET the day's numbers. Raises ModalErrors
    when the day or any count is wrong, or when the form still shows another day.
    """
    day = picked_date(values)
    if day is None:
        raise ModalErrors({DATE_BLOCK_ID: "Pick the day these calls were made."})
    problem = day_problem(day, today=today, earliest=earliest)
    if problem:
        raise ModalErrors({DATE_BLOCK_ID: problem})

    shown = {found for found in map(_block_id_date, values) if found}
    if shown and day not in shown:
        logger.info("Check-in modal saved for %s while it still showed %s", day, sorted(shown))
        raise ModalErrors({DATE_BLOCK_ID: STALE_FORM})

    cells: Cells = {}
    errors: dict[str, str] = {}
    for call_type in call_types:
        for outcome in outcomes:
            block_id = count_block_id(call_type.key, outcome.key, day)
            try:
                cells[call_type.key, outcome.key] = read_count(
                    _raw_count(values, block_id), max_count
                )
            except ValueError as exc:
                errors[block_id] = str(exc)

    if errors:
        raise ModalErrors(errors)
    return day, cells


def shown_counts(blocks: Sequence[Mapping[str, Any]] | None, day: date) -> Cells | None:
    """The counts the form showed when it opened (its initial values) for `day`.

    None when the submission carries no blocks, so the caller cannot tell what the rep
    changed. Unreadable initial values count as 0, as a blank box does.
    """
    if blocks is None:
        return None
    shown: Cells = {}
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        if _block_id_date(block_id) != day:
            continue
        call_type, outcome, _ = block_id.split(".")
        initial = str((block.get("element") or {}).get("initial_value") or "")
        shown[call_type, outcome] = int(initial) if _WHOLE.match(initial) else 0
    return shown


def read_count(raw: str | None, max_count: int) -> int:
    """A count typed by a rep; blank is 0. ValueError says what is wrong, in the rep's words."""
    text = (raw or "").strip()
    if not text:
        return 0
    if _NEGATIVE.match(text):
        raise ValueError("Can't be negative; enter 0 or more.")
    if _DECIMAL.match(text):
        raise ValueError("Whole calls only, no decimals.")
    if not _WHOLE.match(text):
        raise ValueError(f"Enter a whole number from 0 to {max_count}.")
    # More digits than the maximum has cannot fit, and Python refuses to read huge ones.
    if len(text.lstrip("0")) > len(str(max_count)) or int(text) > max_count:
        raise ValueError(f"At most {max_count} for one day; check for a typo.")
    return int(text)


def day_problem(day: date, *, today: date, earliest: date) -> str | None:
    """Why a rep may not log `day`, or None if they may."""
    if day > today:
        return "That day hasn't happened yet; pick today or an earlier day."
    if day < earliest:
        return f"You can log or correct days back to {short_day(earliest)}; pick a later day."
    return None


def picked_date(values: Mapping[str, Any]) -> date | None:
    """The date in the modal's datepicker (view.state.values), or None if unset or unreadable."""
    element = values.get(DATE_BLOCK_ID, {}).get(DATE_ACTION_ID, {})
    return _iso_date(element.get("selected_date"))


def read_private_metadata(view: Mapping[str, Any]) -> ModalContext:
    """The modal's day, DM channel and DM ts; garbled metadata gives None fields, not an error."""
    raw = view.get("private_metadata") or ""
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        logger.warning("Check-in modal %s has unreadable private_metadata", view.get("id"))
        return ModalContext(day=None, channel=None, ts=None)

    channel, ts = data.get("channel"), data.get("ts")
    return ModalContext(
        day=_iso_date(data.get("date")),
        channel=channel if isinstance(channel, str) and channel else None,
        ts=ts if isinstance(ts, str) and ts else None,
    )


def _date_input(day: date) -> BlockDict:
    return {
        "type": "input",
        "block_id": DATE_BLOCK_ID,
        "dispatch_action": True,
        "label": plain("Day"),
        "element": {
            "type": "datepicker",
            "action_id": DATE_ACTION_ID,
            "initial_date": day.isoformat(),
        },
    }


def _intro(day: date, today: date) -> str:
    which = "today" if day == today else f"*{short_day(day)}*"
    return (
        f"Enter your calls for {which}. Saving *sets* the day's numbers: they replace what "
        "was logged before, they never add to it. A blank box means 0."
    )


def _count_input(
    call_type: CallType,
    outcome: Outcome,
    day: date,
    counts: Mapping[tuple[str, str], int],
    max_count: int,
) -> BlockDict:
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": COUNT_ACTION_ID,
        "is_decimal_allowed": False,
        "min_value": "0",
        # A count logged before max_count was lowered must still load; saving it is refused.
        "max_value": str(max(max_count, counts.get((call_type.key, outcome.key), 0))),
    }
    logged = counts.get((call_type.key, outcome.key))
    if logged is not None:
        element["initial_value"] = str(logged)
    return {
        "type": "input",
        "block_id": count_block_id(call_type.key, outcome.key, day),
        "optional": True,
        "label": plain(outcome.label),
        "element": element,
    }


def _raw_count(values: Mapping[str, Any], block_id: str) -> str | None:
    value = values.get(block_id, {}).get(COUNT_ACTION_ID, {}).get("value")
    return value if isinstance(value, str) else None


def _block_id_date(block_id: str) -> date | None:
    match = _COUNT_BLOCK_ID.match(block_id)
    if not match:
        return None
    try:
        return datetime.strptime(match[1], "%Y%m%d").date()
    except ValueError:
        return None


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
