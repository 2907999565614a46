"""Secrets and deployment settings from the environment, read once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.slack_client import DEFAULT_API_URL
from storage.db import DEFAULT_DATABASE_URL


class MissingSettingError(ValueError):
    """A required environment variable is not set."""


@dataclass(frozen=True)
class Environment:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    database_url: str
    config_path: str
    api_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Environment:
        return cls(
            bot_token=env.get("SLACK_BOT_TOKEN") or None,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            app_token=env.get("SLACK_APP_TOKEN") or None,
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            config_path=env.get("CHECKIN_CONFIG") or "app.yaml",
            api_url=env.get("SLACK_API_URL") or DEFAULT_API_URL,
        )

    def require(self, name: str) -> str:
        """The value of a required variable, or an error that says how to set it."""
        value = {
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
            "SLACK_APP_TOKEN": self.app_token,
        }[name]
        if not value:
            raise MissingSettingError(
                f"{name} is not set. Copy it from your Slack app's settings page "
                "(see README.md, 'Create the Slack app') and export it before starting."
            )
        return value
