"""Bolt listeners, one module per kind of request; `register_all` wires them to an App."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, stats, views
from bot.services import Services


def register_all(app: App, services: Services) -> None:
    commands.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    events.register(app, services)
    stats.register(app, services)
