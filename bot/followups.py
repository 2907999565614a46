"""Slack calls a listener makes after its ack, on threads Bolt does not wait on."""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable

logger = logging.getLogger(__name__)

DEFAULT_WORKERS = 4
# How long a stopping bot lets queued follow-ups finish: within the 30 s a container is
# usually given after SIGTERM, while a tick also finishes its message.
SHUTDOWN_GRACE_SECONDS = 20.0

Work = Callable[[], object]


class FollowUps:
    """A line of follow-up work per person, drained by a few threads of its own.

    Bolt runs every listener on a pool of 5 threads and answers Slack only when the listener
    acks, giving up after 3 s. A Web API call after the ack that meets a 429 waits out
    Retry-After (up to a minute for chat.update) on the thread that made it; five such
    waits on Bolt's pool leave no thread for the next click, and Slack shows that person an
    error. So listeners ack, then hand what follows to `submit`.

    One person's follow-ups run one after another, in the order submitted: each re-reads
    what is stored when it runs, so a slow update can never overwrite a newer one. The
    threads start with the first follow-up and are daemons: a stopping process does not
    wait for one still waiting out a 429 once `close` has given up on it.
    """

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        self._size = workers
        self._threads: list[threading.Thread] = []
        self._ready: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._lines: dict[str, deque[tuple[str, Work]]] = {}
        self._closed = False

    def submit(self, person: str, what: str, work: Work) -> None:
        """Run `work` after the person's earlier follow-ups; `what` names it in the log."""
        with self._lock:
            if self._closed:
                logger.warning("Stopping: not running the follow-up %s", what)
                return
            line = self._lines.get(person)
            if line is not None:
                line.append((what, work))
                return
            self._lines[person] = deque([(what, work)])
            self._start_threads()
        self._ready.put(person)

    def wait(self, timeout: float) -> bool:
        """Wait until everything submitted so far has run; False if some is left at `timeout`."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._lines, timeout)

    def close(self, timeout: float) -> None:
        """On shutdown: give queued work `timeout` seconds, then drop and log what is left."""
        self.wait(timeout)
        with self._lock:
            self._closed = True
            left = [what for line in self._lines.values() for what, _ in line]
            for line in self._lines.values():
                line.clear()
            threads = len(self._threads)
        if left:
            logger.warning("Stopping with %d follow-up(s) not run, e.g. %s", len(left), left[0])
        for _ in range(threads):
            self._ready.put(None)

    def _start_threads(self) -> None:
        while len(self._threads) < self._size:
            thread = threading.Thread(
                target=self._serve, name=f"follow-up-{len(self._threads) + 1}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def _serve(self) -> None:
        while (person := self._ready.get()) is not None:
            self._drain(person)

    def _drain(self, person: str) -> None:
        while True:
            with self._lock:
                line = self._lines[person]
                if not line:
                    del self._lines[person]
                    self._idle.notify_all()
                    return
                what, work = line.popleft()
            _run(what, work)


def _run(what: str, work: Work) -> None:
    """What goes wrong after the ack is the app's to log: the person's answer is already sent."""
    try:
        work()
    except Exception:
        logger.exception("Follow-up failed: %s", what)
