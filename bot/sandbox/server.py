"""The stand-in's HTTP server on 127.0.0.1: /api/<method>, upload URLs and response_urls."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox.dispatch import WebApi
from bot.sandbox.faults import DROPPED
from bot.sandbox.methods.files import UPLOAD_PATH, receive_upload
from bot.sandbox.request_args import IncomingRequest
from bot.sandbox.webhooks import RESPONSE_PATH, ResponseUrls
from bot.sandbox.workspace import ApiCall

logger = logging.getLogger(__name__)

API_PATH = "api/"
SHUTDOWN_POLL_SECONDS = 0.05


class SandboxHttpServer:
    """A ThreadingHTTPServer on an ephemeral loopback port, served from a daemon thread."""

    def __init__(self, api: WebApi, response_urls: ResponseUrls) -> None:
        self.api = api
        self.response_urls = response_urls
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="slack-standin-http",
            daemon=True,
        )
        self._thread.start()
        logger.info("Slack stand-in serving the Web API at %s%s", self.url, API_PATH)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def route(self, request: IncomingRequest, path: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for one request; `path` is relative to the root."""
        if path.startswith(API_PATH):
            reply = self.api.handle(path[len(API_PATH) :], request)
            return reply.status, reply.headers | JSON_HEADERS, json.dumps(reply.body).encode()
        if path.startswith(UPLOAD_PATH) and request.http_method == "POST":
            with self.api.ctx.ws.lock:
                status, text = receive_upload(self.api.ctx, path[len(UPLOAD_PATH) :], request.body)
            self._record("upload_url", {"bytes": len(request.body)}, request, status, text)
            return status, TEXT_HEADERS, text.encode()
        if path.startswith(RESPONSE_PATH) and request.http_method == "POST":
            return self._response_url(path[len(RESPONSE_PATH) :], request)
        return 404, TEXT_HEADERS, b"not found"

    def _response_url(
        self, key: str, request: IncomingRequest
    ) -> tuple[int, dict[str, str], bytes]:
        try:
            body: Any = json.loads(request.body or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = None
        with self.api.ctx.ws.lock:
            status, text = self.response_urls.post(key, body)
        self._record("response_url", body if isinstance(body, dict) else {}, request, status, text)
        return status, TEXT_HEADERS, text.encode()

    def _record(
        self, method: str, args: dict[str, Any], request: IncomingRequest, status: int, text: str
    ) -> None:
        call = ApiCall(
            method=method,
            args=args,
            http_method=request.http_method,
            content_type=request.content_type,
            status=status,
            response={"text": text},
            at=self.api.ctx.ws.clock(),
        )
        with self.api.ctx.ws.lock:
            self.api.calls.append(call)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                request = IncomingRequest(
                    http_method=self.command,
                    query=parts.query,
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                status, headers, body = server.route(request, parts.path.lstrip("/"))
                if status == DROPPED:
                    self.close_connection = True
                    return

                self.send_response(status)
                for key, value in (headers | {"Content-Length": str(len(body))}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                logger.debug("stand-in http: " + format, *args)

        return Handler


JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
TEXT_HEADERS = {"Content-Type": "text/plain; charset=utf-8"}
