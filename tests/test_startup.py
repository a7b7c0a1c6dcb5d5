"""`harmline run` when the Bot API cannot be reached, or refuses the token or the address: one line
per attempt or one line and exit 2, never a traceback, never the token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from harmline.demo.botapi_server import BotApiServer
from tests.test_run_command import _free_port

TOKEN = "8888:SECRET-TOKEN-VALUE"


def write_config(folder: Path, base_url: str, base_file_url: str) -> Path:
    config = folder / "harmline.toml"
    config.write_text(f"""
[telegram]
token = "{TOKEN}"
base_url = "{base_url}"
base_file_url = "{base_file_url}"
rate_limit = false

[deployment]
countries = ["PH"]

[[contacts]]
country = "PH"
name = "CICC"
telegram_chat_id = -100777
language = "fil"
""", encoding="utf-8")
    return config


async def start(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "harmline", "run", "--config", str(config), cwd=config.parent,
        env={k: v for k, v in os.environ.items() if k != "HARMLINE_BOT_TOKEN"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def finish(process: asyncio.subprocess.Process, *, interrupt_after: float | None = None) -> str:
    if interrupt_after is not None:
        await asyncio.sleep(interrupt_after)
        process.send_signal(signal.SIGINT)
    output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    text = output.decode()
    assert "Traceback" not in text, text
    assert TOKEN not in text and "SECRET-TOKEN" not in text, text
    return text


async def test_a_rejected_token_is_named_in_one_line_and_the_bot_exits(tmp_path: Path) -> None:
    async with BotApiServer(token="8888:ANOTHER") as server:
        process = await start(write_config(tmp_path, server.base_url, server.base_file_url))
        output = await finish(process)
    assert process.returncode == 2
    [line] = [line for line in output.splitlines() if "cannot start" in line]
    assert "rejected the token (401 Unauthorized)" in line and "HARMLINE_BOT_TOKEN" in line


async def test_an_address_that_is_not_a_bot_api_is_named(tmp_path: Path) -> None:
    async with BotApiServer(token=TOKEN) as server:
        wrong = f"http://127.0.0.1:{server.port}/api/bot"
        process = await start(write_config(tmp_path, wrong, server.base_file_url))
        output = await finish(process)
    assert process.returncode == 2
    [line] = [line for line in output.splitlines() if "cannot start" in line]
    assert "404 Not Found" in line and "telegram.base_url" in line and wrong in line


async def test_an_unreachable_bot_api_is_retried_with_backoff_until_it_comes_up(tmp_path: Path) -> None:
    port = _free_port()
    config = write_config(tmp_path, f"http://127.0.0.1:{port}/bot", f"http://127.0.0.1:{port}/file/bot")
    process = await start(config)
    assert process.stdout is not None
    seen = b""
    while b"attempt 2," not in seen:  # two attempts failed: now the Bot API comes up
        seen += await asyncio.wait_for(process.stdout.readline(), timeout=30)
    async with BotApiServer(token=TOKEN, port=port) as server:
        citizen = server.user(5150, "Jose", language_code="fil")
        citizen.send_text("May nag-text na nanalo raw ako ng 50,000 piso, magbayad daw muna ng processing fee")
        ack = await server.wait_for(lambda m: m.chat_id == citizen.id, timeout=20)
        assert "PH-" in ack.plain_text
        output = seen.decode() + await finish(process, interrupt_after=0.2)
    assert process.returncode == 0
    attempts = [line for line in output.splitlines() if "cannot reach the Bot API" in line]
    assert len(attempts) >= 2, output
    assert "attempt 1, next in 1 s" in attempts[0] and "attempt 2, next in 2 s" in attempts[1]
    assert f"http://127.0.0.1:{port}/bot" in attempts[0]


async def test_the_bot_stops_cleanly_while_still_waiting_for_the_bot_api(tmp_path: Path) -> None:
    port = _free_port()
    config = write_config(tmp_path, f"http://127.0.0.1:{port}/bot", f"http://127.0.0.1:{port}/file")
    process = await start(config)
    assert process.stdout is not None
    seen = b""
    while b"cannot reach the Bot API" not in seen:  # waiting for the Bot API now
        seen += await asyncio.wait_for(process.stdout.readline(), timeout=30)
    output = seen.decode() + await finish(process, interrupt_after=0.1)
    assert process.returncode == 0
    assert "Traceback" not in output
