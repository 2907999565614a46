"""App Home for big teams: every rep line whole, and "…and N more" where Slack's room ends."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.blocks import SECTION_TEXT_LIMIT, validate_view
from bot.blocks.home import RepLine, TeamSection, home_view
from bot.settings import Settings
from tests.conftest import Bot, example_with_team, wait_until

TODAY = date(2026, 12, 3)
MENTION = re.compile(r"<@(U[A-Z0-9]+)>")
ALERTS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Open alerts (last 7 days)*"}},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "No early warnings."}]},
    {"type": "divider"},
]


def reps(count: int, prefix: str = "U0REP") -> list[RepLine]:
    return [
        RepLine(
            rep_id=f"{prefix}{index:05d}",
            calls=120 + index,
            target=250,
            checked_in_today=index % 2 == 0,
            days_checked_in=3,
            days_expected=4,
        )
        for index in range(count)
    ]


def texts(view: dict) -> list[str]:
    """Every mrkdwn text of the view, sections and contexts."""
    found = []
    for block in view["blocks"]:
        if block["type"] == "section":
            found.append(block["text"]["text"])
        elif block["type"] == "context":
            found += [element["text"] for element in block["elements"]]
    return found


def mentioned(view: dict) -> list[str]:
    return [rep for text in texts(view) for rep in MENTION.findall(text)]


def test_a_team_of_45_shows_every_rep_line_whole() -> None:
    team = TeamSection("East", reps(45))

    view = home_view(today=TODAY, week=None, checked_in_today=False, teams=[team], extra=ALERTS)

    validate_view(view)
    assert mentioned(view) == [rep.rep_id for rep in team.reps]
    assert all(len(text) <= SECTION_TEXT_LIMIT and not text.endswith("…") for text in texts(view))
    assert "23 of 45 reps checked in today." in texts(view)
    assert not any("more" in text for text in texts(view))


def test_a_rep_off_today_is_shown_off_and_not_counted_as_missing() -> None:
    off = RepLine("U0REP00001", calls=30, target=40, checked_in_today=False, due_today=False)
    late = RepLine("U0REP00002", calls=20, target=50, checked_in_today=False)
    done = RepLine("U0REP00003", calls=25, target=50, checked_in_today=True)

    view = home_view(
        today=TODAY,
        week=None,
        checked_in_today=False,
        teams=[TeamSection("East", [off, late, done])],
    )

    validate_view(view)
    shown = "\n".join(texts(view))
    assert (
        ":palm_tree: <@U0REP00001>" in shown and ":hourglass_flowing_sand: <@U0REP00002>" in shown
    )
    assert "1 of 2 reps checked in today. 1 off today." in texts(view)


def test_teams_past_slacks_100_blocks_are_counted() -> None:
    teams = [TeamSection(f"Team {n}", reps(10, prefix=f"U{n:02d}R")) for n in range(30)]

    view = home_view(
        today=TODAY,
        week=None,
        checked_in_today=False,
        teams=teams,
        extra=ALERTS,
        more_teams=5,
    )

    validate_view(view)
    # 100 blocks - header - 3 alert blocks - the count line leave 95: 23 teams of 4 blocks.
    shown = [text for text in texts(view) if text.endswith("— this week")]
    assert len(shown) == 23
    assert "…and 12 more teams not shown here; `/stats team NAME` shows any of them." in texts(view)
    assert view["blocks"][-3:] == ALERTS, "open alerts are never the part left out"
    assert len(view["blocks"]) <= 100


def test_a_team_too_big_for_the_tab_counts_the_reps_left_out() -> None:
    team = TeamSection("Everyone", reps(5000))

    view = home_view(today=TODAY, week=None, checked_in_today=False, teams=[team])

    validate_view(view)
    assert len(view["blocks"]) <= 100
    status = next(text for text in texts(view) if "reps checked in today" in text)
    hidden = int(re.search(r"…and (\d+) more reps not shown here", status)[1])
    assert len(mentioned(view)) + hidden == 5000
    assert len(set(mentioned(view))) == len(mentioned(view))


# End to end: a manager of 70 reps opens the Home tab ---------------------------------------

BIG_EAST = [f"U0BIG{index:05d}" for index in range(70)]


@pytest.fixture(scope="module")
def settings() -> Settings:
    """The example app.yaml with 70 reps on East: their lines pass 3000 characters."""
    return example_with_team("East", reps=BIG_EAST)


def test_a_manager_of_70_reps_sees_all_of_them_on_home(bot: Bot) -> None:
    bot.driver.open_home("U01MGR0001")

    home = wait_until(lambda: bot.standin.home_view("U01MGR0001"))

    assert sorted(mentioned(home)) == BIG_EAST
    assert "0 of 70 reps checked in today." in texts(home)
