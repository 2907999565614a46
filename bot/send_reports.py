"""Weekly reports: each manager's DM summary per team, with its charts uploaded after it."""

from __future__ import annotations

import hashlib
import logging
from time import monotonic

from slack_sdk.errors import SlackApiError

from bot.dataset import load_dataset
from bot.delivery import Messenger, Posted
from bot.managers import ManagerClock
from bot.outbound import deliver
from bot.report import TeamReport, build_team_report, report_span, report_week_for
from bot.settings import Team
from bot.tick_context import Tick

logger = logging.getLogger(__name__)

# Building a report (pandas and four PNGs) takes most of a second a team. After this many
# seconds a tick stops starting new ones; the rest go out on the next ticks of the day, so
# a Monday with many teams in one time zone does not hold back the reps' check-ins.
REPORT_SECONDS_PER_TICK = 20.0


def report_kind(team: Team) -> str:
    """The outbox kind of a team's weekly report; hashed because team names can be long."""
    return "weekly_report:" + hashlib.sha1(team.name.encode()).hexdigest()[:12]


def send_reports(tick: Tick) -> None:
    reports = tick.settings.reports
    if not reports.enabled:
        return
    stop_at = monotonic() + REPORT_SECONDS_PER_TICK
    waiting = [
        (manager, teams)
        for manager in tick.managers
        if manager.is_weekday(reports.weekday) and manager.past(reports.time)
        if (teams := _unsent_teams(tick, manager))
    ]
    for done, (manager, teams) in enumerate(waiting):
        if done and monotonic() > stop_at:
            logger.info(
                "Weekly reports for %d more manager(s) wait for the next tick",
                len(waiting) - done,
            )
            return
        _send_for(tick, manager, teams)


def _unsent_teams(tick: Tick, manager: ManagerClock) -> list[Team]:
    monday = report_week_for(manager.today)[0]
    return [
        team
        for team in manager.teams
        if not tick.store.outbox.decided(report_kind(team), [(manager.user_id, monday)])
    ]


def _send_for(tick: Tick, manager: ManagerClock, teams: list[Team]) -> None:
    settings, store = tick.settings, tick.store
    monday, _, label = report_week_for(manager.today)

    # Build only what is still to send: computing and rendering is the slow part.
    dataset = load_dataset(store, settings, *report_span(settings, monday), teams)
    for team in teams:
        team_report = build_team_report(dataset, settings, team, monday)
        posted = deliver(tick, report_kind(team), manager.user_id, monday, team_report.message)
        if posted is not None:
            _upload_charts(tick.messenger, posted, team_report)
            logger.info("Sent the %s report for %s to %s", label, team.name, manager.user_id)


def _upload_charts(messenger: Messenger, posted: Posted, team_report: TeamReport) -> None:
    """Upload the PNGs into the DM the summary went to (files need a channel ID, not a user)."""
    uploads = [
        {"content": c.png, "filename": c.filename, "title": c.title, "alt_txt": c.alt_text}
        for c in team_report.charts
    ]
    try:
        messenger.client.files_upload_v2(file_uploads=uploads, channel=posted.channel)
    except SlackApiError as exc:
        # The summary is out; the manager can still run `checkin report` or /stats for charts.
        logger.warning(
            "The %s report for %s went out without its charts (%s)",
            team_report.week,
            team_report.team,
            exc.response.get("error"),
        )
