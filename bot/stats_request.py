"""/stats request: read the text after the command and check the asker may see the answer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.access import Viewer, viewer
from bot.blocks import escape
from bot.blocks.replies import not_on_a_team
from bot.settings import Settings, Team
from bot.slack_text import slack_unescape
from metrics.frames import iso_week_label

SubjectKind = Literal["rep", "team", "all"]
# (kind, rep, team, teams): `teams` narrows "all" to the teams a manager of several runs.
Subject = tuple[SubjectKind, str | None, str | None, tuple[str, ...]]
Period = tuple[date, date, str]

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
ISO_WEEK = re.compile(r"([1-9]\d{3})-w(\d{1,2})", re.IGNORECASE)
PERIOD_WORDS = {
    ("week",): "week",
    ("this", "week"): "week",
    ("last", "week"): "last week",
    ("month",): "month",
    ("this", "month"): "month",
    ("30d",): "30d",
}
HELP_WORDS = frozenset({"help", "?"})
MAX_LISTED = 20  # reps named in a refusal; the rest are counted
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class StatsRequest:
    """Whose numbers, over which of the asker's local dates [start, end].

    `as_of` is the asker's today: days before it are over, so a past period counts every
    day; None means `end` is today. For "all", `teams` names the teams covered; empty
    means every team.
    """

    subject_kind: SubjectKind
    rep_id: str | None
    team: str | None
    start: date
    end: date
    label: str
    as_of: date | None = None
    teams: tuple[str, ...] = ()


class StatsRefused(ValueError):  # noqa: N818 - the name the /stats listener catches
    """The request cannot be answered; str(error) is the whole ephemeral reply, in mrkdwn."""


def usage(today: date) -> str:
    """Every form /stats understands, with this workspace's recent week as the example."""
    return (
        "*/stats* shows numbers for you, a rep or a team:\n"
        "• `/stats` or `/stats me`: your own numbers\n"
        "• `/stats @rep`: one of your reps\n"
        "• `/stats team`: the teams you manage, together; `/stats team NAME`: one of them\n"
        "• `/stats all`: every team (admins)\n"
        "Add a period: `week` (the default, this week so far), `last week`, `month` "
        "(this month so far), `30d` (the last 30 days) or an ISO week such as "
        f"`{iso_week_label(today - WEEK)}`.\n"
        "Example: `/stats team last week`"
    )


# Reading the text ----------------------------------------------------------------------


def parse_stats(text: str, *, asker: str, settings: Settings, today: date) -> StatsRequest:
    """Turn the text after /stats into a request, or raise StatsRefused saying what is valid.

    With no subject a rep gets their own numbers and a manager their team's. `team` alone
    means the teams the asker manages, together when there are several. An admin who
    manages no team gets every team.
    """
    who = viewer(settings, asker)
    if not who.known:
        raise StatsRefused(not_on_a_team()["text"])

    # Drop the "|name" of each mention: it is only a display hint and may hold spaces.
    words = MENTION.sub(lambda mention: f"<@{mention[1]}>", text).split()
    if len(words) == 1 and words[0].lower() in HELP_WORDS:
        raise StatsRefused(usage(today))

    subject_words, (start, end, label) = _read_period(words, today)
    kind, rep_id, team, teams = _read_subject(subject_words, who, settings, today)
    return StatsRequest(kind, rep_id, team, start, end, label, as_of=today, teams=teams)


def _read_period(words: list[str], today: date) -> tuple[list[str], Period]:
    """The period named by the last one or two words, and the words before it."""
    lowered = tuple(word.lower() for word in words)
    for size in (2, 1):
        if len(lowered) >= size and lowered[-size:] in PERIOD_WORDS:
            return words[:-size], _period(PERIOD_WORDS[lowered[-size:]], today)

    match = ISO_WEEK.fullmatch(words[-1]) if words else None
    if match:
        return words[:-1], _iso_week(int(match[1]), int(match[2]), today)
    return words, _period("week", today)


