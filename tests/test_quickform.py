"""/checkin text: opening the form, help, days off and the one-line quick log."""

from __future__ import annotations

from datetime import date

import pytest

from bot.quickform import (
    MAX_DAYS_OFF,
    DaysOff,
    Help,
    OpenModal,
    QuickFormError,
    QuickLog,
    parse_command,
)
from bot.settings import DEFAULT_CALL_TYPES, DEFAULT_OUTCOMES, Outcome

TODAY = date(2026, 12, 3)
YESTERDAY = date(2026, 12, 2)


def parse(text: str, outcomes: list[Outcome] = DEFAULT_OUTCOMES) -> object:
    return parse_command(
        text, call_types=DEFAULT_CALL_TYPES, outcomes=outcomes, max_count=200, today=TODAY
    )


def error_of(text: str, outcomes: list[Outcome] = DEFAULT_OUTCOMES) -> str:
    with pytest.raises(QuickFormError) as caught:
        parse(text, outcomes)
    return str(caught.value)


# Opening the form, help ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("", TODAY),
        ("   ", TODAY),
        ("today", TODAY),
        ("yesterday", YESTERDAY),
        ("2026-11-30", date(2026, 11, 30)),
    ],
)
def test_no_counts_opens_the_form(text: str, day: date) -> None:
    assert parse(text) == OpenModal(day)


@pytest.mark.parametrize("text", ["help", "HELP", " Help ", "?"])
def test_help(text: str) -> None:
    assert parse(text) == Help()


# Quick log -----------------------------------------------------------------------------


def test_keys_separated_by_commas_and_semicolons() -> None:
    command = parse("12 cold_call no_answer, 3 demo meeting_booked; 1 closing won")

    assert command == QuickLog(
        TODAY,
        {("cold_call", "no_answer"): 12, ("demo", "meeting_booked"): 3, ("closing", "won"): 1},
    )


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("4 Cold call No answer", ("cold_call", "no_answer")),  # labels, any case
        ("4 cold-call no-answer", ("cold_call", "no_answer")),  # hyphens for underscores
        ("4 COLD_CALL NO_ANSWER", ("cold_call", "no_answer")),
        ("4 cold no", ("cold_call", "no_answer")),  # prefixes
        ("4 follow-up voice", ("follow_up", "voicemail")),
        ("4 follow up meeting", ("follow_up", "meeting_booked")),
        ("4 disc deal adv", ("discovery", "deal_advanced")),
        ("4 dem w", ("demo", "won")),
        ("4 closing connected", ("closing", "connected")),
    ],
)
def test_keys_labels_and_unambiguous_prefixes(text: str, cell: tuple[str, str]) -> None:
    assert parse(text) == QuickLog(TODAY, {cell: 4})


def test_zero_is_a_count() -> None:
    assert parse("0 demo won") == QuickLog(TODAY, {("demo", "won"): 0})


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("yesterday 5 demo won", YESTERDAY),
        ("Yesterday, 5 demo won", YESTERDAY),
        ("2026-11-30 5 demo won", date(2026, 11, 30)),
        ("2026-11-30; 5 demo won", date(2026, 11, 30)),
        ("today 5 demo won", TODAY),
    ],
)
def test_a_leading_day_logs_that_day(text: str, day: date) -> None:
    assert parse(text) == QuickLog(day, {("demo", "won"): 5})


def test_prefix_matching_two_call_types_is_ambiguous() -> None:
    message = error_of("5 d won")

    assert "`5 d won` could mean" in message
    assert "*Demo · Won*" in message and "*Discovery · Won*" in message


def test_prefix_matching_two_outcomes_is_ambiguous() -> None:
    outcomes = [*DEFAULT_OUTCOMES, Outcome(key="no_show", label="No show")]

    message = error_of("3 demo no", outcomes)

    assert "*Demo · No answer*" in message and "*Demo · No show*" in message
    assert parse("3 demo no s", outcomes) == QuickLog(TODAY, {("demo", "no_show"): 3})


def test_an_exact_word_beats_a_longer_word_it_prefixes() -> None:
    outcomes = [*DEFAULT_OUTCOMES, Outcome(key="won_big", label="Won big")]

    assert parse("2 demo won", outcomes) == QuickLog(TODAY, {("demo", "won"): 2})
    assert parse("2 demo won b", outcomes) == QuickLog(TODAY, {("demo", "won_big"): 2})


def test_errors_list_the_valid_words_and_an_example() -> None:
    message = error_of("12 coldcall nope")

    assert "I don't know the call type in `12 coldcall nope`" in message
    for item in [*DEFAULT_CALL_TYPES, *DEFAULT_OUTCOMES]:
        assert f"`{item.key}`" in message
    assert "`/checkin 12 cold_call no_answer, 3 closing meeting_booked`" in message
    assert message.endswith("Nothing was saved.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 cold nope", "I don't know the outcome in `12 cold nope`"),
        ("cold no answer", "`cold no answer` should start with a number"),
        ("12", "`12` needs a call type and an outcome"),
        ("12 demo", "`12 demo` needs a call type and an outcome"),
        ("3.5 demo won", "no decimals"),
        ("-2 demo won", "negative"),
        ("201 demo won", "At most 200"),
        ("1" * 5000 + " demo won", "At most 200"),  # past the digits Python reads
        ("12 cold no answer 3 demo won", "Separate the parts with commas"),
        ("2026-02-30 3 demo won", "`2026-02-30` is not a date"),
        ("3 demo won, 4 demo w", "`3 demo won` and `4 demo w` both set *Demo · Won*"),
    ],
)
def test_what_cannot_be_read_is_quoted_and_nothing_is_saved(text: str, expected: str) -> None:
    message = error_of(text)

    assert expected in message
    assert "*Call types:*" in message and "Nothing was saved." in message


def test_quoted_text_is_escaped_for_mrkdwn() -> None:
    message = error_of("3 <!here> & won")

    assert "&lt;!here&gt; &amp;" in message and "<!here>" not in message


def test_a_later_bad_segment_saves_nothing_from_the_earlier_ones() -> None:
    message = error_of("12 cold no answer, 3 demo nope")

    assert "`3 demo nope`" in message


# Days off ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("off today", TODAY, TODAY),
        ("off tomorrow", date(2026, 12, 4), date(2026, 12, 4)),
        ("OFF 2026-12-24", date(2026, 12, 24), date(2026, 12, 24)),
        ("off 2026-12-24..2026-12-31", date(2026, 12, 24), date(2026, 12, 31)),
        ("off 2026-12-24 .. 2026-12-31", date(2026, 12, 24), date(2026, 12, 31)),
        ("off 2026-12-24 to 2026-12-31", date(2026, 12, 24), date(2026, 12, 31)),
        ("off today..2027-01-02", TODAY, date(2027, 1, 2)),
        ("off 2026-12-01..2026-12-31", date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_days_off(text: str, start: date, end: date) -> None:
    assert parse(text) == DaysOff(start, end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("off", "Say which days"),
        ("off someday", "can't read `someday`"),
        ("off 2026-12-31..2026-12-24", "ends before it starts"),
        ("off 2026-12-01..2027-01-01", f"longer than {MAX_DAYS_OFF} days"),
        ("off 2026-02-30", "can't read"),
    ],
)
def test_bad_days_off_explain_the_forms(text: str, expected: str) -> None:
    message = error_of(text)

    assert expected in message
    assert "`/checkin off tomorrow`" in message and "Nothing was saved." in message
