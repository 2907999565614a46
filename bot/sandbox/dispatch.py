"""One Web API call, checked step by step as Slack checks it, then handed to its method handler."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.context import Context
from bot.sandbox.errors import WebApiError, invalid_arguments
from bot.sandbox.faults import DROPPED, Fault, FaultPlan
from bot.sandbox.methods import HANDLERS
from bot.sandbox.ratelimit import RateLimiter
from bot.sandbox.request_args import IncomingRequest, bearer_token, read_args
from bot.sandbox.rules import MethodRule, method_rules
from bot.sandbox.workspace import ApiCall

logger = logging.getLogger(__name__)


@dataclass
class Reply:
    """What the server sends back: status, extra headers, a JSON body."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class WebApi:
    """Answers /api/<method> requests and records each one in `calls`."""

    def __init__(
        self,
        ctx: Context,
        *,
        tokens: dict[str, str],
        limiter: RateLimiter | None,
        faults: FaultPlan,
    ) -> None:
        self.ctx = ctx
        self.tokens = tokens
        self.limiter = limiter
        self.faults = faults
        self.calls: list[ApiCall] = []

    def handle(self, method: str, request: IncomingRequest) -> Reply:
        args: dict[str, Any] = {}
        token_type: str | None = None
        try:
            rule = self._rule(method)
            fault = self.faults.take(method)
            if fault is not None:
                args = self._args_for_the_record(rule, request)
                raise fault_answer(method, fault)
            self._check_http_method(rule, request)
            args = read_args(request, json_input_supported=rule.json_input_supported)
            token_type = self._check_token(rule, request, args)
            self._check_rate(method, args)
            self._check_required(rule, args)
            self._check_limits(rule, args)
            with self.ctx.ws.lock:
                reply = Reply(200, HANDLERS[method](self.ctx, args))
            lost_answer = self.faults.take(method, after=True)
            if lost_answer is not None:
                raise fault_answer(method, lost_answer)
        except WebApiError as failure:
            self._warn_if_undocumented(method, failure)
            reply = Reply(failure.status, failure.body(), failure.headers)
        except Exception:
            # A stand-in bug: answer as Slack does for its own faults, and show the traceback
            # in the test's captured log rather than dropping the connection.
            logger.exception("Stand-in failed while answering %s", method)
            reply = Reply(500, {"ok": False, "error": "internal_error"})

        self._record(method, args, request, reply, token_type)
        return reply

    def _rule(self, method: str) -> MethodRule:
        rule = method_rules().get(method)
        if rule is None or method not in HANDLERS:
            raise WebApiError("unknown_method", extra={"req_method": method})
        return rule

    @staticmethod
    def _args_for_the_record(rule: MethodRule, request: IncomingRequest) -> dict[str, Any]:
        """A faulted call's arguments, so that a test can see whom it was for."""
        try:
            args = read_args(request, json_input_supported=rule.json_input_supported)
        except WebApiError:
            return {}
        args.pop("token", None)
        return args

    def _check_http_method(self, rule: MethodRule, request: IncomingRequest) -> None:
        if request.http_method in rule.http_methods:
            return
        if rule.documents("insecure_request"):
            raise WebApiError("insecure_request")
        raise invalid_arguments(f"{rule.name} must be called with POST", "/")

    def _check_token(self, rule: MethodRule, request: IncomingRequest, args: dict[str, Any]) -> str:
        token = bearer_token(request, args)
        args.pop("token", None)
        if token is None:
            raise WebApiError("missing_args" if rule.documents("missing_args") else "not_authed")
        token_type = self.tokens.get(token)
        if token_type is None:
            raise WebApiError("invalid_auth")
        if token_type != rule.token_type:
            raise WebApiError("not_allowed_token_type")
        return token_type

    def _check_rate(self, method: str, args: dict[str, Any]) -> None:
        if self.limiter is None:
            return
        channel = args.get("channel") if method == "chat.postMessage" else None
        retry_after = self.limiter.admit(method, self._channel_key(channel))
        if retry_after is not None:
            logger.info("Rate-limiting %s; retry after %d s", method, retry_after)
            raise WebApiError("ratelimited", status=429, headers={"Retry-After": str(retry_after)})

    def _channel_key(self, channel: Any) -> str | None:
        """A DM counts as one channel whether it is named by its D... ID or the person's ID."""
        if not isinstance(channel, str):
            return None
        with self.ctx.ws.lock:
            conversation = self.ctx.ws.conversations.get(channel)
        return (conversation.user or channel) if conversation else channel

    def _check_required(self, rule: MethodRule, args: dict[str, Any]) -> None:
        for arg in rule.required_args:
            if args.get(arg) in (None, ""):
                error = rule.missing_arg_errors[arg]
                if error == "invalid_arguments":
                    raise invalid_arguments(f"missing required field: {arg}", f"/{arg}")
                raise WebApiError(error)

    def _check_limits(self, rule: MethodRule, args: dict[str, Any]) -> None:
        """Arguments past a limit the method's docs state (chat.update text over 4,000, ...)."""
        for arg, limit in rule.arg_limits.items():
            if arg in args and limit.refuses(args[arg]):
                logger.info("Refusing %s: %s is past its documented limit", rule.name, arg)
                raise WebApiError(limit.error)

    def _warn_if_undocumented(self, method: str, failure: WebApiError) -> None:
        rule = method_rules().get(method)
        planned = failure.status >= 500 or failure.status == DROPPED
        known = failure.error in ("unknown_method", "ratelimited") or planned
        if rule is not None and not known and not rule.documents(failure.error):
            logger.warning(
                "Stand-in answered %s with %r, which Slack does not document for it",
                method,
                failure.error,
            )

    def _record(
        self,
        method: str,
        args: dict[str, Any],
        request: IncomingRequest,
        reply: Reply,
        token_type: str | None,
    ) -> None:
        call = ApiCall(
            method=method,
            args=copy.deepcopy(args),
            http_method=request.http_method,
            content_type=request.content_type,
            status=reply.status,
            response=copy.deepcopy(reply.body),
            at=self.ctx.ws.clock(),
            token_type=token_type,
        )
        with self.ctx.ws.lock:
            self.calls.append(call)


def fault_answer(method: str, fault: Fault) -> WebApiError:
    """The planned failure as Slack would answer it (a 429 says when to retry)."""
    headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
    done = " after doing its work" if fault.after else ""
    if fault.status == DROPPED:
        logger.info("Dropping the connection of a call to %s without an answer%s", method, done)
    else:
        logger.info("Answering %s with a planned HTTP %d%s", method, fault.status, done)
    return WebApiError(fault.error, status=fault.status, headers=headers)
