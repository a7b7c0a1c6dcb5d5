"""A contact that never takes the report: the delivery ends "failed", kept, and shown to operators."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from demo.environment import CONTACT_CHAT_ID, LocalDeployment
from tests.test_e2e import report_and_send_now

ROOT = Path(__file__).resolve().parent.parent


async def test_after_max_attempts_the_delivery_is_failed_and_listed_by_harmline_outbox(tmp_path: Path) -> None:
    database = tmp_path / "h.db"
    async with LocalDeployment(str(database),
                               delivery={"backoff_base_seconds": 0.1, "backoff_max_seconds": 0.2,
                                         "max_attempts": 3}) as local:
        local.server.fail_chat(CONTACT_CHAT_ID, error_code=400, description="Bad Request: chat not found")
        citizen = local.server.user(9001, "Ong", language_code="en")
        reference, _ = await report_and_send_now(local, citizen, "Macau scam call pretending to be LHDN")
        report = await local.services.reports.find(reference)
        assert report is not None
        for _ in range(100):
            states = {d.channel: d.state for d in await local.services.outbox.for_report(report.id)}
            if states.get("telegram") == "failed":
                break
            await asyncio.sleep(0.1)
        deliveries = {d.channel: d for d in await local.services.outbox.for_report(report.id)}
        assert deliveries["telegram"].state == "failed" and deliveries["telegram"].attempts == 3
        assert "chat not found" in (deliveries["telegram"].last_error or "").lower()
        assert deliveries["webhook"].state == "delivered"  # the other recipient is not held back

    config = tmp_path / "harmline.toml"
    config.write_text(f"""
[telegram]
token = "1:X"
[storage]
database = "{database}"
[deployment]
countries = ["MY"]
[[contacts]]
country = "MY"
name = "National Scam Response Centre"
telegram_chat_id = {CONTACT_CHAT_ID}
""", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bot.py"), "outbox", "--config", str(config),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    listing = stdout.decode()
    assert "delivered 1, failed 1" in listing
    assert "to National Scam Response Centre (telegram) after 3 attempts: BadRequest: Chat not found" in listing
