"""auth.test and apps.connections.open: who the token belongs to, and Socket Mode URLs."""

from __future__ import annotations

from typing import Any

from bot.sandbox.context import Args, Context, Handler


def auth_test(ctx: Context, args: Args) -> dict[str, Any]:
    ws = ctx.ws
    return {
        "ok": True,
        "url": f"https://{ws.domain}.slack.com/",
        "team": "Sandbox",
        "user": ws.users[ws.bot_user_id]["name"],
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "app_id": ws.app_id,
        "is_enterprise_install": False,
    }


def connections_open(ctx: Context, args: Args) -> dict[str, Any]:
    return {"ok": True, "url": ctx.socket_url()}


HANDLERS: dict[str, Handler] = {
    "auth.test": auth_test,
    "apps.connections.open": connections_open,
}
