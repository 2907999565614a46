"""How long one tick takes when 1,000 reps are due at the same minute, against the stand-in.

Two runs over loopback HTTP, each with a fresh SQLite file:

  unpaced  posts_per_minute at its maximum and the stand-in's chat.postMessage limit raised,
           so the figure is the bot's own cost per prompt (query, build, post, record);
  paced    the default 180 posts a minute against Slack's real limits, timed on a sample
           of reps and projected to 1,000, since pacing (not the bot) sets that time.

It also prints the Web API calls the fan-out spent, per method: the point is that time
zones come from a paged users.list, never a users.info or conversations.open per rep. The
unpaced run's workspace holds --members people (the reps and managers among colleagues the
bot never messages, in a shuffled order), so it also shows how many users.list calls the
directory sync spends in the first tick and over its whole pass, one tick a minute.

    .venv/bin/python benchmarks/tick_fanout.py [--reps 1000] [--members 5000] [--paced-sample 30]
"""

from __future__ import annotations

import argparse
import logging
import random
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient

from bot.directory import SYNC_KEY
from bot.runtime import open_services
from bot.sandbox import SlackStandIn
from bot.sandbox.clock import DEFAULT_CLOCK, ManualClock
from bot.services import Services
from bot.settings import Delivery, Settings
from bot.slack_client import make_web_client
from bot.tick import run_tick

DUE = datetime(2026, 12, 3, 21, 30, tzinfo=UTC)  # 16:30 in New York, a Thursday


def settings_for(reps: int, posts_per_minute: int) -> Settings:
    rep_ids = [f"U{n:08d}" for n in range(reps)]
    teams = [
        {"name": f"Team {t:03d}", "manager": f"W{t:08d}", "reps": rep_ids[t * 10 : t * 10 + 10]}
        for t in range((reps + 9) // 10)
    ]
    settings = Settings.model_validate({"teams": teams, "nudges": {"enabled": True}})
    # Past app.yaml's cap on purpose: the unpaced run measures the bot, not the pacer.
    delivery = Delivery.model_construct(posts_per_minute=posts_per_minute, directory_sync_hours=24)
    return settings.model_copy(update={"delivery": delivery})


def seed_workspace(standin: SlackStandIn, settings: Settings, members: int) -> None:
    """The teams' people among colleagues up to `members` in all, in a shuffled order."""
    people = {team.manager: "Manager" for team in settings.teams}
    people |= {rep: f"Rep {rep}" for team in settings.teams for rep in team.reps}
    colleagues = [f"UC{n:07d}" for n in range(max(0, members - len(people)))]
    everyone = list(people) + colleagues
    random.Random(0).shuffle(everyone)
    for user_id in everyone:
        name = people.get(user_id, f"Colleague {user_id}")
        standin.add_user(user_id, real_name=name, tz="America/New_York")


def list_calls(standin: SlackStandIn) -> int:
    return len(standin.calls_to("users.list"))


def finish_directory_pass(
    standin: SlackStandIn, slack_clock: ManualClock, services: Services, client: WebClient
) -> None:
    """Tick once a minute after DUE until the directory pass ends, and say what it cost."""
    first_tick = list_calls(standin)
    ticks = 1
    while services.store.sync_cursors.current(SYNC_KEY).running and ticks < 60:
        slack_clock.advance(60)
        run_tick(DUE + timedelta(minutes=ticks), services.settings, services.store, client)
        ticks += 1
    limited = sum(call.status == 429 for call in standin.calls_to("users.list"))
    print(
        f"  directory of {len(standin.workspace.users)} members: users.list {first_tick} calls "
        f"in the first tick, {list_calls(standin)} over the whole pass of {ticks} ticks "
        f"(one a minute), {limited} answered 429"
    )


def run(
    reps: int,
    members: int,
    posts_per_minute: int,
    limits: dict[str, int],
    slack_clock: ManualClock | None = None,
) -> None:
    """One tick at DUE, and with `slack_clock` (Slack's minute) the ticks finishing the pass."""
    settings = settings_for(reps, posts_per_minute)
    with (
        tempfile.TemporaryDirectory() as tmp,
        SlackStandIn(rate_limits=limits, clock=slack_clock or DEFAULT_CLOCK) as standin,
    ):
        seed_workspace(standin, settings, members)
        services = open_services(settings, f"sqlite:///{tmp}/bench.db", clock=lambda: DUE)
        client = make_web_client(standin.bot_token, standin.api_url)

        started = time.perf_counter()
        report = run_tick(DUE, settings, services.store, client)
        seconds = time.perf_counter() - started

        sent = sum(report.sent.values())
        calls = Counter(call.method for call in standin.calls)
        limited = sum(call.status == 429 for call in standin.calls)
        print(
            f"  {reps} reps due, {sent} prompts sent in {seconds:.2f} s "
            f"({seconds / max(sent, 1) * 1000:.1f} ms a prompt), {limited} answered 429"
        )
        print("  Web API calls: " + ", ".join(f"{m} {n}" for m, n in sorted(calls.items())))
        if slack_clock is not None:
            finish_directory_pass(standin, slack_clock, services, client)

        again = time.perf_counter()
        repeat = run_tick(DUE, settings, services.store, client)
        print(
            f"  the same tick again: {sum(repeat.sent.values())} sent "
            f"in {time.perf_counter() - again:.2f} s"
        )
        services.store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--paced-sample", type=int, default=30)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    print(f"Unpaced: the bot's own cost for {args.reps} due reps in {args.members} members")
    unlimited_posts = {"chat.postMessage": 100_000, "chat.postMessage/channel": 100_000}
    run(args.reps, args.members, 6_000_000, unlimited_posts, ManualClock())

    print(f"Paced at 180 posts/min against Slack's limits, a sample of {args.paced_sample} reps")
    started = time.perf_counter()
    run(args.paced_sample, 0, 180, {})
    per_post = (time.perf_counter() - started) / args.paced_sample
    print(
        f"  projected for {args.reps} reps: {per_post * args.reps / 60:.1f} minutes (pacing-bound)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of this process (bot, stand-in and SQLite together): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
