"""The rep check-in loop end to end: a tick's prompt, the modal, the DM summary, over HTTP."""

from __future__ import annotations

from datetime import date

from tests.conftest import Bot, wait_until

NIA = "U01REP0001"  # East, New York
OMAR = "U01REP0002"  # East, New York
DAY = date(2026, 12, 3)


def test_prompt_modal_and_summary(bot: Bot) -> None:
    report = bot.tick("2026-12-03T21:30Z")  # 16:30 in New York
    assert report.sent == {"prompt": 2}

    prompt = bot.last_dm(NIA)
    assert "Log today's calls" in str(prompt["blocks"])

    opened = bot.driver.click(NIA, prompt, "open_checkin")
    assert opened.status == 200
    modal = wait_until(lambda: bot.standin.open_view(NIA))
    assert modal["callback_id"] == "checkin_modal"

    answer = bot.driver.fill_modal(
        NIA, {"cold_call.no_answer.20261203": 12, "demo.meeting_booked.20261203": 2}
    )
    assert answer.ok, answer.text
    assert bot.standin.open_view(NIA) is None

    counts = bot.services.store.entries.day_counts(NIA, DAY)
    assert counts == {("cold_call", "no_answer"): 12, ("demo", "meeting_booked"): 2}
    summary = wait_until(lambda: "14 calls" in bot.last_dm(NIA)["text"] and bot.last_dm(NIA))
    assert summary["ts"] == prompt["ts"], "the prompt itself is replaced by the summary"


def test_submitting_twice_sets_never_adds(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")
    for _ in range(2):
        bot.driver.click(NIA, bot.last_dm(NIA), "open_checkin")
        wait_until(lambda: bot.standin.open_view(NIA))
        assert bot.driver.fill_modal(NIA, {"cold_call.voicemail.20261203": 7}).ok

    assert bot.services.store.entries.day_counts(NIA, DAY) == {("cold_call", "voicemail"): 7}
    trail = bot.services.store.entries.changes(NIA, DAY)
    assert [(c.old_count, c.new_count) for c in trail] == [(None, 7)]


def test_a_form_left_open_keeps_a_quick_log_made_meanwhile(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")
    bot.driver.slash_command(NIA, "/checkin", "3 follow connected")
    bot.driver.click(NIA, bot.last_dm(NIA), "open_checkin")
    wait_until(lambda: bot.standin.open_view(NIA))

    # From a phone while the form is open on the laptop:
    bot.driver.slash_command(NIA, "/checkin", "12 cold no_answer, 4 follow connected")
    answer = bot.driver.fill_modal(NIA, {"demo.won.20261203": 5, "follow_up.connected.20261203": 6})

    assert answer.ok, answer.text
    assert bot.services.store.entries.day_counts(NIA, DAY) == {
        ("cold_call", "no_answer"): 12,  # untouched in the form: the quick log stands
        ("follow_up", "connected"): 6,  # changed in the form: the form wins
        ("demo", "won"): 5,
    }


def test_clearing_a_box_in_the_form_sets_it_to_zero(bot: Bot) -> None:
    bot.driver.slash_command(NIA, "/checkin", "4 follow conn, 2 demo won")
    bot.driver.slash_command(NIA, "/checkin", "")
    wait_until(lambda: bot.standin.open_view(NIA))

    assert bot.driver.fill_modal(NIA, {"follow_up.connected.20261203": ""}).ok
    assert bot.services.store.entries.day_counts(NIA, DAY) == {("demo", "won"): 2}


def test_modal_is_prefilled_with_what_is_logged(bot: Bot) -> None:
    logged = bot.driver.slash_command(NIA, "/checkin", "4 follow conn")  # prefixes
    assert "Saved" in logged.json["text"]
    bot.driver.slash_command(NIA, "/checkin", "")
    modal = wait_until(lambda: bot.standin.open_view(NIA))
    inputs = {
        block["block_id"]: block["element"].get("initial_value")
        for block in modal["blocks"]
        if block["type"] == "input" and block["element"]["type"] == "number_input"
    }
    assert len(inputs) == 35
    assert {k: v for k, v in inputs.items() if v} == {"follow_up.connected.20261203": "4"}


def test_bad_counts_are_inline_errors_and_store_nothing(bot: Bot) -> None:
    bot.driver.slash_command(NIA, "/checkin", "")
    wait_until(lambda: bot.standin.open_view(NIA))
    bad = {
        "cold_call.no_answer.20261203": {"count": {"type": "number_input", "value": "-3"}},
        "demo.won.20261203": {"count": {"type": "number_input", "value": "2.5"}},
        "closing.lost.20261203": {"count": {"type": "number_input", "value": "201"}},
    }
    answer = bot.driver.submit_view(NIA, bad)

    assert answer.status == 200
    assert answer.json["response_action"] == "errors"
    assert set(answer.json["errors"]) == set(bad)
    assert bot.standin.open_view(NIA) is not None, "the modal stays open"
    assert bot.services.store.entries.day_counts(NIA, DAY) == {}
    assert bot.services.store.entries.checked_in([(NIA, DAY)]) == set()


def test_future_and_too_old_dates_are_refused_inline(bot: Bot) -> None:
    bot.driver.slash_command(NIA, "/checkin", "")
    wait_until(lambda: bot.standin.open_view(NIA))
    for picked in ("2026-12-04", "2026-11-20"):
        values = {"work_date": {"date": {"type": "datepicker", "selected_date": picked}}}
        answer = bot.driver.submit_view(NIA, values)
        assert answer.json["response_action"] == "errors"
        assert "work_date" in answer.json["errors"]
    assert bot.services.store.entries.checked_in([(NIA, DAY)]) == set()
