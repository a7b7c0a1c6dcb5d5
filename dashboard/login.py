"""Signing in with Telegram, and the session that follows.

The Telegram Login widget sends the user's id, names, photo and ``auth_date`` with a ``hash``:
HMAC-SHA256 of the fields (sorted, ``key=value`` lines) keyed with SHA-256 of the bot token
(core.telegram.org/widgets/login, "Checking authorization"). Only the bot's owner can make it, so
a valid hash proves Telegram vouched for the user id. A sign-in older than :data:`LOGIN_MAX_AGE`
is refused (a replayed link).

The session is a cookie holding the user id and when it expires, signed with a key derived from
the token; nothing else about the user is kept in it or on the server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

LOGIN_MAX_AGE = timedelta(minutes=10)
_FIELDS = frozenset({"id", "first_name", "last_name", "username", "photo_url", "auth_date", "hash"})


class LoginRefused(Exception):
    """The sign-in data were not made by Telegram for this bot, or are too old."""


@dataclass(frozen=True)
class Identity:
    user_id: int
    name: str  # shown on the page to the user themselves; never stored or logged


def login_hash(fields: Mapping[str, str], token: str) -> str:
    """The hash Telegram puts on the widget's fields (what it signs: every field but ``hash``)."""
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")
    secret = hashlib.sha256(token.encode()).digest()
    return hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()


def verify_login(fields: Mapping[str, str], token: str, now: datetime) -> Identity:
    """The user Telegram signed ``fields`` for; :class:`LoginRefused` otherwise."""
    if not set(fields) <= _FIELDS or "hash" not in fields or "id" not in fields or "auth_date" not in fields:
        raise LoginRefused("not the Telegram Login widget's fields")
    if not hmac.compare_digest(login_hash(fields, token), fields["hash"]):
        raise LoginRefused("the hash does not match: not signed by Telegram for this bot")
    try:
        user_id, signed_at = int(fields["id"]), int(fields["auth_date"])
    except ValueError:
        raise LoginRefused("id and auth_date must be numbers") from None
    age = now.timestamp() - signed_at
    if not -60 <= age <= LOGIN_MAX_AGE.total_seconds():
        raise LoginRefused("the sign-in is too old; sign in again")
    name = " ".join(part for part in (fields.get("first_name"), fields.get("last_name")) if part)
    return Identity(user_id, name or fields.get("username", "") or str(user_id))


class Sessions:
    """Signed, expiring session cookies: ``<payload>.<signature>``, both base64url."""

    def __init__(self, token: str, lifetime: timedelta) -> None:
        self._key = hmac.new(token.encode(), b"harmline dashboard session", hashlib.sha256).digest()
        self.lifetime = lifetime

    def issue(self, identity: Identity, now: datetime) -> str:
        payload = json.dumps({"uid": identity.user_id, "name": identity.name,
                              "exp": int((now + self.lifetime).timestamp())}, separators=(",", ":"))
        body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        return f"{body}.{self._sign(body)}"

    def read(self, cookie: str | None, now: datetime) -> Identity | None:
        """The signed-in user, or None (no cookie, forged, or expired)."""
        if not cookie or cookie.count(".") != 1:
            return None
        body, signature = cookie.split(".")
        if not hmac.compare_digest(self._sign(body), signature):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            user_id, name, expires = int(payload["uid"]), str(payload["name"]), int(payload["exp"])
        except (ValueError, KeyError, TypeError):
            return None
        return Identity(user_id, name) if now.timestamp() < expires else None

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
