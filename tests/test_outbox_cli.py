"""Operators and the outbox, through the real command line (``python -m harmline outbox …`` in a
subprocess) against the database of a running bot: what is pending or failed and why, and
re-queuing failed deliveries once the cause is fixed — which the running bot then delivers."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from harmline.reports.model import Delivery
from tests.backends import on_postgres, storage_toml
from tests.test_e2e import report_and_send_now

ROOT = Path(__file__).resolve().parent.parent
WRONG_CHAT_ID = -1001234599999  # a typo in telegram_chat_id: Telegram has no such chat
FAST = {"backoff_base_seconds": 0.1, "backoff_max_seconds": 0.2, "max_attempts": 3}


def write_config(tmp_path: Path, database: Path, chat_id: int) -> Path:
    """The operator's configuration file (the contact as the bot's, without the test webhook)."""
    config = tmp_path / "harmline.toml"
    config.write_text(f"""
[telegram]
token = "1:X"
[storage]
{storage_toml(database)}
[deployment]
countries = ["MY"]
[[contacts]]
country = "MY"
name = "National Scam Response Centre"
telegram_chat_id = {chat_id}
""", encoding="utf-8")
    return config


async def harmline(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "harmline", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def telegram_forward(local: LocalDeployment, reference: str, state: str, timeout: float = 10) -> Delivery:  # noqa: ASYNC109
    """The report's forward to the contact's chat, once it is in ``state``."""
    report = await local.services.reports.find(reference)
    assert report is not None
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        delivery = next(d for d in await local.services.outbox.for_report(report.id)
                        if d.channel == "telegram" and str(d.purpose) == "forward")
        if delivery.state == state or asyncio.get_running_loop().time() > deadline:
            return delivery
        await asyncio.sleep(0.05)


async def wait_until(local: LocalDeployment, done: Callable[[dict[str, int]], bool], timeout: float = 10) -> None:  # noqa: ASYNC109
    """Until the outbox's counts per state satisfy ``done``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not done(counts := await local.services.outbox.counts()):
        assert asyncio.get_running_loop().time() < deadline, counts
        await asyncio.sleep(0.05)


def contact_chat(chat_id: int) -> Any:
    def edit(document: dict[str, Any]) -> dict[str, Any]:
        document["contacts"][0]["telegram_chat_id"] = chat_id
        return document

    return edit


async def test_a_failed_forward_is_listed_with_its_reason_and_retry_sends_it_to_the_corrected_chat(
        tmp_path: Path) -> None:
    database = tmp_path / "h.db"
    async with LocalDeployment(str(database), delivery=FAST, config=contact_chat(WRONG_CHAT_ID)) as local:
        local.server.fail_chat(WRONG_CHAT_ID, error_code=400, description="Bad Request: chat not found")
        citizen = local.server.user(9001, "Ong", language_code="en")
        reference, _ = await report_and_send_now(local, citizen, "Macau scam call pretending to be LHDN")
        failed = await telegram_forward(local, reference, "failed")
        # Retrying cannot find a chat that does not exist: failed at the first attempt, with the reason.
        assert (failed.state, failed.attempts) == ("failed", 1)
        assert failed.last_error == "BadRequest: Chat not found"
        await wait_until(local, lambda counts: counts == {"delivered": 2, "failed": 1})

        # The operator fixes telegram_chat_id in the configuration…
        config = write_config(tmp_path, database, CONTACT_CHAT_ID)
        code, listing, errors = await harmline("outbox", "--config", str(config))
        assert code == 0, errors
        lines = listing.splitlines()
        assert lines[0] == "deliveries: delivered 2, failed 1"  # the webhook, and the citizen's notice
        assert "failed, newest first (1):" in lines
        assert (f"  {reference}  to National Scam Response Centre (telegram {WRONG_CHAT_ID}), 1 attempt: "
                "BadRequest: Chat not found") in lines
        assert "harmline outbox retry REF" in listing

        # … and re-queues it; the running bot sends it, to the chat the configuration names now.
        code, output, errors = await harmline("outbox", "retry", reference, "--config", str(config))
        assert code == 0, errors
        assert output.startswith("re-queued 1 failed delivery, due now")
        assert f"now to {CONTACT_CHAT_ID} (was {WRONG_CHAT_ID})" in output
        assert "failed after 1 attempt: BadRequest: Chat not found" in output
        pending = await telegram_forward(local, reference, "pending", timeout=0)
        if pending.state == "pending":  # unless the bot was quicker than this look
            assert (pending.attempts, pending.target, pending.last_error) == (
                0, str(CONTACT_CHAT_ID), "BadRequest: Chat not found")
        card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID, timeout=15)
        assert reference in card.plain_text
        delivered = await telegram_forward(local, reference, "delivered")
        assert (delivered.state, delivered.attempts, delivered.last_error) == ("delivered", 1, None)

        # Nothing failed any more: said so, exit 1.
        code, output, errors = await harmline("outbox", "retry", reference, "--config", str(config))
        assert code == 1
        assert errors.strip() == f"harmline outbox retry: {reference} has no failed deliveries " \
                                 "(deliveries: delivered 3)"
        code, output, errors = await harmline("outbox", "retry", "MY-NOSUCH22", "--config", str(config))
        assert (code, errors.strip()) == (1, "harmline outbox retry: no report MY-NOSUCH22")


