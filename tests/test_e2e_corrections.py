"""Corrections over signed HTTP: other days, old prompts, days off undone, every DM kept true."""

from __future__ import annotations

import copy
from datetime import date

from bot.sandbox import payloads
from tests.conftest import Bot, wait_until

NIA = "U01REP0001"  # East, New York
WED, THU = date(2026, 12, 2), date(2026, 12, 3)


def open_form_from(bot: Bot, message: dict) -> dict:
    bot.driver.click(NIA, message, "open_checkin")
    return wait_until(lambda: bot.standin.open_view(NIA))


def shows_day(bot: Bot, day: date) -> dict | None:
    view = bot.standin.open_view(NIA)
    ids = [block.get("block_id", "") for block in view["blocks"]] if view else []
    return view if any(i.endswith(f"{day:%Y%m%d}") for i in ids) else None


def test_another_day_picked_in_a_prompts_form_updates_that_days_prompt(bot: Bot) -> None:
    bot.tick("2026-12-02T21:30Z")
    wednesday_prompt = bot.last_dm(NIA)
    bot.tick("2026-12-03T21:30Z")
    thursday_prompt = bot.last_dm(NIA)

    open_form_from(bot, thursday_prompt)
    bot.driver.view_action(NIA, "work_date", "date", WED.isoformat())
    wait_until(lambda: shows_day(bot, WED))
    assert bot.driver.fill_modal(NIA, {"cold_call.no_answer.20261202": 5}).ok

    def by_ts() -> dict[str, dict]:
        return {m["ts"]: m for m in bot.standin.dm_messages(NIA)}

    wait_until(lambda: "Logged" in by_ts()[wednesday_prompt["ts"]]["text"])
    messages = by_ts()
    assert "Logged for Wednesday, Dec 2: 5 calls" in messages[wednesday_prompt["ts"]]["text"]
    assert "Time to log" in messages[thursday_prompt["ts"]]["text"]


def test_days_outside_the_window_are_refused_not_swapped_for_another(bot: Bot) -> None:
    bot.tick("2026-11-24T21:30Z")
    old_prompt = bot.last_dm(NIA)
    bot.clock.set("2026-12-03T22:00Z")

    for text in ("tomorrow", "2026-11-01"):
        reply = bot.driver.slash_command(NIA, "/checkin", text)
        assert "hasn't happened yet" in reply.json["text"] or "back to" in reply.json["text"]
    assert bot.standin.open_view(NIA) is None

    bot.driver.click(NIA, old_prompt, "open_checkin")
    bot.driver.click(NIA, old_prompt, "day_off")
    said = wait_until(lambda: len(bot.standin.ephemerals(NIA)) >= 2 and bot.standin.ephemerals(NIA))
    assert all("back to" in e["text"] for e in said[-2:])
    assert bot.standin.open_view(NIA) is None
    assert bot.services.store.days_off.among([(NIA, date(2026, 11, 24))]) == set()


def test_a_day_picked_outside_the_window_says_why_and_cannot_be_saved(bot: Bot) -> None:
    bot.clock.set("2026-12-03T22:00Z")
    bot.driver.slash_command(NIA, "/checkin", "")
    wait_until(lambda: bot.standin.open_view(NIA))

    bot.driver.view_action(NIA, "work_date", "date", "2026-11-20")
    view = wait_until(lambda: shows_day(bot, date(2026, 11, 20)))
    assert ":warning: You can log or correct days back to" in str(view["blocks"][1])

    answer = bot.driver.fill_modal(NIA, {"cold_call.no_answer.20261120": 3})
    assert answer.json["response_action"] == "errors"
    assert bot.services.store.entries.day_counts(NIA, date(2026, 11, 20)) == {}


def test_two_quick_date_picks_leave_the_form_on_the_later_one(bot: Bot) -> None:
    bot.clock.set("2026-12-03T22:00Z")
    bot.driver.slash_command(NIA, "/checkin", "")
    first = copy.deepcopy(wait_until(lambda: bot.standin.open_view(NIA)))

    bot.driver.view_action(NIA, "work_date", "date", "2026-12-01")
    wait_until(lambda: shows_day(bot, date(2026, 12, 1)))
    # A second pick sent by the client before it saw the first reload: it carries the old hash.
    block, element = first["blocks"][0], first["blocks"][0]["element"]
    stale = payloads.view_block_actions(
        bot.driver.identity,
        bot.standin.user(NIA),
        view=first,
        entry=payloads.action(block, element, WED.isoformat()),
        trigger_id=bot.standin.issue_trigger_id(NIA),
    )
    assert bot.driver._deliver("interactive", stale, "valid").status == 200

    assert wait_until(lambda: shows_day(bot, WED))
    assert bot.driver.fill_modal(NIA, {"demo.won.20261202": 1}).ok


