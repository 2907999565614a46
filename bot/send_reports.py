"""Weekly reports: each manager's DM summary per team, with its charts uploaded after it."""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from time import monotonic

from bot.dataset import load_dataset
from bot.delivery import Posted
from bot.managers import ManagerClock
from bot.outbound import deliver, isolated, record_failure
from bot.report import TeamReport, build_team_report, report_span, report_week_for
from bot.settings import Team
from bot.tick_context import Tick
from storage.outbox import FAILED, SENT, given_up

logger = logging.getLogger(__name__)

# Building a report (pandas and four PNGs) takes most of a second a team. After this many
# seconds a tick stops starting new ones; the rest go out on the next ticks of the day, so
# a Monday with many teams in one time zone does not hold back the reps' check-ins.
REPORT_SECONDS_PER_TICK = 20.0


def report_kind(team: Team) -> str:
    """The outbox kind of a team's weekly report; hashed because team names can be long."""
    return "weekly_report:" + _team_digest(team)


def charts_kind(team: Team) -> str:
    """The outbox kind of the report's chart upload, retried on its own when it fails."""
    return "weekly_charts:" + _team_digest(team)


def send_reports(tick: Tick) -> None:
    reports = tick.settings.reports
    if not reports.enabled:
        return
    stop_at = monotonic() + REPORT_SECONDS_PER_TICK
    waiting = [
        (manager, teams)
        for manager in tick.managers
        if manager.is_weekday(reports.weekday) and manager.past(reports.time)
        if (teams := _unfinished_teams(tick, manager))
    ]
    for done, (manager, teams) in enumerate(waiting):
        tick.check_stop()
        if done and monotonic() > stop_at:
            logger.info(
                "Weekly reports for %d more manager(s) wait for the next tick",
                len(waiting) - done,
            )
            return
        with isolated(f"The weekly reports for {manager.user_id}"):
            _send_for(tick, manager, teams)


def _unfinished_teams(tick: Tick, manager: ManagerClock) -> list[Team]:
    """Teams whose report is still to send, or was sent while its charts were not."""
    manager_id, monday = manager.user_id, _report_week(tick, manager)[0]
    return [
        team
        for team in manager.teams
        if _summary_unsent(tick, team, manager_id, monday)
        or _charts_unsent(tick, team, manager_id, monday)
    ]


def _report_week(tick: Tick, manager: ManagerClock) -> tuple[date, date, str]:
    """The week this manager's reports cover: one for all their teams, so the union of the
    teams' workdays decides when a week is over."""
    workdays = {day for team in manager.teams for day in tick.settings.workdays_of(team)}
    return report_week_for(manager.today, workdays)


def _summary_unsent(tick: Tick, team: Team, manager_id: str, monday: date) -> bool:
    return not tick.store.outbox.decided(report_kind(team), [(manager_id, monday)])


def _charts_unsent(tick: Tick, team: Team, manager_id: str, monday: date) -> bool:
    """The summary went out and its charts did not: their upload failed and may be tried
    again, or the process was killed between posting the summary and claiming the charts.
    """
    upload = tick.store.outbox.find(charts_kind(team), manager_id, monday)
    if upload is None:
        return _posted_summary(tick, team, manager_id, monday) is not None
    return upload.status == FAILED and not given_up(upload)


def _send_for(tick: Tick, manager: ManagerClock, teams: list[Team]) -> None:
    settings, store = tick.settings, tick.store
    monday, _, label = _report_week(tick, manager)

    # Build only what is still to send: computing and rendering is the slow part.
    try:
        dataset = load_dataset(store, settings, *report_span(settings, monday), teams)
    except Exception as exc:
        for team in teams:
            _record_build_failure(tick, manager.user_id, team, monday, exc)
        return

    for team in teams:
        tick.check_stop()
        with isolated(f"The {label} report for {team.name}"):
            try:
                team_report = build_team_report(dataset, settings, team, monday)
            except Exception as exc:
                _record_build_failure(tick, manager.user_id, team, monday, exc)
                continue
            _send_team(tick, manager, team, team_report)


def _record_build_failure(
    tick: Tick, manager_id: str, team: Team, monday: date, exc: Exception
) -> None:
    """Count a failed build as an attempt at what it was for (the summary, or its charts).

    So a report that cannot be built is tried a bounded number of times, not every minute of
    the report day.
    """
    summary_out = _posted_summary(tick, team, manager_id, monday) is not None
    kind = charts_kind(team) if summary_out else report_kind(team)
    failure_id = tick.store.outbox.claim(kind, manager_id, monday, now=tick.now)
    if failure_id is None:
        return  # another worker has it, or it was decided meanwhile
    what = f"Could not build the report for {team.name} (week of {monday}) for {manager_id}"
    record_failure(tick, failure_id, what, exc)


def _send_team(tick: Tick, manager: ManagerClock, team: Team, team_report: TeamReport) -> None:
    """The summary unless it went out on an earlier tick, then its charts."""
    monday = team_report.summary.monday
    posted = _posted_summary(tick, team, manager.user_id, monday)
    if posted is None:
        posted = deliver(tick, report_kind(team), manager.user_id, monday, team_report.message)
        if posted is None:
            return
        logger.info("Sent the %s report for %s to %s", team_report.week, team.name, manager.user_id)
    _upload_charts(tick, posted, team, manager.user_id, team_report)


def _posted_summary(tick: Tick, team: Team, manager_id: str, monday: date) -> Posted | None:
    """Where the report's summary went, when it went out on an earlier tick."""
    sent = tick.store.outbox.find(report_kind(team), manager_id, monday)
    if sent is None or sent.status != SENT or not sent.channel or not sent.ts:
        return None
    return Posted(sent.channel, sent.ts)


def _upload_charts(
    tick: Tick, posted: Posted, team: Team, manager_id: str, team_report: TeamReport
) -> None:
    """Upload the PNGs into the DM the summary went to (files need a channel ID, not a user).

    Claimed in the outbox like a message: a failed upload is tried again on the next ticks,
    a bounded number of times, and a done one never repeats.
    """
    monday = team_report.summary.monday
    upload_id = tick.store.outbox.claim(charts_kind(team), manager_id, monday, now=tick.now)
    if upload_id is None:
        return

    uploads = [
        {"content": c.png, "filename": c.filename, "title": c.title, "alt_txt": c.alt_text}
        for c in team_report.charts
    ]
    try:
        tick.messenger.client.files_upload_v2(file_uploads=uploads, channel=posted.channel)
    except Exception as exc:
        # Any step may fail: the upload URL, the POST of the bytes to it, the completion.
        what = f"The {team_report.week} report for {team_report.team} went out without its charts"
        record_failure(tick, upload_id, what, exc)
        return

    tick.store.outbox.mark_done(upload_id, tick.now, f"{len(uploads)} charts")


def _team_digest(team: Team) -> str:
    return hashlib.sha1(team.name.encode()).hexdigest()[:12]
