"""files.getUploadURLExternal, the upload URL itself, files.completeUploadExternal, files.info.

Together these are what slack_sdk's WebClient.files_upload_v2 calls, in that order.
"""

from __future__ import annotations

import copy
import json
import mimetypes
import re
import secrets
from typing import Any

from bot.sandbox.context import Args, Context, Handler
from bot.sandbox.errors import WebApiError, invalid_arguments
from bot.sandbox.workspace import Conversation, Upload

CHANNEL_ID = re.compile(r"^[CGDZ][A-Z0-9]{8,}$")
UPLOAD_PATH = "upload/v1/"


def get_upload_url(ctx: Context, args: Args) -> dict[str, Any]:
    try:
        length = int(args["length"])
    except (KeyError, TypeError, ValueError) as exc:
        raise WebApiError("missing_argument") from exc
    if not args.get("filename"):
        raise WebApiError("missing_argument")

    file_id = ctx.ws.new_id("F")
    ctx.ws.uploads[file_id] = Upload(
        file_id=file_id,
        filename=args["filename"],
        length=length,
        alt_txt=args.get("alt_txt"),
        snippet_type=args.get("snippet_type"),
    )
    key = f"{file_id}-{secrets.token_hex(8)}"
    return {"ok": True, "upload_url": f"{ctx.base_url}{UPLOAD_PATH}{key}", "file_id": file_id}


def receive_upload(ctx: Context, key: str, content: bytes) -> tuple[int, str]:
    """The POST of a file's bytes to its upload_url; Slack answers 200 "OK - <bytes>"."""
    upload = ctx.ws.uploads.get(key.split("-", 1)[0])
    if upload is None:
        return 404, "upload not found"
    upload.content = content
    return 200, f"OK - {len(content)}"


def file_object(ctx: Context, upload: Upload) -> dict[str, Any]:
    """A file object with the keys Slack's file objects carry (see payloads.json file_object)."""
    mimetype = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
    shares: dict[str, list[str]] = {"channels": [], "ims": []}
    for channel in upload.channels:
        shares["ims" if channel.startswith("D") else "channels"].append(channel)
    return {
        "id": upload.file_id,
        "created": int(float(upload.ts or 0)),
        "timestamp": int(float(upload.ts or 0)),
        "name": upload.filename,
        "title": upload.title or upload.filename,
        "mimetype": mimetype,
        "filetype": upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "binary",
        "user": ctx.ws.bot_user_id,
        "user_team": ctx.ws.team_id,
        "size": len(upload.content or b""),
        "is_public": False,
        "alt_txt": upload.alt_txt,
        "url_private": f"{ctx.base_url}files-pri/{upload.file_id}/{upload.filename}",
        "file_access": "visible",
        **shares,
    }


def parse_files(value: Any) -> list[dict[str, Any]]:
    files = json.loads(value) if isinstance(value, str) else value
    if not isinstance(files, list) or not all(isinstance(f, dict) and "id" in f for f in files):
        raise invalid_arguments("must provide an array of objects with id", "/files")
    return files


def share_targets(ctx: Context, args: Args) -> list[Conversation]:
    """Where Slack shares the files: `channel_id`, and each entry of `channels`.

    Slack's docs: channel_id is a channel ID (none keeps the file private); `channels` is a
    comma-separated list of channel IDs or user IDs, and a user ID shares into that
    person's DM with the app.
    NOTE: the docs do not say what Slack does with both at once; the stand-in shares into all.
    """
    channel_id = args.get("channel_id")
    if channel_id and not CHANNEL_ID.match(channel_id):
        raise invalid_arguments(
            r"input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$", "/channel_id"
        )
    targets = [ctx.ws.conversation(channel_id, user_ids=False)] if channel_id else []

    listed = args.get("channels") or []
    for name in listed.split(",") if isinstance(listed, str) else listed:
        try:
            targets.append(ctx.ws.conversation(str(name).strip(), user_ids=True))
        except WebApiError as exc:
            raise WebApiError("invalid_channel") from exc
    return list({conversation.id: conversation for conversation in targets}.values())


def complete_upload(ctx: Context, args: Args) -> dict[str, Any]:
    try:
        entries = parse_files(args.get("files"))
    except json.JSONDecodeError as exc:
        raise invalid_arguments("invalid JSON", "/files") from exc
    uploads = [ctx.ws.uploads.get(entry["id"]) for entry in entries]
    ready = [upload for upload in uploads if upload is not None and upload.content is not None]
    if len(ready) != len(entries):
        raise WebApiError("file_not_found")
    targets = share_targets(ctx, args)

    shared = []
    ts = ctx.ws.new_ts()
    for entry, upload in zip(entries, ready, strict=True):
        upload.title = entry.get("title") or upload.filename
        upload.channels = [conversation.id for conversation in targets]
        upload.initial_comment = args.get("initial_comment")
        upload.ts = ts
        shared.append(file_object(ctx, upload))

    for conversation in targets:
        message = ctx.ws.bot_message(args.get("initial_comment") or "", None)
        message |= {
            "ts": ts,
            "files": copy.deepcopy(shared),
            "upload": True,
            "subtype": "file_share",
        }
        conversation.messages.append(message)
    return {"ok": True, "files": shared}


def files_info(ctx: Context, args: Args) -> dict[str, Any]:
    upload = ctx.ws.uploads.get(args.get("file") or "")
    if upload is None or upload.ts is None:
        raise WebApiError("file_not_found")
    return {"ok": True, "file": file_object(ctx, upload)}


HANDLERS: dict[str, Handler] = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
    "files.info": files_info,
}