def _period(name: str, today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    if name == "last week":
        return monday - WEEK, monday - timedelta(days=1), "last week"
    if name == "month":
        return today.replace(day=1), today, "this month"
    if name == "30d":
        return today - timedelta(days=29), today, "the last 30 days"
    return monday, today, "this week"


def _iso_week(year: int, week: int, today: date) -> Period:
    label = f"{year}-W{week:02d}"
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks = date(year, 12, 28).isocalendar().week
        raise StatsRefused(
            f"`{label}` is not a week: weeks of {year} run from W01 to W{weeks}."
        ) from None
    if monday > today:
        raise StatsRefused(
            f"`{label}` has not started yet; the latest week is {iso_week_label(today)}."
        )
    return monday, min(monday + timedelta(days=6), today), f"week {label}"


def _read_subject(words: list[str], who: Viewer, settings: Settings, today: date) -> Subject:
    if not words:
        return ("rep", who.user_id, None, ()) if who.is_rep else _own_team(who)

    # Mentions are read from the text as Slack sent it; names are compared as typed.
    first = words[0].lower()
    if first == "team":
        name = slack_unescape(" ".join(words[1:]))
        return _named_team(name, who, settings) if name else _own_team(who)
    if len(words) == 1:
        mention = MENTION.fullmatch(words[0])
        if first == "me" or mention:
            return _rep(mention[1] if mention else who.user_id, who, settings)
        if first == "all":
            return "all", None, None, ()
        if first.startswith("@"):
            raise StatsRefused(
                f"I can't tell who `{escape(slack_unescape(words[0]))}` is. Pick the person "
                "from the list Slack shows as you type @, so the command carries who they are."
            )

    typed = slack_unescape(" ".join(words))
    quoted = escape(typed)
    named = settings.team_named(typed)
    hint = (
        f" To see a team, write `/stats team {quoted}`."
        if named and who.may_see_team(named)
        else ""
    )
    raise StatsRefused(f"I didn't understand `{quoted}`.{hint}\n{usage(today)}")


def _rep(rep_id: str, who: Viewer, settings: Settings) -> Subject:
    if settings.team_of(rep_id) is None:
        lead = (
            "You are not a rep on any team, so there are no numbers of your own."
            if rep_id == who.user_id
            else f"<@{rep_id}> is not a rep on any team."
        )
        raise StatsRefused(f"{lead} {_options(who, settings)}")
    return "rep", rep_id, None, ()


def _own_team(who: Viewer) -> Subject:
    if len(who.manages) > 1:
        return "all", None, None, tuple(team.name for team in who.manages)
    if who.manages:
        return "team", None, who.manages[0].name, ()
    if who.admin:
        return "all", None, None, ()
    if who.team is None:
        raise StatsRefused(not_on_a_team()["text"])
    return "team", None, who.team.name, ()  # a rep: authorize() says why not


def _named_team(name: str, who: Viewer, settings: Settings) -> Subject:
    team = settings.team_named(name)
    if team is None:
        raise StatsRefused(f"There is no team called `{escape(name)}`. {_options(who, settings)}")
    return "team", None, team.name, ()


def _options(who: Viewer, settings: Settings) -> str:
    """What the asker may ask about instead: never a rep or team they may not see."""
    teams = settings.teams if who.admin else list(who.manages)
    if not teams:
        return "As a rep you can see your own numbers: `/stats`."

    reps = [f"<@{rep}>" for team in teams for rep in team.reps]
    shown = ", ".join(reps[:MAX_LISTED])
    if len(reps) > MAX_LISTED:
        shown += f" and {len(reps) - MAX_LISTED} more"
    who_text = f"the reps {shown}, or " if reps else ""
    return f"You can ask about {who_text}{_team_names(teams)}."


def _manages_all(who: Viewer, teams: tuple[str, ...]) -> bool:
    managed = {team.name for team in who.manages}
    return bool(teams) and managed.issuperset(teams)


def _team_names(teams: Sequence[Team]) -> str:
    """'the team `East`' or 'the teams `East`, `West`'."""
    names = ", ".join(f"`{escape(team.name)}`" for team in teams)
    return f"the team {names}" if len(teams) == 1 else f"the teams {names}"


# Who may see it ------------------------------------------------------------------------


def authorize(request: StatsRequest, who: Viewer) -> None:
    """Raise StatsRefused unless `who` may see the request's numbers."""
    if not who.known:
        raise StatsRefused(not_on_a_team()["text"])

    allowed = {
        "rep": request.rep_id is not None and who.may_see_rep(request.rep_id),
        "team": who.admin or any(team.name == request.team for team in who.manages),
        "all": who.admin or _manages_all(who, request.teams),
    }[request.subject_kind]
    if allowed:
        return

    if not who.manages:
        raise StatsRefused("As a rep you can see only your own numbers: try `/stats`.")
    managed = _team_names(who.manages)
    if request.subject_kind == "rep":
        raise StatsRefused(f"<@{request.rep_id}> is not on {managed}, which you manage.")
    if request.subject_kind == "team":
        raise StatsRefused(f"You can see only {managed}, which you manage.")
    raise StatsRefused(f"Only admins can see every team at once; you can see {managed}.")
