"""Socket Mode: the WebSocket apps.connections.open points at, and envelopes pushed down it.

On connect Slack sends {"type": "hello", ...}; each event, slash command or interaction then
arrives as an envelope {"envelope_id", "type", "payload", ...} that the app acknowledges by
sending back {"envelope_id": ..., "payload": ...} (payload optional).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import uuid
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

logger = logging.getLogger(__name__)

EnvelopeType = Literal["events_api", "slash_commands", "interactive"]

DEFAULT_ACK_TIMEOUT = 10.0


class SocketModeServer:
    """A local Socket Mode endpoint; its URLs carry single-use tickets (apps.connections.open)."""

    def __init__(self, *, app_id: str) -> None:
        self.app_id = app_id
        self._server: Server = serve(self._serve_connection, "127.0.0.1", 0, compression=None)
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self._tickets: set[str] = set()
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, dict[str, Any]] = {}

    @property
    def port(self) -> int:
        port: int = self._server.socket.getsockname()[1]
        return port

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="slack-standin-socket", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join()

    def issue_url(self) -> str:
        """A ws:// URL with a fresh ticket, as apps.connections.open returns (wss:// on Slack)."""
        ticket = secrets.token_hex(16)
        with self._changed:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    @property
    def connected(self) -> int:
        with self._changed:
            return len(self._connections)

    def wait_for_client(self, timeout: float = DEFAULT_ACK_TIMEOUT) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: bool(self._connections), timeout):
                raise TimeoutError(f"no Socket Mode client connected within {timeout} s")

    def push(
        self,
        envelope_type: EnvelopeType,
        payload: dict[str, Any],
        *,
        timeout: float = DEFAULT_ACK_TIMEOUT,
    ) -> dict[str, Any]:
        """Send one envelope to the newest connection and return the app's ack message."""
        self.wait_for_client(timeout)
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": envelope_type,
        }
        if envelope_type == "events_api":
            envelope |= {"accepts_response_payload": False, "retry_attempt": 0, "retry_reason": ""}
        else:
            envelope["accepts_response_payload"] = True

        with self._changed:
            connection = self._connections[-1]
        connection.send(json.dumps(envelope))
        logger.debug("Pushed a %s envelope %s", envelope_type, envelope_id)

        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self._acks, timeout):
                raise TimeoutError(f"the app did not ack envelope {envelope_id} within {timeout} s")
            return self._acks.pop(envelope_id)

    def request_reconnect(self) -> None:
        """Tell connected clients to reconnect, as Slack does before it rotates a connection."""
        message = {
            "type": "disconnect",
            "reason": "refresh_requested",
            "debug_info": {"host": "sandbox"},
        }
        with self._changed:
            connections = list(self._connections)
        for connection in connections:
            connection.send(json.dumps(message))

    def close_connections(self) -> None:
        """Close every open connection from this side, as Slack does when it drops one.

        slack_sdk's built-in client then notices at once; closing it from its own side first
        waits out its 3-second socket read timeout instead.
        """
        with self._changed:
            connections = list(self._connections)
        for connection in connections:
            connection.close(code=1001, reason="closing")

    def _serve_connection(self, connection: ServerConnection) -> None:
        if not self._claim_ticket(connection):
            connection.close(code=1008, reason="invalid or used ticket")
            return

        with self._changed:
            self._connections.append(connection)
            count = len(self._connections)
            self._changed.notify_all()
        connection.send(json.dumps(self._hello(count)))
        logger.info("Socket Mode client connected (%d open)", count)

        try:
            for message in connection:
                self._receive(message)
        except ConnectionClosed:
            logger.debug("Socket Mode connection closed abruptly")
        finally:
            with self._changed:
                self._connections.remove(connection)
                self._changed.notify_all()

    def _claim_ticket(self, connection: ServerConnection) -> bool:
        request = connection.request
        query = parse_qs(urlsplit(request.path).query) if request is not None else {}
        ticket = query.get("ticket", [""])[0]
        with self._changed:
            if ticket not in self._tickets:
                logger.warning("Refused a Socket Mode connection with an unknown ticket")
                return False
            self._tickets.discard(ticket)
            return True

    def _hello(self, count: int) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": count,
            "debug_info": {
                "host": "applink-sandbox",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _receive(self, message: str | bytes) -> None:
        try:
            data = json.loads(message)
        except (UnicodeDecodeError, json.JSONDecodeError):
            logger.warning("Ignored a Socket Mode message that is not JSON")
            return
        if not isinstance(data, dict) or "envelope_id" not in data:
            logger.warning("Ignored a Socket Mode message without envelope_id")
            return
        with self._changed:
            self._acks[data["envelope_id"]] = data
            self._changed.notify_all()
