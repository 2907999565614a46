"""The demo's transcript: what each person received and did, day by day, in Markdown."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.demo.cast import Manager, Persona
from bot.demo.simulation import Event
from bot.sandbox import SlackStandIn
from storage.store import Store

MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
VERBS = {
    "received": "received",
    "updated": "saw the DM change to",
    "did": "",
    "replied": "was told",
    "home": "saw on the Home tab",
}


def write_transcript(
    path: Path,
    *,
    events: Sequence[Event],
    reps: Sequence[Persona],
    managers: Sequence[Manager],
    store: Store,
    standin: SlackStandIn,
    first_day: date,
    last_day: date,
    imported: str,
) -> Path:
    people = {p.user_id: (p.name, p.tz) for p in reps} | {
        m.user_id: (m.name, m.tz) for m in managers
    }
    names = {user_id: name for user_id, (name, _) in people.items()}
    lines = [
        "# rep-checkin demo transcript",
        "",
        f"Simulated {first_day:%a %b %-d} to {last_day:%a %b %-d, %Y} against a local stand-in of "
        "Slack. Times are each person's own local time.",
        "",
        imported,
        "",
        "## The cast",
        "",
        "| person | Slack ID | time zone | role |",
        "|---|---|---|---|",
    ]
    lines += [f"| {p.name} | `{p.user_id}` | {p.tz} | rep |" for p in reps]
    lines += [f"| {m.name} | `{m.user_id}` | {m.tz} | manager/admin |" for m in managers]

    current: date | None = None
    for event, times in _merge_repeated_updates(sorted(events, key=lambda e: e.at)):
        name, tz = people[event.who]
        local = event.at.astimezone(ZoneInfo(tz))
        if local.date() != current:
            current = local.date()
            lines += ["", f"## {current:%A, %B %-d}", ""]
        lines += _event_lines(event, name, local.strftime("%H:%M %Z"), names, times)

    lines += _summary(store, standin, reps, first_day, last_day)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _merge_repeated_updates(events: Sequence[Event]) -> list[tuple[Event, int]]:
    """One save can turn both the day's prompt and its reminder into the same summary."""
    merged: list[tuple[Event, int]] = []
    for event in events:
        if merged and event.what == "updated":
            last, times = merged[-1]
            if (last.what, last.who, last.text) == (event.what, event.who, event.text):
                merged[-1] = (last, times + 1)
                continue
        merged.append((event, 1))
    return merged


def _event_lines(
    event: Event, name: str, clock: str, names: dict[str, str], times: int = 1
) -> list[str]:
    verb = VERBS[event.what] if times == 1 else f"saw {times} DMs change to"
    head = f"- **{clock} · {name}** {verb}".rstrip()
    text = MENTION.sub(lambda m: "@" + names.get(m[1], m[1]), event.text)
    body = [f"  > {line}" for line in text.splitlines() if line.strip()]
    images = [f"  ![{event.text}]({image})" for image in event.images]
    if event.what == "did":
        return [f"{head} {event.text}"]
    return [head + ":", *body, *images]


def _summary(
    store: Store, standin: SlackStandIn, reps: Sequence[Persona], first: date, last: date
) -> list[str]:
    lines = [
        "",
        "## What was stored",
        "",
        "| rep | days checked in | calls logged |",
        "|---|---|---|",
    ]
    checkins = Counter(rep for rep, _ in store.entries.checkins(first, last))
    calls = Counter[str]()
    for row in store.entries.rows(first, last):
        calls[row.rep_id] += row.count
    lines += [f"| {p.name} | {checkins[p.user_id]} | {calls[p.user_id]} |" for p in reps]

    kinds = Counter(f"{m.kind.split(':')[0]} ({m.status})" for m in store.outbox.all())
    lines += ["", "## Messages the bot decided to send", ""]
    lines += [f"- {kind}: {count}" for kind, count in sorted(kinds.items())]

    methods = Counter(call.method for call in standin.calls)
    limited_by = Counter(call.method for call in standin.calls if call.status == 429)
    limited = sum(1 for call in standin.calls if call.status == 429)
    lines += [
        "",
        "## Slack Web API calls",
        "",
        f"{len(standin.calls)} calls, {limited} rate-limited:",
    ]
    lines += [
        f"- `{method}`: {count}"
        + (f" ({limited_by[method]} rate-limited)" if limited_by[method] else "")
        for method, count in sorted(methods.items())
    ]
    return lines
