"""The Web API client: slack_sdk's WebClient with its retry handlers, pointed at SLACK_API_URL."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import SlackResponse

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
RATE_LIMIT_RETRIES = 5
SERVER_ERROR_RETRIES = 2
CONNECTION_RETRIES = 2
# What a call bound to a trigger_id may answer when the person can simply try again: Slack
# was busy, or the trigger lapsed (it expires about 3 s after the click).
TRY_AGAIN_ERRORS = frozenset({"ratelimited", "expired_trigger_id"})


def make_web_client(token: str, api_url: str = DEFAULT_API_URL, timeout: int = 30) -> WebClient:
    """A client that waits out 429s as Retry-After says and retries 5xx and dropped connections."""
    return WebClient(
        token=token,
        base_url=api_url if api_url.endswith("/") else api_url + "/",
        timeout=timeout,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
            ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES),
        ],
    )


def single_try(client: WebClient) -> WebClient:
    """The same client without retries, for calls whose caller decides what a failure means.

    A call bound to a trigger_id (views.open) is one: the trigger lapses about 3 s after the
    click and is exchanged once, so waiting out a 429's Retry-After, or any retry, only
    spends it.
    """
    return _with_retries(client, [])


def rate_limit_retries_only(client: WebClient) -> WebClient:
    """The same client retrying only 429s, which Slack answers without doing the work.

    For posts: after a 5xx or a timeout the message may be out, and a blind retry would
    post it twice.
    """
    return _with_retries(client, [RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)])


def _with_retries(client: WebClient, handlers: list[RetryHandler]) -> WebClient:
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=dict(client.headers),
        retry_handlers=handlers,
    )


def open_modal(client: WebClient, user_id: str, trigger_id: str, view: dict[str, Any]) -> bool:
    """views.open, once; False when the person should try again (Slack busy or unreachable).

    Any other refusal is a bug in the view and is raised for the app's error handler.
    """
    try:
        single_try(client).views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        if not _worth_another_try(exc.response):
            raise
        reason = f"{exc.response.status_code} {exc.response.get('error')}"
    except OSError as exc:  # no connection, a timeout, a dropped connection
        reason = f"{type(exc).__name__}: {exc}"
    else:
        return True

    logger.warning(
        "Could not open the check-in form for %s (%s); asking them to try again", user_id, reason
    )
    return False


def _worth_another_try(response: SlackResponse) -> bool:
    return response.status_code >= 500 or response.get("error") in TRY_AGAIN_ERRORS
