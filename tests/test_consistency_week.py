"""One week, one set of numbers: prompt, reminder, nudge, summary, App Home and /stats agree.

The bot fixture syncs the roster on Thu 3 Dec 2026, so for every rep the week of Mon 30 Nov
starts on Thursday: two workdays, so 2/5 of East's weekly target of 50 calls, 20.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Bot, wait_until

NIA = "U01REP0001"  # East, New York: 21:31Z is 16:31 there


def texts(message: dict[str, Any]) -> str:
    return str(message["blocks"])


def logged(bot: Bot, day: str) -> dict[str, Any] | None:
    """The DM that now says the day is logged (the day's prompt, turned into a summary)."""
    found = [m for m in bot.standin.dm_messages(NIA) if f"Logged for {day}" in m["text"]]
    return found[0] if found else None


def stats_reply(bot: Bot, user: str) -> str:
    before = len(bot.standin.ephemerals(user))
    bot.driver.slash_command(user, "/stats", "")
    final = wait_until(
        lambda: [e for e in bot.standin.ephemerals(user)[before:] if e["source"] == "response_url"]
    )
    return str(final[-1])


def home(bot: Bot, user: str) -> str:
    bot.driver.open_home(user)
    return str(wait_until(lambda: bot.standin.home_view(user))["blocks"])


def test_a_rep_who_joined_midweek_sees_one_target_everywhere(bot: Bot) -> None:
    bot.tick("2026-12-03T21:31Z")
    bot.driver.slash_command(NIA, "/checkin", "5 cold no_answer")
    bot.tick("2026-12-04T21:31Z")  # Friday's prompt

    prompt = bot.last_dm(NIA)
    # Thu is logged (5 calls); Fri is not yet, so it is still a workday left.
    assert "This week: *5* of 20 calls, 1 workday left." in texts(prompt)
    assert "At this pace the week ends near 10 of 20 calls" in texts(prompt)

    bot.tick("2026-12-04T23:31Z")
    assert "This week: *5* of 20 calls, 1 workday left." in texts(bot.last_dm(NIA))
    assert "This week: *5* of 20 calls, 1 workday left." in home(bot, NIA)
    assert "5 calls so far, 1 workday left; on pace for 10 of 20 (50%)" in stats_reply(bot, NIA)

    bot.driver.slash_command(NIA, "/checkin", "15 cold no_answer")
    summary = wait_until(lambda: logged(bot, "Friday, Dec 4"))
    assert "This week: *20* of 20 calls. Weekly target reached :tada:" in texts(summary)
    assert "20 calls of a 20 target" in stats_reply(bot, NIA)


def test_a_week_off_has_no_target_to_reach(bot: Bot) -> None:
    bot.clock.set("2026-12-07T15:00Z")  # Monday 10:00 in New York
    bot.driver.slash_command(NIA, "/checkin", "off 2026-12-07..2026-12-11")

    shown = home(bot, NIA)
    assert "This week is a week off for you." in shown
    assert "No check-in due today." in shown
    assert "of 0 calls" not in shown and "not checked in" not in shown

    bot.driver.slash_command(NIA, "/checkin", "")
    wait_until(lambda: bot.standin.open_view(NIA))
    assert bot.driver.fill_modal(NIA, {}).ok  # nothing to log: the day stays off
    summary = wait_until(lambda: logged(bot, "Monday, Dec 7"))
    assert "This week is a week off for you." in texts(summary)
    assert "target reached" not in texts(summary)
