"""Waiting between attempts at something that keeps failing, and saying why in one line."""

from __future__ import annotations

from datetime import timedelta

from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError


class Backoff:
    """1, 2, 4 … seconds up to ``ceiling``; back to the start after a success."""

    def __init__(self, first: float = 1.0, ceiling: float = 60.0) -> None:
        self.first, self.ceiling = first, ceiling
        self.attempt = 0

    def next_delay(self) -> float:
        self.attempt += 1
        return min(self.ceiling, self.first * 2.0 ** (self.attempt - 1))

    def reset(self) -> None:
        self.attempt = 0


def explain(error: TelegramError, where: str) -> str:
    """What went wrong talking to the Bot API at ``where``, for an operator (never the token:
    python-telegram-bot's own message for a rejected token contains it)."""
    if isinstance(error, InvalidToken):
        # Bot.initialize replaces the server's answer by a message naming the token: read the cause.
        answer = str(error.__cause__ if isinstance(error.__cause__, TelegramError) else error)
        if "unauthorized" in answer.lower():
            return (f"the Bot API at {where} rejected the token (401 Unauthorized): check telegram.token "
                    "or HARMLINE_BOT_TOKEN")
        return (f"the Bot API at {where} answered 404 Not Found: either the token is malformed or "
                "telegram.base_url is not a Bot API address (it ends in /bot, like https://api.telegram.org/bot)")
    if isinstance(error, Conflict):
        return f"Telegram refuses: {error.message} (is another instance running with this token?)"
    if isinstance(error, NetworkError):  # TimedOut too
        return f"cannot reach the Bot API at {where} ({error.message[:200]})"
    if error.message == "Invalid server response":
        return f"the server at {where} does not answer like a Bot API: check telegram.base_url"
    return f"the Bot API at {where} answered: {error.message[:200]}"


def retry_seconds(flood: RetryAfter) -> float:
    """Telegram's "retry after": seconds, or a timedelta in newer python-telegram-bot."""
    wait: float | timedelta = flood.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
