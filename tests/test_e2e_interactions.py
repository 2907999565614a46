"""Buttons, the modal's date picker, App Home and request signatures, over signed HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import Bot, wait_until

NIA = "U01REP0001"
DAY = date(2026, 12, 3)


def test_day_off_button(bot: Bot) -> None:
    bot.tick("2026-12-03T21:30Z")
    prompt = bot.last_dm(NIA)

    assert bot.driver.click(NIA, prompt, "day_off").status == 200

    wait_until(lambda: "day off" in bot.last_dm(NIA)["text"].lower())
    assert bot.services.store.days_off.among([(NIA, DAY)]) == {(NIA, DAY)}
    assert bot.tick("2026-12-03T23:30Z").sent.get("reminder") == 1  # Omar's, not Nia's
    assert len(bot.standin.dm_messages(NIA)) == 1


def test_changing_the_date_reloads_the_modal_for_that_day(bot: Bot) -> None:
    bot.clock.set("2026-12-03T22:00Z")
    bot.driver.slash_command(NIA, "/checkin", "yesterday 6 cold voicemail")
    bot.driver.slash_command(NIA, "/checkin", "")
    wait_until(lambda: bot.standin.open_view(NIA))

    bot.driver.view_action(NIA, "work_date", "date", "2026-12-02")

    def reloaded() -> dict | None:
        view = bot.standin.open_view(NIA)
        ids = [b.get("block_id", "") for b in view["blocks"]] if view else []
        return view if "cold_call.voicemail.20261202" in ids else None

    view = wait_until(reloaded)
    block = next(b for b in view["blocks"] if b.get("block_id") == "cold_call.voicemail.20261202")
    assert block["element"]["initial_value"] == "6"

    assert bot.driver.fill_modal(NIA, {"cold_call.voicemail.20261202": 5}).ok
    assert bot.services.store.entries.day_counts(NIA, date(2026, 12, 2)) == {
        ("cold_call", "voicemail"): 5
    }


def test_two_quick_picks_while_slack_is_busy_end_on_the_later_day(bot: Bot) -> None:
    bot.clock.set("2026-12-03T22:00Z")
    bot.driver.slash_command(NIA, "/checkin", "")
    wait_until(lambda: bot.standin.open_view(NIA))
    bot.standin.fail_next("views.update", status=429, retry_after=1)

    assert bot.driver.view_action(NIA, "work_date", "date", "2026-12-01").ok
    assert bot.driver.view_action(NIA, "work_date", "date", "2026-12-02").ok

    def shown_day() -> str:
        view = bot.standin.open_view(NIA) or {"blocks": []}
        return next((b["block_id"] for b in view["blocks"] if "voicemail" in b["block_id"]), "")

    assert wait_until(
        lambda: shown_day().endswith("20261202") and bot.standin.calls_to("views.update")[2:],
        timeout=10,
    )
    assert shown_day() == "cold_call.voicemail.20261202", "the later pick wins"
    assert [call.status for call in bot.standin.calls_to("views.update")][:2] == [429, 200]


def test_app_home_for_a_rep_a_manager_and_a_stranger(bot: Bot) -> None:
    bot.clock.set("2026-12-03T22:00Z")
    bot.driver.slash_command(NIA, "/checkin", "10 cold no_answer")

    for user in (NIA, "U01MGR0001", "U09STRANGER"):
        assert bot.driver.open_home(user).status == 200

    rep_home = wait_until(lambda: bot.standin.home_view(NIA))
    assert "10" in str(rep_home["blocks"]) and "checked in today" in str(rep_home["blocks"])
    manager_home = wait_until(lambda: bot.standin.home_view("U01MGR0001"))
    assert "East" in str(manager_home["blocks"]) and NIA in str(manager_home["blocks"])
    stranger_home = wait_until(lambda: bot.standin.home_view("U09STRANGER"))
    assert "not on any team" in str(stranger_home["blocks"])
    assert len(stranger_home["blocks"]) == 1


@pytest.mark.parametrize("signature", ["bad", "stale", "missing"])
def test_bad_or_stale_signature_is_refused_and_stores_nothing(bot: Bot, signature: str) -> None:
    bot.clock.set("2026-12-03T22:00Z")
    answer = bot.driver.slash_command(NIA, "/checkin", "10 cold no_answer", signature=signature)  # type: ignore[arg-type]

    assert answer.status == 401
    assert bot.services.store.entries.rows(None, None) == []


def test_healthz(bot: Bot) -> None:
    import urllib.request

    with urllib.request.urlopen(bot.url.replace("/slack/events", "/healthz")) as response:
        assert response.status == 200
