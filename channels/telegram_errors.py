"""What Telegram's refusals mean for a delivery: wait, try again later, give up on the chat, or
give up on one file.

The Bot API answers ``{"ok": false, "error_code": …, "description": …}``; python-telegram-bot
turns 403 into :class:`Forbidden`, 400 into :class:`BadRequest` (dropping "Bad Request: " and
capitalising, so descriptions are matched in lower case), a group turned supergroup into
:class:`ChatMigrated` and flood control into :class:`RetryAfter`. The descriptions below are
those Telegram sends (as collected by Bot API client libraries):

* 403 — ``bot was blocked by the user``, ``bot was kicked from the group chat`` / ``supergroup
  chat`` / ``channel chat``, ``user is deactivated``, ``bot can't initiate conversation with a
  user``, ``bot is not a member of the channel chat``: every 403 means the bot may not write
  there, so the delivery fails at once;
* 400, the chat — ``chat not found``, ``group chat was deactivated``, ``not enough rights to send
  text messages to the chat``, ``have no rights to send a message``, ``need administrator rights
  in the channel chat``, ``CHAT_WRITE_FORBIDDEN``, ``CHAT_RESTRICTED``, ``PEER_ID_INVALID``,
  ``TOPIC_CLOSED``, ``message thread not found``: fails at once too (someone must fix the chat or
  the configuration, then ``harmline outbox retry``);
* 400, one file — ``type of file mismatch``, ``wrong file identifier/HTTP URL specified``, ``wrong
  remote file identifier specified``, ``file is too big``, ``not enough rights to send photos to
  the chat`` (or videos, documents …), ``PHOTO_INVALID_DIMENSIONS``, ``IMAGE_PROCESS_FAILED``:
  the item is sent another way (as a document) or skipped, see :mod:`channels.telegram_chat`;
* anything else (a 5xx, a timeout, an unknown 400) may pass: retried with backoff.
"""

from __future__ import annotations

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from harmline.delivery.channel import DeliveryFailed, flood_failure

_CHAT_PROBLEMS = (
    "chat not found",
    "group chat was deactivated",
    "not enough rights to send text messages",
    "have no rights to send a message",
    "need administrator rights in the channel chat",
    "chat_write_forbidden",
    "chat_restricted",
    "chat_admin_required",
    "peer_id_invalid",
    "chat_id is empty",
    "user is deactivated",
    "bot was kicked",
    "bot was blocked",
    "bot is not a member",
    "topic_closed",
    "topic_deleted",
    "message thread not found",
)


def describe(error: TelegramError) -> str:
    """``BadRequest: Chat not found``, ``Forbidden: bot was blocked by the user``: the exception's
    kind and Telegram's words (python-telegram-bot keeps "Forbidden: " in the message itself)."""
    kind = type(error).__name__
    return error.message if error.message.lower().startswith(kind.lower() + ":") else f"{kind}: {error.message}"


def chat_problem(error: TelegramError) -> str | None:
    """Why nothing can be sent to this chat until someone changes something; None if it may pass."""
    if isinstance(error, ChatMigrated):
        return (f"ChatMigrated: the group became a supergroup with chat id {error.new_chat_id}; "
                "put that id in the configuration, then harmline outbox retry")
    if isinstance(error, Forbidden):
        return describe(error)
    if isinstance(error, BadRequest) and any(words in error.message.lower() for words in _CHAT_PROBLEMS):
        return describe(error)
    return None


def file_problem(error: TelegramError) -> bool:
    """Telegram refused a message because of what it carries (not the chat, not the moment):
    another form of the same file may pass, the same request never will."""
    return isinstance(error, BadRequest) and chat_problem(error) is None


def delivery_failure(error: TelegramError, progress: int) -> DeliveryFailed:
    """A refusal of one of the delivery's messages (``progress`` of them went out before) as the
    delivery's failure: flood control (a wait), the chat (permanent) or a passing failure."""
    if isinstance(error, RetryAfter):
        return flood_failure(error.retry_after, progress=progress)
    permanent = chat_problem(error)
    if permanent is not None:
        return DeliveryFailed(permanent, progress=progress, permanent=True)
    return DeliveryFailed(describe(error), progress=progress)
