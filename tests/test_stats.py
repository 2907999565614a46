"""/stats: the grammar, who may see what, and the numbers on seeded data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.access import viewer
from bot.blocks import validate_message
from bot.blocks.replies import not_on_a_team
from bot.blocks.stats import CallTypeCounts, CheckIns, Counts, Pace, RepLine, StatsSummary
from bot.runtime import team_specs
from bot.settings import Settings
from bot.stats import compute_stats, stats_dataset, summarize_stats
from bot.stats_request import StatsRefused, StatsRequest, authorize, parse_stats
from storage.store import Store

TODAY = date(2026, 12, 3)  # a Thursday in ISO week 2026-W49
MONDAY = date(2026, 11, 30)

REP, REP2, REP3, WEST_REP = "U01REP0001", "U01REP0002", "U01REP0003", "U01REP0004"
MGR, ADMIN, NOBODY = "U01MGR0001", "U01ADMIN01", "U09NOBODY9"
NO_TEAM_LINE = not_on_a_team()["text"]


def parse(text: str, asker: str, settings: Settings) -> StatsRequest:
    return parse_stats(text, asker=asker, settings=settings, today=TODAY)


def refusal(text: str, asker: str, settings: Settings) -> str:
    with pytest.raises(StatsRefused) as caught:
        parse(text, asker, settings)
    return str(caught.value)


def request(kind: str, start: date, end: date, **subject: str) -> StatsRequest:
    return StatsRequest(
        subject_kind=kind,  # type: ignore[arg-type]
        rep_id=subject.get("rep_id"),
        team=subject.get("team"),
        start=start,
        end=end,
        label="test",
        as_of=TODAY,
    )


# The grammar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("", MONDAY, TODAY, "this week"),
        ("week", MONDAY, TODAY, "this week"),
        ("this week", MONDAY, TODAY, "this week"),
        ("last week", date(2026, 11, 23), date(2026, 11, 29), "last week"),
        ("LAST WEEK", date(2026, 11, 23), date(2026, 11, 29), "last week"),
        ("month", date(2026, 12, 1), TODAY, "this month"),
        ("30d", date(2026, 11, 4), TODAY, "the last 30 days"),
        ("2026-W45", date(2026, 11, 2), date(2026, 11, 8), "week 2026-W45"),
        ("2026-w49", MONDAY, TODAY, "week 2026-W49"),
        ("2020-W53", date(2020, 12, 28), date(2021, 1, 3), "week 2020-W53"),
    ],
)
def test_periods(settings: Settings, text: str, start: date, end: date, label: str) -> None:
    assert parse(text, REP, settings) == StatsRequest(
        "rep", REP, None, start, end, label, as_of=TODAY
    )


@pytest.mark.parametrize(
    ("text", "asker", "kind", "rep_id", "team"),
    [
        ("", REP, "rep", REP, None),
        ("me", REP, "rep", REP, None),
        ("Me month", REP, "rep", REP, None),
        ("<@U01REP0002|bob>", MGR, "rep", REP2, None),
        ("<@U01REP0002>", MGR, "rep", REP2, None),
        ("<@U01REP0002> last week", MGR, "rep", REP2, None),
        ("<@U01REP0002|Bob Stone> last week", MGR, "rep", REP2, None),
        ("", MGR, "team", None, "East"),
        ("team", MGR, "team", None, "East"),
        ("team west 30d", MGR, "team", None, "West"),
        ("TEAM East last week", ADMIN, "team", None, "East"),
        ("", ADMIN, "all", None, None),
        ("team", ADMIN, "all", None, None),
        ("all month", ADMIN, "all", None, None),
        ("team", REP, "team", None, "East"),  # parsed; authorize() refuses it
    ],
)
def test_subjects(
    settings: Settings, text: str, asker: str, kind: str, rep_id: str | None, team: str | None
) -> None:
    parsed = parse(text, asker, settings)
    assert (parsed.subject_kind, parsed.rep_id, parsed.team) == (kind, rep_id, team)


def test_team_names_may_have_spaces(settings: Settings) -> None:
    teams = [*settings.teams, settings.teams[0].model_copy(update={"name": "North America"})]
    wide = settings.model_copy(update={"teams": teams})
    assert parse("team north america last week", ADMIN, wide).team == "North America"


@pytest.mark.parametrize(
    "text", ["foo", "week month", "<@U01REP0002> me", "me you", "<#C0123|sales>"]
)
def test_bad_words_show_the_valid_forms(settings: Settings, text: str) -> None:
    message = refusal(text, REP, settings)
    assert "I didn't understand" in message
    for form in ("`/stats @rep`", "`/stats team NAME`", "`last week`", "`30d`", "Example:"):
        assert form in message


def test_a_bare_team_name_gets_a_hint(settings: Settings) -> None:
    assert "`/stats team east`" in refusal("east", MGR, settings)
    assert "/stats team east" not in refusal("east", REP, settings)


def test_an_unresolved_at_name_asks_to_pick_from_the_list(settings: Settings) -> None:
    assert "Pick the person from the list" in refusal("@bob", MGR, settings)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026-W50", "has not started yet; the latest week is 2026-W49"),
        ("2026-W54", "W01 to W53"),
        ("2025-W53", "W01 to W52"),
        ("2026-W00", "is not a week"),
        ("0999-W01", "I didn't understand"),
    ],
)
def test_bad_weeks(settings: Settings, text: str, says: str) -> None:
    assert says in refusal(text, REP, settings)


def test_help(settings: Settings) -> None:
    assert "Add a period" in refusal("help", REP, settings)


def test_unknown_rep_lists_only_reps_the_asker_may_see(settings: Settings) -> None:
    message = refusal("<@U0UNKNOWN1|ghost>", MGR, settings)
    assert "<@U0UNKNOWN1> is not a rep on any team" in message
    assert all(f"<@{rep}>" in message for rep in (REP, REP2, REP3))
    assert WEST_REP not in message and "West" not in message

    from_admin = refusal("<@U01MGR0002>", ADMIN, settings)
    assert WEST_REP in from_admin and "`EMEA`" in from_admin

    from_rep = refusal("<@U0UNKNOWN1>", REP, settings)
    assert "your own numbers" in from_rep and REP2 not in from_rep


def test_a_manager_has_no_numbers_of_their_own(settings: Settings) -> None:
    assert "no numbers of your own" in refusal("me", MGR, settings)


def test_unknown_team_lists_only_visible_teams(settings: Settings) -> None:
    message = refusal("team Nowhere", MGR, settings)
    assert "no team called `Nowhere`" in message and "`East`" in message
    assert "West" not in message and "EMEA" not in message
    assert "`West`" in refusal("team Nowhere", ADMIN, settings)
    assert "East" not in refusal("team Nowhere", REP, settings)


def manager_of_east_and_west(settings: Settings) -> Settings:
    west = settings.teams[1].model_copy(update={"manager": MGR})
    return settings.model_copy(update={"teams": [settings.teams[0], west, settings.teams[2]]})


def test_a_manager_of_several_sees_them_together_or_one(settings: Settings) -> None:
    both = manager_of_east_and_west(settings)

    for text in ("", "team", "team last week"):
        asked = parse(text, MGR, both)
        assert (asked.subject_kind, asked.teams) == ("all", ("East", "West"))
        authorize(asked, viewer(both, MGR))

    assert parse("team west", MGR, both).team == "West"
    with pytest.raises(StatsRefused, match="Only admins"):
        authorize(parse("all", MGR, both), viewer(both, MGR))
    with pytest.raises(StatsRefused):  # "teams" that include one they do not manage
        authorize(replace(parse("", MGR, both), teams=("East", "EMEA")), viewer(both, MGR))


def test_someone_on_no_team_gets_one_line(settings: Settings) -> None:
    assert refusal("", NOBODY, settings) == NO_TEAM_LINE
    assert refusal("team East", NOBODY, settings) == NO_TEAM_LINE


# Who may see what ----------------------------------------------------------------------

SUBJECTS = ["me", "<@U01REP0002|bob>", "<@U01REP0004>", "team East", "team West", "all"]
ALLOWED = {
    REP: [True, False, False, False, False, False],
    MGR: [False, True, False, True, False, False],  # "me": a manager is not a rep
    ADMIN: [False, True, True, True, True, True],  # "me": the admin is not a rep
    NOBODY: [False] * 6,
}


@pytest.mark.parametrize("asker", list(ALLOWED))
@pytest.mark.parametrize("subject", SUBJECTS)
def test_authorization_matrix(settings: Settings, asker: str, subject: str) -> None:
    expected = ALLOWED[asker][SUBJECTS.index(subject)]
    try:
        authorize(parse(subject, asker, settings), viewer(settings, asker))
    except StatsRefused as refused:
        assert not expected, f"{asker} was refused {subject!r}: {refused}"
        if asker == NOBODY:
            assert str(refused) == NO_TEAM_LINE
    else:
        assert expected, f"{asker} was allowed {subject!r}"


@pytest.mark.parametrize(
    ("asker", "asked", "says"),
    [
        (REP, request("rep", MONDAY, TODAY, rep_id=REP2), "As a rep you can see only your own"),
        (REP, request("team", MONDAY, TODAY, team="East"), "As a rep you can see only your own"),
        (MGR, request("rep", MONDAY, TODAY, rep_id=WEST_REP), "is not on the team `East`"),
        (MGR, request("team", MONDAY, TODAY, team="West"), "only the team `East`"),
        (MGR, request("all", MONDAY, TODAY), "Only admins can see every team"),
        (NOBODY, request("rep", MONDAY, TODAY, rep_id=NOBODY), NO_TEAM_LINE),
    ],
)
def test_refusals_say_why(settings: Settings, asker: str, asked: StatsRequest, says: str) -> None:
    with pytest.raises(StatsRefused, match=says.replace("`", ".")):
        authorize(asked, viewer(settings, asker))


# The numbers ---------------------------------------------------------------------------

Cells = Mapping[tuple[str, str], int]
SEED: dict[tuple[str, date], Cells] = {
    (REP, date(2026, 11, 27)): {("cold_call", "voicemail"): 8},
    (REP, MONDAY): {
        ("cold_call", "no_answer"): 10,
        ("cold_call", "connected"): 4,
        ("cold_call", "meeting_booked"): 2,
    },
    (REP, date(2026, 12, 1)): {
        ("follow_up", "connected"): 5,
        ("follow_up", "won"): 1,
        ("demo", "meeting_booked"): 3,
    },
    (REP2, MONDAY): {("cold_call", "no_answer"): 20},
    (REP2, TODAY): {("closing", "won"): 10},
    (WEST_REP, date(2026, 12, 1)): {("discovery", "voicemail"): 7},
}


@pytest.fixture
def seeded(store: Store, settings: Settings) -> Store:
    """Everyone joined on Mon Nov 2; Thu Nov 26 is Thanksgiving (a US holiday)."""
    store.roster.sync_config(team_specs(settings), settings.admins, date(2026, 11, 2))
    now = datetime(2026, 12, 3, 22, 0, tzinfo=UTC)
    for (rep, day), cells in SEED.items():
        store.entries.set_day(
            rep, day, cells, changed_by=rep, source="modal", now=now, replace_all=True
        )
    return store


def summary_of(store: Store, settings: Settings, text: str, asker: str = ADMIN) -> StatsSummary:
    asked = parse(text, asker, settings)
    return summarize_stats(asked, stats_dataset(store, settings, asked), settings)


def counts(calls: int, connects: int, meetings: int, wins: int) -> Counts:
    def rate(top: int, bottom: int) -> float | None:
        return top / bottom if bottom else None

    return Counts(
        calls,
        connects,
        meetings,
        wins,
        rate(connects, calls),
        rate(meetings, connects),
        rate(wins, meetings),
    )


def test_a_rep_this_week(seeded: Store, settings: Settings) -> None:
    summary = summary_of(seeded, settings, "", asker=REP)

    assert summary.totals == counts(25, 15, 6, 1)
    assert summary.call_types == [
        CallTypeCounts("Cold call", counts(16, 6, 2, 0)),
        CallTypeCounts("Follow-up", counts(6, 6, 1, 1)),
        CallTypeCounts("Demo", counts(3, 3, 3, 0)),
    ]
    # Mon and Tue checked in, Wed missed, Thu (today) not yet due.
    assert summary.checkins == CheckIns(2, 3)
    # 25 calls over 3 finished workdays, 5 in the week: on pace for 25 / 3 * 5.
    assert summary.pace is not None
    assert summary.pace.projected == pytest.approx(25 / 3 * 5)
    assert replace(summary.pace, projected=None) == Pace("2026-W49", 25, 50.0, 2, None, False)
    assert summary.reps == ()


def test_a_rep_last_week_skips_the_holiday(seeded: Store, settings: Settings) -> None:
    summary = summary_of(seeded, settings, "<@U01REP0001> last week")

    assert summary.totals == counts(8, 0, 0, 0)
    assert summary.checkins == CheckIns(1, 4)
    # Four workdays in Thanksgiving week: 4/5 of the weekly target of 50.
    assert summary.pace == Pace("2026-W48", 8, 40.0, 0, 8 / 4 * 4, True)


def test_a_rep_this_month_and_30_days(seeded: Store, settings: Settings) -> None:
    month = summary_of(seeded, settings, "<@U01REP0001> month")
    assert month.totals.calls == 9
    assert month.checkins == CheckIns(1, 2)
    assert month.pace is not None and month.pace.calls == 25  # the whole current week

    thirty = summary_of(seeded, settings, "<@U01REP0001> 30d")
    assert thirty.totals.calls == 33
    # Nov 4 to Dec 2 is 21 weekdays less Veterans Day and Thanksgiving; Dec 3 is not due yet.
    assert thirty.checkins == CheckIns(3, 19)


def test_a_team(seeded: Store, settings: Settings) -> None:
    summary = summary_of(seeded, settings, "", asker=MGR)

    assert summary.team == "East"
    assert summary.totals == counts(55, 25, 16, 11)
    assert summary.checkins == CheckIns(4, 10)
    assert summary.pace is None
    assert summary.reps == [
        RepLine(REP2, 30, CheckIns(2, 4)),  # checked in today, so today counts
        RepLine(REP, 25, CheckIns(2, 3)),
        RepLine(REP3, 0, CheckIns(0, 3)),
    ]


def test_all_teams(seeded: Store, settings: Settings) -> None:
    summary = summary_of(seeded, settings, "all")

    assert summary.totals.calls == 62
    assert summary.checkins == CheckIns(5, 25)
    lines = summary.reps
    assert [(line.rep_id, line.calls, line.team) for line in lines[:3]] == [
        (REP2, 30, "East"),
        (REP, 25, "East"),
        (WEST_REP, 7, "West"),
    ]
    assert len(lines) == 8


def test_a_manager_of_several_teams_together(seeded: Store, settings: Settings) -> None:
    both = manager_of_east_and_west(settings)
    asked = parse("", MGR, both)
    summary = summarize_stats(asked, stats_dataset(seeded, both, asked), both)

    assert summary.teams == ("East", "West") and summary.team is None
    assert summary.totals.calls == 55 + 7  # East's week and the West rep's 7
    assert summary.checkins == CheckIns(5, 10 + 9)  # 3 West reps, Mon to Wed
    assert {line.team for line in summary.reps} == {"East", "West"}
    assert (
        "your teams East, West"
        in compute_stats(asked, stats_dataset(seeded, both, asked), both).message()["text"]
    )


def test_an_empty_period(seeded: Store, settings: Settings) -> None:
    before = summary_of(seeded, settings, "<@U01REP0001> 2026-W40")
    assert before.totals == counts(0, 0, 0, 0)
    assert before.call_types == []
    assert before.checkins == CheckIns(0, 0)

    quiet = summary_of(seeded, settings, "<@U01REP0003> 2026-W45")
    assert quiet.checkins == CheckIns(0, 5)
    assert quiet.pace == Pace("2026-W45", 0, 60.0, 0, 0.0, True)


@pytest.mark.parametrize(
    ("text", "asker"),
    [("", REP), ("", MGR), ("all 30d", ADMIN), ("<@U01REP0003> 2026-W40", ADMIN)],
)
def test_the_reply_is_valid_block_kit(
    seeded: Store, settings: Settings, text: str, asker: str
) -> None:
    asked = parse(text, asker, settings)
    result = compute_stats(asked, stats_dataset(seeded, settings, asked), settings)

    validate_message(result.message())
    if asked.rep_id == REP3:
        assert result.chart is None
        assert "No calls logged" in str(result.message()["blocks"])
    else:
        assert result.chart is not None
        assert result.chart.png.startswith(b"\x89PNG\r\n\x1a\n")
        assert asked.label in result.chart.title


def test_the_chart_spans_the_whole_period(seeded: Store, settings: Settings) -> None:
    asked = parse("", REP, settings)
    chart = compute_stats(asked, stats_dataset(seeded, settings, asked), settings).chart

    assert chart is not None
    assert "Mon 30 Nov to Thu 3 Dec" in chart.alt_text
    assert "Cold call 16, Follow-up 6, Demo 3" in chart.alt_text