def test_logging_from_the_reminder_turns_the_prompt_into_the_summary_too(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")
    bot.tick("2026-12-03T23:30Z")
    prompt, reminder = bot.standin.dm_messages(NIA)[-2:]

    open_form_from(bot, reminder)
    assert bot.driver.fill_modal(NIA, {"cold_call.voicemail.20261203": 4}).ok

    def both_logged() -> bool:
        return all("Logged" in m["text"] for m in bot.standin.dm_messages(NIA)[-2:])

    assert wait_until(both_logged)
    assert [m["ts"] for m in bot.standin.dm_messages(NIA)[-2:]] == [prompt["ts"], reminder["ts"]]


def test_a_day_off_then_calls_makes_it_a_workday_again(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")
    bot.driver.click(NIA, bot.last_dm(NIA), "day_off")
    wait_until(lambda: bot.services.store.days_off.among([(NIA, THU)]))

    reply = bot.driver.slash_command(NIA, "/checkin", "20 cold no_answer")

    assert "was marked as a day off; it counts as a workday now" in str(reply.json)
    assert bot.services.store.days_off.among([(NIA, THU)]) == set()
    summary = wait_until(lambda: "Logged" in bot.last_dm(NIA)["text"] and bot.last_dm(NIA))
    # The fixture's roster joins Nia on Thu Dec 3: Thu (a workday again) and Fri, 2/5 of 50.
    assert "*20* of 20 calls" in str(summary["blocks"])


def test_off_today_turns_the_prompt_into_a_note_and_on_undoes_it(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")

    reply = bot.driver.slash_command(NIA, "/checkin", "off today")
    assert "undoes it" in str(reply.json)
    wait_until(lambda: "day off" in bot.last_dm(NIA)["text"])
    assert bot.tick("2026-12-03T23:30Z").sent.get("reminder") == 1  # Omar's, not Nia's

    again = bot.driver.slash_command(NIA, "/checkin", "on today")
    assert "Workday again: Thursday, Dec 3" in again.json["text"]
    assert bot.services.store.days_off.among([(NIA, THU)]) == set()
    prompt = wait_until(lambda: "Time to log" in bot.last_dm(NIA)["text"] and bot.last_dm(NIA))
    assert "open_checkin" in str(prompt["blocks"]) and "day_off" in str(prompt["blocks"])
    nothing = bot.driver.slash_command(NIA, "/checkin", "on today")
    assert "nothing changed" in nothing.json["text"]


def test_correcting_last_week_shows_that_weeks_total(bot: Bot) -> None:
    bot.tick("2026-11-27T21:30Z")  # Friday Nov 27's prompt
    friday_prompt = bot.last_dm(NIA)
    bot.clock.set("2026-12-01T15:00Z")  # the next Tuesday

    open_form_from(bot, friday_prompt)
    assert bot.driver.fill_modal(NIA, {"cold_call.connected.20261127": 9}).ok

    summary = wait_until(lambda: "Logged" in bot.last_dm(NIA)["text"] and bot.last_dm(NIA))
    # Nia's first day on record is Fri Nov 27 (the fixture's roster joins her on Dec 3), so
    # that week expected one workday of her: 1/5 of 50.
    assert "Week of Mon, Nov 23: *9* of 10 calls." in str(summary["blocks"])


def test_a_past_day_made_a_workday_again_names_its_day_on_the_button(bot: Bot) -> None:
    bot.tick("2026-12-02T21:30Z")
    wednesday_prompt = bot.last_dm(NIA)
    bot.clock.set("2026-12-03T15:00Z")

    def shown() -> str:
        return str({m["ts"]: m for m in bot.standin.dm_messages(NIA)}[wednesday_prompt["ts"]])

    bot.driver.slash_command(NIA, "/checkin", "off 2026-12-02")
    wait_until(lambda: "is marked as a day off" in shown())
    bot.driver.slash_command(NIA, "/checkin", "on 2026-12-02")

    assert wait_until(lambda: "Log Wednesday's calls" in shown())
