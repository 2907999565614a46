"""/checkin over signed HTTP: quick form, days off, help, and people it does not serve."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import Bot, wait_until

NIA = "U01REP0001"
DAY = date(2026, 12, 3)


@pytest.fixture(autouse=True)
def at_noon_in_new_york(bot: Bot) -> None:
    bot.clock.set("2026-12-03T17:00Z")


def test_quick_form_logs_by_key_label_and_prefix(bot: Bot) -> None:
    reply = bot.driver.slash_command(NIA, "/checkin", "12 cold no_answer, 3 Demo meeting booked")

    assert reply.status == 200
    assert "Saved" in reply.json["text"]
    assert bot.services.store.entries.day_counts(NIA, DAY) == {
        ("cold_call", "no_answer"): 12,
        ("demo", "meeting_booked"): 3,
    }


def test_quick_form_repeated_sets_the_same_numbers(bot: Bot) -> None:
    for _ in range(3):
        bot.driver.slash_command(NIA, "/checkin", "5 cold voicemail")
    assert bot.services.store.entries.day_counts(NIA, DAY) == {("cold_call", "voicemail"): 5}


@pytest.mark.parametrize(
    "text",
    [
        "12 banana",
        "12 cold",
        "-3 cold no_answer",
        "1000 cold no_answer",
        "3.5 demo won",
        "x cold won",
    ],
)
def test_unparseable_quick_form_shows_valid_words_and_writes_nothing(bot: Bot, text: str) -> None:
    reply = bot.driver.slash_command(NIA, "/checkin", text)

    assert reply.status == 200
    assert "cold_call" in reply.json["text"] and "no_answer" in reply.json["text"]
    assert "Nothing was saved" in reply.json["text"]
    assert bot.services.store.entries.day_counts(NIA, DAY) == {}
    assert bot.standin.ephemerals(NIA)[-1]["source"] == "command_response"


def test_quick_form_for_a_future_day_is_refused(bot: Bot) -> None:
    reply = bot.driver.slash_command(NIA, "/checkin", "2026-12-05 3 demo won")
    assert "hasn't happened yet" in reply.json["text"]
    assert bot.services.store.entries.rows(None, None) == []


def test_quick_form_for_yesterday(bot: Bot) -> None:
    bot.driver.slash_command(NIA, "/checkin", "yesterday 2 closing won")
    assert bot.services.store.entries.day_counts(NIA, date(2026, 12, 2)) == {("closing", "won"): 2}


def test_days_off_range(bot: Bot) -> None:
    reply = bot.driver.slash_command(NIA, "/checkin", "off 2026-12-24..2026-12-31")

    assert reply.status == 200
    off = bot.services.store.days_off.between(date(2026, 12, 1), date(2027, 1, 31))
    assert sorted(day for _, day in off) == [date(2026, 12, d) for d in range(24, 32)]


def test_help(bot: Bot) -> None:
    reply = bot.driver.slash_command(NIA, "/checkin", "help")
    assert "off" in reply.text and "/checkin" in reply.text


def test_someone_on_no_team_is_told_in_one_line(bot: Bot) -> None:
    reply = bot.driver.slash_command("U09STRANGER", "/checkin", "12 cold no_answer")

    assert "\n" not in reply.json["text"]
    assert "not on any team" in reply.json["text"]
    assert bot.services.store.entries.rows(None, None) == []


def test_a_manager_is_pointed_elsewhere(bot: Bot) -> None:
    reply = bot.driver.slash_command("U01MGR0001", "/checkin", "")
    assert "for reps" in reply.json["text"]
    assert bot.standin.open_view("U01MGR0001") is None


def test_quick_log_updates_the_days_prompt(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")
    prompt = bot.last_dm(NIA)

    bot.driver.slash_command(NIA, "/checkin", "8 cold connected")

    updated = wait_until(lambda: "8 calls" in bot.last_dm(NIA)["text"] and bot.last_dm(NIA))
    assert updated["ts"] == prompt["ts"]
