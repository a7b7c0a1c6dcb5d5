"""Decoding Bot API request parameters the way Telegram does.

Telegram accepts query string, urlencoded, multipart and JSON bodies.  PTB 22 never sends JSON:
it posts urlencoded forms (multipart when uploading), with every scalar as a string and nested
objects (``reply_markup``, ``media``, ``entities`` ...) JSON-encoded into a string field.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .models import UploadedFile, bad_request

Params = dict[str, Any]

# Fields whose string value is a JSON-serialised object/array.
JSON_FIELDS = frozenset(
    "reply_markup media entities caption_entities commands scope menu_button allowed_updates "
    "link_preview_options reply_parameters rights results ".split()
)

# Scalars PTB sends as form strings; turned back into ints/bools so ``calls`` reads naturally.
INT_FIELDS = frozenset(
    "chat_id from_chat_id message_id message_thread_id reply_to_message_id offset limit timeout "
    "cache_time user_id max_connections duration width height ".split()
)
BOOL_FIELDS = frozenset(
    "disable_notification protect_content show_alert drop_pending_updates has_spoiler "
    "disable_web_page_preview allow_sending_without_reply disable_content_type_detection ".split()
)


async def read_params(request: web.Request) -> Params:
    params: Params = dict(request.query)
    if request.content_type == "application/json":
        body = await request.read()
        if body:
            try:
                decoded = json.loads(body)
            except ValueError as exc:
                raise bad_request("can't parse JSON object") from exc
            if not isinstance(decoded, dict):
                raise bad_request("JSON object expected")
            params.update(decoded)
    elif request.method == "POST" and request.can_read_body:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            elif isinstance(value, bytes):
                params[key] = value.decode("utf-8", "replace")
            else:
                params[key] = value
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except ValueError as exc:
                raise bad_request(f"can't parse {key} JSON object") from exc
    for key in INT_FIELDS & params.keys():
        if isinstance(params[key], str) and params[key].lstrip("-").isdigit():
            params[key] = int(params[key])
    for key in BOOL_FIELDS & params.keys():
        if params[key] in ("true", "false"):
            params[key] = params[key] == "true"
    return params


def opt_int(params: Params, key: str) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise bad_request(f"invalid {key} specified")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        if key == "chat_id":
            raise bad_request("chat not found") from exc
        raise bad_request(f"invalid {key} specified") from exc


def req_int(params: Params, key: str, missing: str | None = None) -> int:
    value = opt_int(params, key)
    if value is None:
        raise bad_request(missing or f"{key} is empty")
    return value


def opt_str(params: Params, key: str) -> str | None:
    value = params.get(key)
    return None if value is None else str(value)


def opt_bool(params: Params, key: str) -> bool:
    value = params.get(key)
    return value is True or str(value).lower() in {"true", "1"}
