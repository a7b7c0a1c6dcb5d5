"""The bot token never reaches a log line.

Every Bot API URL carries the token (``https://api.telegram.org/bot123456:ABC…/getMe``), and
python-telegram-bot names it in some messages (``The token `123456:ABC…` was rejected by the
server``); httpx, aiohttp and exception texts repeat such URLs. :class:`TokenRedactor` is a
logging filter installed on every handler: it rewrites each record's message (after its arguments
are applied), its exception text and its stack so that neither the configured token nor any
``bot<id>:<secret>`` pair in a URL is left, whichever library logged it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import quote

MASK = "***"

# bot<id>:<secret> in a URL path (…/bot<token>/getMe, …/file/bot<token>/photos/…), whatever token.
_URL_TOKEN = re.compile(r"(/bot)(\d+):[^/\s?#\"'<>`]+")
# A Telegram bot token anywhere: the bot's numeric id, a colon and a 35-character secret.
_ANY_TOKEN = re.compile(r"(?<![\w-])(\d{3,}):[A-Za-z0-9_-]{30,}(?![\w-])")
# Below this length the secret alone (without "id:") is not masked: short test tokens like "1:X"
# would blank ordinary words. Real secrets are 35 characters.
_SECRET_ALONE = 20


class TokenRedactor(logging.Filter):
    """Masks bot tokens in every record that passes (it never drops a record)."""

    def __init__(self, tokens: Iterable[str | None] = ()) -> None:
        super().__init__()
        self._patterns: list[tuple[re.Pattern[str], str]] = []
        for token in tokens:
            if token:
                self.add(token)

    def add(self, token: str) -> None:
        """Mask ``token`` (``id:secret``) too: in full, URL-encoded, and its secret alone if long."""
        bot_id, _, secret = token.partition(":")
        masked = f"{bot_id}:{MASK}" if secret else MASK
        forms = [token, quote(token, safe="")]
        for form in dict.fromkeys(forms):
            # Not part of a longer id or secret: "1:X" must not eat the "1:X" of "21:XYZ".
            self._patterns.append((re.compile(rf"(?<![0-9]){re.escape(form)}(?![A-Za-z0-9_-])"), masked))
        if len(secret) >= _SECRET_ALONE:
            self._patterns.append((re.compile(re.escape(secret)), MASK))

    def redact(self, text: str) -> str:
        for pattern, replacement in self._patterns:
            text = pattern.sub(replacement, text)
        text = _URL_TOKEN.sub(rf"\1\2:{MASK}", text)
        return _ANY_TOKEN.sub(rf"\1:{MASK}", text)

    def filter(self, record: logging.LogRecord) -> bool:
        self._message(record)
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            clean = self.redact(text)
            if clean != text:
                # The exception object itself carries the token: only its masked text travels on.
                record.exc_info, record.exc_text = None, clean
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True

    def _message(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: logging reports it with both
            record.msg = self.redact(str(record.msg))
            if isinstance(record.args, tuple):
                record.args = tuple(self.redact(str(arg)) for arg in record.args)
            elif record.args:
                record.args = (self.redact(str(record.args)),)
            return
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None


class OneLineNonJson(logging.Filter):
    """python-telegram-bot logs a JSON decoder's traceback, and the whole answer, when a server
    answers something that is not JSON (a wrong base_url, a proxy's error page). The caller says
    what went wrong in one line; keep this record to one line too."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith("Can not load invalid JSON data"):
            answer = " ".join(str(record.args[0] if isinstance(record.args, tuple) and record.args else "").split())
            record.msg, record.args = "The server's answer is not JSON: %s", (answer[:200],)
            record.exc_info, record.exc_text = None, None
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line (``[logging] format = "json"``), for log collectors: time (UTC,
    ISO 8601), level, logger, message and, when there is one, the exception's text. The message is
    the already-masked one (the token filter runs before any formatter); harmline's own messages
    name references, never a reporter."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def install(redactor: TokenRedactor, loggers: Iterable[logging.Logger] = ()) -> None:
    """Put ``redactor`` on every handler of the root logger and of ``loggers`` (and of every
    logger that has handlers of its own), and mask uncaught exceptions' tracebacks too."""
    manager = logging.getLogger().manager
    known = [logging.getLogger(), *loggers,
             *(item for item in manager.loggerDict.values() if isinstance(item, logging.Logger))]
    for logger in known:
        for handler in logger.handlers:
            if redactor not in handler.filters:
                handler.addFilter(redactor)

    def excepthook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        sys.stderr.write(redactor.redact("".join(traceback.format_exception(kind, error, trace))))

    sys.excepthook = excepthook
