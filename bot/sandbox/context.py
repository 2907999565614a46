"""What a Web API method handler may touch: the workspace, the views, and the server's URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.sandbox.surfaces import Surfaces
from bot.sandbox.workspace import Workspace


@dataclass
class Context:
    """Shared by every handler; the server holds workspace.lock while a handler runs."""

    ws: Workspace
    surfaces: Surfaces
    base_url: str
    socket_url: Callable[[], str]
    reject_posts_to_deactivated: bool = True


Args = dict[str, Any]
Handler = Callable[[Context, Args], dict[str, Any]]
