"""`python -m harmline run --config FILE` as an operator starts it, against a Bot API server on loopback."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from harmline.demo.botapi_server import BotApiServer
from tests.test_e2e import reference_in, send_now

ROOT = Path(__file__).resolve().parent.parent
CONTACT = -1004242


async def test_the_run_command_acknowledges_in_the_citizens_language_and_forwards(tmp_path: Path) -> None:
    async with BotApiServer(token="7777:OPERATOR") as server:
        config = tmp_path / "harmline.toml"
        config.write_text(f"""
[telegram]
token = "ignored:because-env-wins"
base_url = "{server.base_url}"
base_file_url = "{server.base_file_url}"
rate_limit = true

[storage]
database = "reports.db"

[deployment]
countries = ["MY"]

[intake]
merge_window_seconds = 1

[[contacts]]
country = "MY"
name = "National Scam Response Centre"
telegram_chat_id = {CONTACT}
language = "ms"
""", encoding="utf-8")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "harmline", "run", "--config", str(config),
            env={**os.environ, "HARMLINE_BOT_TOKEN": "7777:OPERATOR"}, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            citizen = server.user(4242, "Siti", language_code="ms")
            citizen.send_text("Saya kena tipu, mereka minta bayar yuran untuk pinjaman segera 012-345 6789")
            [ack] = await server.wait_for_messages(citizen.id, 1, timeout=30)
            reference = reference_in(ack)
            assert ack.plain_text.startswith("Terima kasih. Laporan anda telah diterima.")
            citizen.press(ack, send_now(ack))
            card = await server.wait_for(lambda m: m.chat_id == CONTACT, timeout=15)
            assert reference in card.plain_text and "Siti" not in card.plain_text
            assert (tmp_path / "reports.db").exists()  # relative to the config file
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        log = output.decode()
        assert process.returncode == 0, log
        assert "7777:OPERATOR" not in log  # the token (in every Bot API URL) never reaches the log


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_registers_the_webhook_and_takes_updates_posted_to_it(tmp_path: Path) -> None:
    port = _free_port()
    async with BotApiServer(token="7777:OPERATOR") as server:
        config = tmp_path / "harmline.toml"
        config.write_text(f"""
[telegram]
token = "7777:OPERATOR"
base_url = "{server.base_url}"
base_file_url = "{server.base_file_url}"
rate_limit = false

[telegram.webhook]
url = "http://127.0.0.1:{port}/hook"
listen = "127.0.0.1"
port = {port}
url_path = "hook"
secret_token = "s3cret"

[deployment]
countries = ["TH"]

[[contacts]]
country = "TH"
name = "Thai Police Cyber Taskforce"
telegram_chat_id = {CONTACT}
language = "th"
""", encoding="utf-8")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "harmline", "run", "--config", str(config), cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        try:
            for _ in range(100):
                if server.calls_to("setWebhook"):
                    break
                await asyncio.sleep(0.1)
            [registration] = server.calls_to("setWebhook")
            assert registration["url"] == f"http://127.0.0.1:{port}/hook"
            assert registration["secret_token"] == "s3cret"
            update = {"update_id": 1, "message": {
                "message_id": 1, "date": 1764000000, "text": "มิจฉาชีพหลอกให้โอนเงิน",
                "from": {"id": 31, "is_bot": False, "first_name": "Nid", "language_code": "th"},
                "chat": {"id": 31, "type": "private", "first_name": "Nid"}}}
            async with httpx.AsyncClient() as client:
                forged = await client.post(f"http://127.0.0.1:{port}/hook", json=update)
                assert forged.status_code == 403  # without Telegram's secret header
                accepted = await client.post(f"http://127.0.0.1:{port}/hook", json=update,
                                             headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
                assert accepted.status_code == 200
            ack = await server.wait_for(lambda m: m.chat_id == 31, timeout=15)
            assert reference_in(ack).startswith("TH-") and ack.plain_text.startswith("ขอบคุณ")
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
        assert process.returncode == 0, output.decode()
