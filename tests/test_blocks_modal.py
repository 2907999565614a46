"""The check-in modal: its shape and limits, prefill, and reading a submission back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks import validate_view
from bot.blocks.modal import (
    STALE_FORM,
    ModalContext,
    ModalErrors,
    checkin_modal,
    count_block_id,
    parse_modal_submission,
    read_private_metadata,
    shown_counts,
)
from bot.settings import (
    DEFAULT_CALL_TYPES,
    DEFAULT_OUTCOMES,
    MODAL_BLOCK_LIMIT,
    MODAL_FIXED_BLOCKS,
    CallType,
    Outcome,
    Settings,
)

TODAY = date(2026, 12, 3)
EARLIEST = TODAY - timedelta(days=7)
ALL_CELLS = [(c.key, o.key) for c in DEFAULT_CALL_TYPES for o in DEFAULT_OUTCOMES]


def modal(day: date = TODAY, counts: Mapping[tuple[str, str], int] | None = None, **kw: Any) -> Any:
    return checkin_modal(
        day=day,
        today=TODAY,
        earliest=EARLIEST,
        call_types=kw.pop("call_types", DEFAULT_CALL_TYPES),
        outcomes=kw.pop("outcomes", DEFAULT_OUTCOMES),
        counts=counts or {},
        max_count=200,
        **kw,
    )


def assert_valid_view(view: dict[str, Any]) -> None:
    View(**view).validate_json()
    for block in view["blocks"]:
        Block.parse(block).validate_json()  # type: ignore[union-attr]
    assert len(view["blocks"]) <= MODAL_BLOCK_LIMIT
    for key in ("title", "submit", "close"):
        assert len(view[key]["text"]) <= 24
    assert len(view["private_metadata"]) <= 3000
    validate_view(view)


def values(
    day: date, counts: Mapping[tuple[str, str], str | None], picked: date | None = None
) -> dict[str, Any]:
    """view.state.values as Slack sends them: every input block, blank ones with value None."""
    selected = (picked or day).isoformat()
    state: dict[str, Any] = {
        "work_date": {"date": {"type": "datepicker", "selected_date": selected}}
    }
    for call_type, outcome in ALL_CELLS:
        raw = counts.get((call_type, outcome))
        block_id = count_block_id(call_type, outcome, day)
        state[block_id] = {"count": {"type": "number_input", "value": raw}}
    return state


def parse(state: Mapping[str, Any]) -> tuple[date, dict[tuple[str, str], int]]:
    return parse_modal_submission(
        state,
        call_types=DEFAULT_CALL_TYPES,
        outcomes=DEFAULT_OUTCOMES,
        max_count=200,
        today=TODAY,
        earliest=EARLIEST,
    )


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


# Building the modal --------------------------------------------------------------------


def test_modal_shape_follows_the_conventions() -> None:
    view = modal(channel="D0123", ts="1700000000.000100")

    assert_valid_view(view)
    assert view["callback_id"] == "checkin_modal"
    assert view["submit"]["text"] == "Save" and view["close"]["text"] == "Cancel"
    assert json.loads(view["private_metadata"]) == {
        "date": "2026-12-03",
        "channel": "D0123",
        "ts": "1700000000.000100",
    }
    picker = view["blocks"][0]
    assert picker["block_id"] == "work_date" and picker["dispatch_action"] is True
    assert picker["element"] == {
        "type": "datepicker",
        "action_id": "date",
        "initial_date": "2026-12-03",
    }


def test_one_optional_whole_number_input_per_cell() -> None:
    view = modal()
    cells = inputs(view)

    assert set(cells) == {"work_date"} | {f"{c}.{o}.20261203" for c, o in ALL_CELLS}
    demo_won = cells["demo.won.20261203"]
    assert demo_won["optional"] is True and demo_won["label"]["text"] == "Won"
    assert demo_won["element"] == {
        "type": "number_input",
        "action_id": "count",
        "is_decimal_allowed": False,
        "min_value": "0",
        "max_value": "200",
    }
    headers = [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]
    assert headers == [c.label for c in DEFAULT_CALL_TYPES]


def test_block_count_matches_what_settings_reserves() -> None:
    view = modal()

    expected = MODAL_FIXED_BLOCKS + len(DEFAULT_CALL_TYPES) * (len(DEFAULT_OUTCOMES) + 1)
    assert len(view["blocks"]) == expected == 43


@pytest.mark.parametrize(("n_call_types", "n_outcomes"), [(1, 96), (8, 10), (12, 7)])
def test_every_grid_settings_accepts_fits_in_a_modal(n_call_types: int, n_outcomes: int) -> None:
    call_types = [
        CallType(key=f"type_{i}", label=f"Call type {i:02d} " * 3) for i in range(n_call_types)
    ]
    outcomes = [Outcome(key=f"outcome_{i}", label="O" * 40) for i in range(n_outcomes)]
    team = {"name": "East", "manager": "U01MGR0001"}
    Settings.model_validate({"call_types": call_types, "outcomes": outcomes, "teams": [team]})

    view = modal(call_types=call_types, outcomes=outcomes)

    assert_valid_view(view)


def test_settings_refuses_a_grid_one_block_too_big() -> None:
    outcomes = [Outcome(key=f"outcome_{i}", label="O") for i in range(97)]
    team = {"name": "East", "manager": "U01MGR0001"}

    with pytest.raises(ValueError, match="blocks in the check-in modal"):
        Settings.model_validate(
            {"call_types": DEFAULT_CALL_TYPES[:1], "outcomes": outcomes, "teams": [team]}
        )


def test_prefill_shows_logged_counts_including_zero() -> None:
    view = modal(counts={("cold_call", "no_answer"): 12, ("demo", "won"): 0})
    cells = inputs(view)

    assert_valid_view(view)
    assert cells["cold_call.no_answer.20261203"]["element"]["initial_value"] == "12"
    assert cells["demo.won.20261203"]["element"]["initial_value"] == "0"
    assert "initial_value" not in cells["demo.lost.20261203"]["element"]


def test_a_count_above_a_lowered_maximum_still_loads() -> None:
    view = modal(counts={("demo", "won"): 250})

    assert_valid_view(view)
    assert inputs(view)["demo.won.20261203"]["element"]["max_value"] == "250"


def test_modal_explains_set_semantics_and_blank_means_zero() -> None:
    text = json.dumps(modal()["blocks"])

    assert "replace" in text and "never add" in text and "blank box means 0" in text


def test_title_fits_on_every_day_of_the_year() -> None:
    for offset in range(366):
        view = modal(day=TODAY - timedelta(days=offset), channel="D" + "X" * 20, ts="1" * 20)
        assert len(view["title"]["text"]) <= 24
    assert_valid_view(view)


# Reading a submission ------------------------------------------------------------------


def test_submission_returns_the_full_grid_blank_as_zero() -> None:
    day, cells = parse(values(TODAY, {("cold_call", "no_answer"): "12", ("demo", "won"): " 3 "}))

    assert day == TODAY
    assert set(cells) == set(ALL_CELLS)
    assert cells["cold_call", "no_answer"] == 12 and cells["demo", "won"] == 3
    assert sum(cells.values()) == 15


def test_clearing_a_prefilled_box_sets_it_to_zero() -> None:
    """SET semantics: a box emptied by the rep comes back as 0, so the caller overwrites it."""
    _, cells = parse(values(TODAY, {("cold_call", "no_answer"): ""}))

    assert cells["cold_call", "no_answer"] == 0


def test_submission_for_an_earlier_day() -> None:
    day, cells = parse(values(EARLIEST, {("closing", "won"): "1"}))

    assert day == EARLIEST and cells["closing", "won"] == 1


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "negative"),
        ("3.5", "no decimals"),
        ("abc", "whole number"),
        ("201", "At most 200"),
    ],
)
def test_bad_counts_are_reported_on_their_block(raw: str, message: str) -> None:
    state = values(TODAY, {("demo", "won"): raw, ("demo", "lost"): "2"})

    with pytest.raises(ModalErrors) as caught:
        parse(state)

    assert list(caught.value.errors) == ["demo.won.20261203"]
    assert message in caught.value.errors["demo.won.20261203"]


def test_every_bad_box_is_reported_at_once() -> None:
    with pytest.raises(ModalErrors) as caught:
        parse(values(TODAY, {("demo", "won"): "x", ("closing", "lost"): "999"}))

    assert set(caught.value.errors) == {"demo.won.20261203", "closing.lost.20261203"}
    assert caught.value.response() == {"response_action": "errors", "errors": caught.value.errors}


@pytest.mark.parametrize(
    ("picked", "message"),
    [
        (TODAY + timedelta(days=1), "hasn't happened yet"),
        (EARLIEST - timedelta(days=1), "back to Thu, Nov 26"),
    ],
)
def test_days_outside_the_window_are_refused(picked: date, message: str) -> None:
    with pytest.raises(ModalErrors) as caught:
        parse(values(picked, {}))

    assert list(caught.value.errors) == ["work_date"]
    assert message in caught.value.errors["work_date"]


def test_a_missing_date_is_refused() -> None:
    state = values(TODAY, {})
    state["work_date"]["date"]["selected_date"] = None

    with pytest.raises(ModalErrors) as caught:
        parse(state)
    assert "Pick the day" in caught.value.errors["work_date"]

    del state["work_date"]
    with pytest.raises(ModalErrors):
        parse(state)


def test_a_form_not_yet_refreshed_for_the_new_date_is_refused() -> None:
    """The rep picked Dec 2 but the boxes still belong to Dec 3: saving would file them wrongly."""
    state = values(TODAY, {("demo", "won"): "4"}, picked=TODAY - timedelta(days=1))

    with pytest.raises(ModalErrors) as caught:
        parse(state)

    assert caught.value.errors == {"work_date": STALE_FORM}


def test_stale_boxes_of_another_day_are_ignored() -> None:
    state = values(TODAY, {("demo", "won"): "4"})
    state.update(values(TODAY - timedelta(days=1), {("demo", "won"): "99"}))
    state["work_date"]["date"]["selected_date"] = TODAY.isoformat()

    day, cells = parse(state)

    assert day == TODAY and cells["demo", "won"] == 4 and len(cells) == len(ALL_CELLS)


def test_boxes_missing_from_the_state_count_as_zero() -> None:
    state = values(TODAY, {("demo", "won"): "4"})
    del state["closing.lost.20261203"]

    _, cells = parse(state)

    assert cells["closing", "lost"] == 0


# private_metadata ----------------------------------------------------------------------


def test_private_metadata_round_trips() -> None:
    view = modal(day=EARLIEST, channel="D0123", ts="1700000000.000100")

    assert read_private_metadata(view) == ModalContext(EARLIEST, "D0123", "1700000000.000100")
    assert read_private_metadata(modal()) == ModalContext(TODAY, None, None)


@pytest.mark.parametrize(
    "metadata",
    [None, "", "not json", "[1, 2]", '{"date": "2026-13-45", "channel": 5, "ts": ""}'],
)
def test_garbled_private_metadata_gives_empty_fields(metadata: str | None) -> None:
    view = {} if metadata is None else {"private_metadata": metadata}

    assert read_private_metadata(view) == ModalContext(None, None, None)


def test_shown_counts_reads_the_forms_initial_values_for_its_day() -> None:
    view = modal(counts={("cold_call", "no_answer"): 12, ("demo", "won"): 1})

    shown = shown_counts(view["blocks"], TODAY)
    assert shown is not None and len(shown) == len(ALL_CELLS)
    assert {cell: n for cell, n in shown.items() if n} == {
        ("cold_call", "no_answer"): 12,
        ("demo", "won"): 1,
    }
    assert shown_counts(view["blocks"], TODAY - timedelta(days=1)) == {}
    assert shown_counts(None, TODAY) is None
