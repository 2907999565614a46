"""User objects shaped like users.info answers, with time-zone fields worked out from the tz."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Fields a test may change with SlackStandIn.update_user; profile fields follow real_name.
CHANGEABLE = frozenset({"real_name", "tz", "deleted", "is_bot", "name"})


def handle_for(real_name: str) -> str:
    """A Slack-like handle ("ana.ruiz") for a real name ("Ana Ruiz")."""
    return re.sub(r"[^a-z0-9]+", ".", real_name.lower()).strip(".") or "user"


def tz_fields(tz: str | None, at: datetime | None = None) -> dict[str, Any]:
    """tz, tz_label and tz_offset (seconds east of UTC) as Slack reports them for a zone name.

    Slack's tz_label is a long name ("Eastern Standard Time"); zoneinfo only knows the
    abbreviation, so the label here is that abbreviation ("EST").
    """
    if tz is None:
        return {}
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r}") from exc

    local = (at or datetime.now(UTC)).astimezone(zone)
    offset = local.utcoffset()
    return {
        "tz": tz,
        "tz_label": local.tzname() or tz,
        "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
    }


def build_user(
    user_id: str,
    *,
    team_id: str,
    real_name: str,
    tz: str | None,
    deleted: bool,
    is_bot: bool,
    name: str | None = None,
    updated: int = 0,
) -> dict[str, Any]:
    """A member object with the keys users.info and users.list return."""
    handle = name or handle_for(real_name)
    return {
        "id": user_id,
        "team_id": team_id,
        "name": handle,
        "deleted": deleted,
        "color": "9f69e7",
        "real_name": real_name,
        **tz_fields(tz),
        "profile": {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": handle,
            "display_name_normalized": handle,
            "first_name": real_name.split(" ")[0],
            "last_name": " ".join(real_name.split(" ")[1:]),
            "team": team_id,
        },
        "is_admin": False,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": updated,
    }


def changed_user(user: dict[str, Any], changes: dict[str, Any], *, updated: int) -> dict[str, Any]:
    """The user after `changes` (real_name, tz, deleted, is_bot, name) were applied."""
    unknown = set(changes) - CHANGEABLE
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)!r}; changeable: {sorted(CHANGEABLE)!r}")

    current = {
        "real_name": user["real_name"],
        "tz": user.get("tz"),
        "deleted": user["deleted"],
        "is_bot": user["is_bot"],
        "name": user["name"],
    }
    merged = current | changes
    return build_user(
        user["id"],
        team_id=user["team_id"],
        real_name=merged["real_name"],
        tz=merged["tz"],
        deleted=merged["deleted"],
        is_bot=merged["is_bot"],
        name=merged["name"] if "real_name" not in changes or "name" in changes else None,
        updated=updated,
    )
