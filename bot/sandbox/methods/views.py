"""views.open, views.push, views.update and views.publish."""

from __future__ import annotations

import copy
from typing import Any

from bot.sandbox.context import Args, Context, Handler
from bot.sandbox.errors import WebApiError, invalid_arguments
from bot.sandbox.validation import check_view

MODAL = frozenset({"modal"})
HOME = frozenset({"home"})


def trigger_of(args: Args) -> Any:
    trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
    if not trigger_id:
        raise invalid_arguments("missing required field: trigger_id", "/trigger_id")
    return trigger_id


def check_hash(current: dict[str, Any], args: Args) -> None:
    """A hash sent with the call must be the view's latest, else another update won the race."""
    if args.get("hash") and args["hash"] != current["hash"]:
        raise WebApiError("hash_conflict")


def answer(view: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True, "view": copy.deepcopy(view)}


def views_open(ctx: Context, args: Args) -> dict[str, Any]:
    trigger_id = trigger_of(args)
    view = check_view(args.get("view"), allowed_types=MODAL)
    ctx.surfaces.check_external_id(view)
    trigger = ctx.surfaces.exchange_trigger(trigger_id)
    return answer(ctx.surfaces.open_modal(trigger.user_id, view))


def views_push(ctx: Context, args: Args) -> dict[str, Any]:
    trigger_id = trigger_of(args)
    view = check_view(args.get("view"), allowed_types=MODAL)
    ctx.surfaces.check_external_id(view)
    trigger = ctx.surfaces.exchange_trigger(trigger_id)
    return answer(ctx.surfaces.push_modal(trigger.user_id, view))


def views_update(ctx: Context, args: Args) -> dict[str, Any]:
    if not args.get("view_id") and not args.get("external_id"):
        raise invalid_arguments("either view_id or external_id is required", "/view_id")
    current = ctx.surfaces.find(view_id=args.get("view_id"), external_id=args.get("external_id"))
    view = check_view(args.get("view"), allowed_types=frozenset({current["type"]}))
    ctx.surfaces.check_external_id(view, replacing=current["id"])
    check_hash(current, args)
    return answer(ctx.surfaces.replace(current, view))


def views_publish(ctx: Context, args: Args) -> dict[str, Any]:
    user_id = args.get("user_id")
    if user_id not in ctx.ws.users:
        raise invalid_arguments("invalid user_id", "/user_id")
    view = check_view(args.get("view"), allowed_types=HOME)
    current = ctx.surfaces.homes.get(user_id)
    ctx.surfaces.check_external_id(view, replacing=current["id"] if current else None)
    if current is not None:
        check_hash(current, args)
    return answer(ctx.surfaces.publish_home(user_id, view))


HANDLERS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
