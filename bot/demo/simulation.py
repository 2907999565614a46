"""Simulated weeks: ticks on a moving clock, and reps who read their DMs and answer them."""

from __future__ import annotations

import heapq
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic, sleep
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.demo.cast import Manager, Persona
from bot.demo.outcomes import draw_day
from bot.sandbox import SlackDriver, SlackStandIn
from bot.services import Services
from bot.tick import run_tick

logger = logging.getLogger(__name__)

STEP = timedelta(minutes=15)
WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Event:
    at: datetime
    who: str
    what: str  # "received", "updated", "did", "replied", "home"
    text: str
    images: tuple[str, ...] = ()


@dataclass(order=True)
class _Action:
    at: datetime
    rep_id: str = field(compare=False)
    kind: str = field(compare=False)  # "log", "day_off", "correct"
    day: date = field(compare=False)


class Simulation:
    """Plays every rep against the running bot; records what each person saw and did."""

    def __init__(
        self,
        *,
        standin: SlackStandIn,
        driver: SlackDriver,
        services: Services,
        client: WebClient,
        set_clock: Callable[[datetime], None],
        reps: list[Persona],
        managers: list[Manager],
        dead_call_types: dict[str, frozenset[str]],
        dead_from: date,
        charts_dir: Path,
        seed: int = 7,
    ) -> None:
        self.standin = standin
        self.driver = driver
        self.services = services
        self.client = client
        self.set_clock = set_clock
        self.reps = {rep.user_id: rep for rep in reps}
        self.people = [rep.user_id for rep in reps] + [m.user_id for m in managers]
        self.dead = dead_call_types
        self.dead_from = dead_from
        self.charts_dir = charts_dir
        self.rng = random.Random(seed)
        self.events: list[Event] = []
        self._seen: dict[str, dict[str, str]] = {person: {} for person in self.people}
        self._uploads_seen: dict[str, int] = {person: 0 for person in self.people}
        self._asked: dict[tuple[str, date], int] = {}
        self._actions: list[_Action] = []

    def run(self, start: datetime, end: datetime) -> None:
        self._schedule_corrections(start, end)
        now = start
        while now <= end:
            self.set_clock(now)
            run_tick(now, self.services.settings, self.services.store, self.client)
            self._read_dms(now)
            while self._actions and self._actions[0].at <= now + STEP:
                action = heapq.heappop(self._actions)
                self.set_clock(action.at)
                self._act(action)
                self._read_dms(action.at)
            now += STEP

    def on_demand(self, at: datetime, asks: list[tuple[str, str]]) -> None:
        """People use /stats and the Home tab: each (person, "/stats ...") or (person, "home")."""
        self.set_clock(at)
        for person, ask in asks:
            if ask == "home":
                self._open_home(person, at)
            else:
                self._stats(person, ask.removeprefix("/stats").strip(), at)

    def _stats(self, person: str, text: str, at: datetime) -> None:
        typed = f"/stats {text}".strip()
        self.events.append(Event(at, person, "did", f"Typed `{typed}`"))
        answered = len(self._stats_answers(person))
        charts = len(self.standin.uploads(person))
        reply = self.driver.slash_command(person, "/stats", text)
        if reply.json and reply.json.get("text"):
            self.events.append(Event(at, person, "replied", message_text(reply.json)))
        if "Crunching" not in reply.text:
            return  # refused: the reply above says why

        answers = wait_for(lambda: self._stats_answers(person)[answered:])
        if answers:
            self.events.append(Event(at, person, "replied", message_text(answers[-1])))
        wait_for(lambda: len(self.standin.uploads(person)) > charts)
        self._read_dms(at)

    def _stats_answers(self, person: str) -> list[dict[str, Any]]:
        return [e for e in self.standin.ephemerals(person) if e.get("source") == "response_url"]

    def _open_home(self, person: str, at: datetime) -> None:
        self.driver.open_home(person)
        view = wait_for(lambda: self.standin.home_view(person))
        self.events.append(Event(at, person, "did", "Opened the bot's *Home* tab."))
        if view:
            self.events.append(Event(at, person, "home", message_text(view)))

    # Reading -------------------------------------------------------------------------

    def _read_dms(self, now: datetime) -> None:
        for person in self.people:
            seen = self._seen[person]
            for message in self.standin.dm_messages(person):
                text = message_text(message)
                if not text or seen.get(message["ts"]) == text:
                    continue  # unchanged, or the bare message a file upload leaves
                what = "updated" if message["ts"] in seen else "received"
                seen[message["ts"]] = text
                self.events.append(Event(now, person, what, text))
                if what == "received" and person in self.reps:
                    self._react(now, self.reps[person], message)
            self._read_uploads(now, person)

    def _read_uploads(self, now: datetime, person: str) -> None:
        uploads = self.standin.uploads(person)
        for upload in uploads[self._uploads_seen[person] :]:
            path = self.charts_dir / upload.filename
            path.write_bytes(upload.content or b"")
            title = upload.title or upload.filename
            self.events.append(
                Event(now, person, "received", f"Chart: {title}", (f"charts/{path.name}",))
            )
        self._uploads_seen[person] = len(uploads)

    def _react(self, now: datetime, rep: Persona, message: dict[str, Any]) -> None:
        """A prompt or reminder: decide whether and when this rep answers it."""
        day = button_day(message, "open_checkin")
        if day is None:
            return
        asked = self._asked[rep.user_id, day] = self._asked.get((rep.user_id, day), 0) + 1
        if day in rep.days_off:
            self._later(now, rep.user_id, "day_off", day, minutes=(2, 10))
            return
        if rep.silent_from and day >= rep.silent_from:
            return
        chance = rep.answers_prompt if asked == 1 else rep.answers_reminder
        if self.rng.random() < chance:
            self._later(now, rep.user_id, "log", day, minutes=(5, 90 if asked == 1 else 40))

    def _later(
        self, now: datetime, rep_id: str, kind: str, day: date, minutes: tuple[int, int]
    ) -> None:
        delay = timedelta(minutes=self.rng.randint(*minutes))
        heapq.heappush(self._actions, _Action(now + delay, rep_id, kind, day))

    def _schedule_corrections(self, start: datetime, end: datetime) -> None:
        for rep in self.reps.values():
            if rep.corrects_on is None:
                continue
            at = datetime.combine(rep.corrects_on, time(9, 15), tzinfo=ZoneInfo(rep.tz))
            if start <= at <= end:
                heapq.heappush(self._actions, _Action(at, rep.user_id, "correct", rep.corrects_on))

    # Acting ----------------------------------------------------------------------------

    def _act(self, action: _Action) -> None:
        rep = self.reps[action.rep_id]
        if action.kind == "day_off":
            self._click(rep, action.day, "day_off", "Clicked *Day off*.")
        elif action.kind == "correct":
            self._correct(rep, action.day)
        elif not self.services.store.entries.checked_in([(rep.user_id, action.day)]):
            self._log(rep, action.day)

    def _log(self, rep: Persona, day: date) -> None:
        cells = self._day_cells(rep, day)
        if rep.quick_form:
            text = ", ".join(f"{n} {ct} {outcome}" for (ct, outcome), n in sorted(cells.items()))
            self._command(rep, text or "0 cold_call no_answer")
            return
        if self._click(rep, day, "open_checkin", "Clicked *Log today's calls*."):
            self._fill(rep, day, cells)

    def _correct(self, rep: Persona, today: date) -> None:
        yesterday = today - timedelta(days=1)
        counts = self.services.store.entries.day_counts(rep.user_id, yesterday)
        if not counts:
            return
        self._command(rep, "yesterday")
        if wait_for(lambda: self.standin.open_view(rep.user_id)):
            corrected = dict(counts)
            corrected["demo", "meeting_booked"] = corrected.get(("demo", "meeting_booked"), 0) + 1
            self._fill(
                rep, yesterday, corrected, note="Corrected yesterday: one more demo meeting."
            )

    def _click(self, rep: Persona, day: date, action_id: str, note: str) -> bool:
        message = next(
            (
                m
                for m in reversed(self.standin.dm_messages(rep.user_id))
                if button_day(m, action_id) == day
            ),
            None,
        )
        if message is None:
            return False
        self.driver.click(rep.user_id, message, action_id)
        self.events.append(Event(self.services.clock(), rep.user_id, "did", note))
        return action_id != "open_checkin" or bool(
            wait_for(lambda: self.standin.open_view(rep.user_id))
        )

    def _fill(
        self, rep: Persona, day: date, cells: dict[tuple[str, str], int], note: str = ""
    ) -> None:
        answers = {f"{ct}.{outcome}.{day:%Y%m%d}": n for (ct, outcome), n in cells.items() if n}
        before = [m["text"] for m in self.standin.dm_messages(rep.user_id)]
        answer = self.driver.fill_modal(rep.user_id, answers)
        total = sum(cells.values())
        summary = note or f"Saved the form: {total} calls."
        if not answer.ok:
            summary = f"Saved the form, and Slack showed errors: {answer.slack_errors}"
        self.events.append(Event(self.services.clock(), rep.user_id, "did", summary))
        wait_for(lambda: [m["text"] for m in self.standin.dm_messages(rep.user_id)] != before)

    def _command(self, rep: Persona, text: str) -> None:
        self.events.append(
            Event(self.services.clock(), rep.user_id, "did", f"Typed `/checkin {text}`")
        )
        reply = self.driver.slash_command(rep.user_id, "/checkin", text)
        if reply.json and reply.json.get("text"):
            self.events.append(
                Event(self.services.clock(), rep.user_id, "replied", reply.json["text"])
            )

    def _day_cells(self, rep: Persona, day: date) -> dict[tuple[str, str], int]:
        calls = rep.calls_per_day
        if rep.slump_from and day >= rep.slump_from:
            calls = max(1, calls // 3)
        calls = max(0, calls + self.rng.randint(-3, 3))
        team = self.services.settings.team_of(rep.user_id)
        dead = self.dead.get(team.name, frozenset()) if team else frozenset()
        return draw_day(self.rng, calls, rep.mix, dead if day >= self.dead_from else frozenset())


def message_text(message: dict[str, Any]) -> str:
    """What a person reads in a message: its sections and context lines, buttons in brackets."""
    lines: list[str] = []
    for block in message.get("blocks", []):
        if block["type"] == "section":
            lines.append(block.get("text", {}).get("text", ""))
            lines += [f.get("text", "") for f in block.get("fields", [])]
        elif block["type"] in ("context",):
            lines += [e.get("text", "") for e in block["elements"] if "text" in e]
        elif block["type"] == "header":
            lines.append(f"**{block['text']['text']}**")
        elif block["type"] == "actions":
            lines.append(
                " ".join(f"[{e['text']['text']}]" for e in block["elements"] if "text" in e)
            )
    return "\n".join(line for line in lines if line) or message.get("text", "")


def button_day(message: dict[str, Any], action_id: str) -> date | None:
    for block in message.get("blocks", []):
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element.get("action_id") == action_id and element.get("value"):
                try:
                    return date.fromisoformat(element["value"])
                except ValueError:
                    return None
    return None


def wait_for(check: Callable[[], Any]) -> Any:
    """Listeners finish just after their ack; give them a moment, as a person would."""
    deadline = monotonic() + WAIT_SECONDS
    while not (result := check()) and monotonic() < deadline:
        sleep(0.01)
    return result
