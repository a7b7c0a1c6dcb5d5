"""The bot token never reaches a log line: not in python-telegram-bot's "token … was rejected"
message, not in a Bot API URL in httpx's or an exception's text, not as a formatting argument."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram.error import InvalidToken, NetworkError

from harmline.settings.log import JsonLines, TokenRedactor, install

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "7412589630:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw7"  # the shape of a real token (35-character secret)
BOT_ID, SECRET = TOKEN.split(":")


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger tree of its own (harmline-test, with telegram/httpx/aiohttp/apscheduler children)
    writing to a string through a handler carrying the redactor, as configure_logging sets it up."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("harmline-test")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    root.propagate = False
    install(TokenRedactor([TOKEN]), [root])
    try:
        yield root, stream
    finally:
        root.removeHandler(handler)


def assert_no_token(text: str) -> None:
    assert TOKEN not in text, text
    assert SECRET not in text, text
    assert SECRET[:12] not in text, text


def test_an_exception_naming_the_token_is_masked_in_message_and_traceback(captured) -> None:
    logger, stream = captured
    try:
        try:
            raise NetworkError(f"Unknown error in HTTP implementation: https://api.telegram.org/bot{TOKEN}/getMe")
        except NetworkError as cause:
            raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.") from cause
    except InvalidToken as error:
        logger.getChild("telegram.ext.Application").exception("cannot start: %s", error)
    output = stream.getvalue()
    assert_no_token(output)
    assert f"The token `{BOT_ID}:***` was rejected by the server." in output
    assert "Traceback (most recent call last)" in output  # the traceback is kept, masked
    assert f"https://api.telegram.org/bot{BOT_ID}:***/getMe" in output


def test_bot_api_urls_and_arguments_are_masked_whoever_logs_them(captured) -> None:
    logger, stream = captured
    logger.getChild("httpx").warning('HTTP Request: %s %s "%s"', "POST",
                                     f"https://api.telegram.org/bot{TOKEN}/getMe", "HTTP/1.1 401 Unauthorized")
    logger.getChild("telegram.request").debug("token %s, again %r", TOKEN, TOKEN)
    logger.getChild("aiohttp.access").info(f"GET /file/bot{TOKEN}/photos/file_1.jpg 200")
    logger.getChild("apscheduler.scheduler").info("job %(job)s", {"job": f"poll {TOKEN}"})
    # Another bot's token (the one from the environment, say) in a URL: masked too.
    logger.getChild("telegram.ext").error("http://127.0.0.1:8081/bot123456:OTHER-secret_value/sendMessage failed")
    logger.error("stack", stack_info=True, extra={"unused": TOKEN})
    output = stream.getvalue()
    assert_no_token(output)
    assert "OTHER-secret_value" not in output
    assert f'HTTP Request: POST https://api.telegram.org/bot{BOT_ID}:***/getMe "HTTP/1.1 401 Unauthorized"' in output
    assert f"token {BOT_ID}:***, again '{BOT_ID}:***'" in output
    assert f"GET /file/bot{BOT_ID}:***/photos/file_1.jpg 200" in output
    assert f"job poll {BOT_ID}:***" in output
    assert "http://127.0.0.1:8081/bot123456:***/sendMessage failed" in output


def test_records_without_a_token_are_left_as_they_are(captured) -> None:
    logger, stream = captured
    redactor = TokenRedactor(["1:X"])  # a short test token masks only itself, not ordinary text
    assert redactor.redact("ids 21:XYZ and 1:X and bot.py:12") == "ids 21:XYZ and 1:*** and bot.py:12"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "delivered %d of %s", (3, "MY-7KQ4XP2D"), None)
    assert TokenRedactor([TOKEN]).filter(record) and record.args == (3, "MY-7KQ4XP2D")
    try:
        raise ValueError("no secret here")
    except ValueError:
        logger.exception("plain")
    assert "ValueError: no secret here" in stream.getvalue()


def test_configure_logging_masks_every_line_of_the_process(tmp_path: Path) -> None:
    """The real set-up (bot.configure_logging), in a process of its own: handlers, library loggers,
    the URL-encoded token and an exception nobody caught."""
    script = textwrap.dedent(f"""
        import logging, sys
        sys.path.insert(0, {str(ROOT)!r})
        from harmline import bot
        bot.configure_logging("DEBUG", {TOKEN!r})
        logging.getLogger("telegram.ext.Updater").error("The token `{TOKEN}` was rejected by the server.")
        logging.getLogger("httpx").warning("GET https://api.telegram.org/bot%s/getUpdates", {TOKEN!r})
        logging.getLogger("httpx").info("hidden: httpx stays at WARNING %s", "INFO-LINE")
        logging.getLogger("aiohttp.server").error("url %s", "/bot{BOT_ID}%3A{SECRET}/getMe")
        try:
            raise RuntimeError("{TOKEN}")
        except RuntimeError:
            logging.getLogger("apscheduler.executors").exception("job failed")
        try:
            __import__("json").loads("404: Not Found")
        except ValueError:  # as python-telegram-bot logs an answer that is not JSON
            logging.getLogger("telegram.request.BaseRequest").exception(
                'Can not load invalid JSON data: "%s"', "<html>\\n<h1>502</h1>\\n</html>")
        raise SystemError("https://api.telegram.org/bot{TOKEN}/getMe")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "SystemError: https://api.telegram.org/bot" in output, output
    assert_no_token(output)
    assert "INFO-LINE" not in output
    for expected in ("ERROR telegram.ext.Updater: The token `7412589630:***` was rejected by the server.",
                     "WARNING httpx: GET https://api.telegram.org/bot7412589630:***/getUpdates",
                     "ERROR aiohttp.server: url /bot7412589630:***/getMe",  # URL-encoded, masked alike
                     "ERROR apscheduler.executors: job failed", "RuntimeError: 7412589630:***",
                     "BaseRequest: The server's answer is not JSON: <html> <h1>502</h1> </html>"):
        assert expected in output, output
    assert "JSONDecodeError" not in output  # that record stays one line


def test_json_lines_are_one_object_per_line_with_the_token_masked() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenRedactor([TOKEN]))
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("harmline.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("getUpdates failed: https://api.telegram.org/bot%s/getUpdates", TOKEN)
        try:
            raise NetworkError(f"cannot reach https://api.telegram.org/bot{TOKEN}/getMe\nsecond line")
        except NetworkError:
            logger.exception("starting")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # a traceback stays inside its line
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "WARNING" and first["logger"] == "harmline.test.json"
    assert first["message"] == f"getUpdates failed: https://api.telegram.org/bot{BOT_ID}:***/getUpdates"
    assert second["message"] == "starting" and "NetworkError" in second["exception"]
    assert SECRET not in stream.getvalue()
