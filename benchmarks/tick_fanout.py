"""How long one tick takes when 1,000 reps are due at the same minute, against the stand-in.

Two runs over loopback HTTP, each with a fresh SQLite file:

  unpaced  posts_per_minute at its maximum and the stand-in's chat.postMessage limit raised,
           so the figure is the bot's own cost per prompt (query, build, post, record);
  paced    the default 180 posts a minute against Slack's real limits, timed on a sample
           of reps and projected to 1,000, since pacing (not the bot) sets that time.

It also prints the Web API calls the fan-out spent, per method: the point is that time
zones come from a paged users.list, never a users.info or conversations.open per rep.

    .venv/bin/python benchmarks/tick_fanout.py [--reps 1000] [--paced-sample 30]
"""

from __future__ import annotations

import argparse
import logging
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime

from bot.runtime import open_services
from bot.sandbox import SlackStandIn
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


def run(reps: int, posts_per_minute: int, limits: dict[str, int]) -> None:
    settings = settings_for(reps, posts_per_minute)
    with tempfile.TemporaryDirectory() as tmp, SlackStandIn(rate_limits=limits) as standin:
        for team in settings.teams:
            standin.add_user(team.manager, real_name="Manager", tz="America/New_York")
            for rep in team.reps:
                standin.add_user(rep, real_name=f"Rep {rep}", tz="America/New_York")
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
    parser.add_argument("--paced-sample", type=int, default=30)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    print(f"Unpaced: the bot's own cost for {args.reps} due reps")
    run(args.reps, 6_000_000, {"chat.postMessage": 100_000, "chat.postMessage/channel": 100_000})

    print(f"Paced at 180 posts/min against Slack's limits, a sample of {args.paced_sample} reps")
    started = time.perf_counter()
    run(args.paced_sample, 180, {})
    per_post = (time.perf_counter() - started) / args.paced_sample
    print(
        f"  projected for {args.reps} reps: {per_post * args.reps / 60:.1f} minutes (pacing-bound)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of this process (bot, stand-in and SQLite together): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
