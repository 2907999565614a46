"""The stand-in's Web API methods: one handler per method the bot calls."""

from __future__ import annotations

from bot.sandbox.context import Handler
from bot.sandbox.methods import apps, chat, directory, files, history, views

HANDLERS: dict[str, Handler] = {
    **apps.HANDLERS,
    **chat.HANDLERS,
    **directory.HANDLERS,
    **files.HANDLERS,
    **history.HANDLERS,
    **views.HANDLERS,
}