async def test_retry_failed_requeues_every_failed_delivery_and_pending_ones_show_their_next_attempt(
        tmp_path: Path) -> None:
    database = tmp_path / "h.db"
    slow = {"backoff_base_seconds": 60.0, "backoff_max_seconds": 120.0, "max_attempts": 3}
    async with LocalDeployment(str(database), delivery=slow) as local:
        local.server.fail_chat(CONTACT_CHAT_ID, error_code=403,
                               description="Forbidden: bot was kicked from the supergroup chat")
        local.receiver.go_down(503)
        citizens = [local.server.user(9100 + n, f"C{n}", language_code="en") for n in range(2)]
        references = [(await report_and_send_now(local, c, f"Phishing SMS number {c.id} with a fake bank link"))[0]
                      for c in citizens]
        for reference in references:
            assert (await telegram_forward(local, reference, "failed")).attempts == 1
        await wait_until(local, lambda counts: counts.get("pending") == 2 and local.receiver.attempts >= 2)
        config = write_config(tmp_path, database, CONTACT_CHAT_ID)

        code, listing, errors = await harmline("outbox", "--config", str(config))
        assert code == 0, errors
        lines = listing.splitlines()
        assert lines[0] == "deliveries: failed 2, pending 2"
        # Pending first, next attempt first: the webhook is down (503 may pass: retried in 30-60 s).
        assert lines[2] == "pending, next attempt first (2):"
        for line in lines[3:5]:
            assert f"to National Scam Response Centre (webhook {local.receiver.url}), 1 attempt; next 20" in line
            assert " UTC (in " in line and line.endswith("; last error: HTTP 503 Service Unavailable: "
                                                         '{"ok": false, "error": "unavailable"}')
        assert {line.split()[0] for line in lines[3:5]} == set(references)
        assert lines[6] == "failed, newest first (2):"
        assert [line.split()[0] for line in lines[7:9]] == references[::-1]
        for line in lines[7:9]:
            assert line.endswith(f"to National Scam Response Centre (telegram {CONTACT_CHAT_ID}), 1 attempt: "
                                 "Forbidden: bot was kicked from the supergroup chat")

        # The operator adds the bot to the group again, and re-queues every failed delivery.
        local.server.restore_chat(CONTACT_CHAT_ID)
        code, output, errors = await harmline("outbox", "retry", "--failed", "--config", str(config))
        assert code == 0, errors
        assert output.splitlines()[0].startswith("re-queued 2 failed deliveries, due now")
        for reference in references:
            assert reference in output
            await local.server.wait_for(lambda m, r=reference: m.chat_id == CONTACT_CHAT_ID and r in m.plain_text,
                                        timeout=15)
            assert (await telegram_forward(local, reference, "delivered")).attempts == 1
        assert sum(1 for m in local.server.messages_to(CONTACT_CHAT_ID) if "MY-" in m.plain_text) == 2
        # The webhook's deliveries were not failed: untouched, still waiting for their next attempt.
        assert (await local.services.outbox.counts()).get("pending") == 2
        code, output, _ = await harmline("outbox", "retry", "--failed", "--config", str(config))
        assert (code, output) == (0, "no failed deliveries: nothing to re-queue\n")


@pytest.mark.skipif(on_postgres(), reason="a missing SQLite file; PostgreSQL's unreachable server: test_postgres.py")
async def test_outbox_refuses_a_missing_config_or_database(tmp_path: Path) -> None:
    code, _, errors = await harmline("outbox", "retry", "--failed")
    assert code == 2 and "--config" in errors
    config = write_config(tmp_path, tmp_path / "nowhere.db", CONTACT_CHAT_ID)
    code, output, errors = await harmline("outbox", "--config", str(config))
    assert code == 2 and "does not exist" in errors and output == ""
    assert not (tmp_path / "nowhere.db").exists()
