"""Operations: /healthz, /readyz and /metrics on the configured local port, with figures that
move as citizens report and the outbox delivers — the real bot against the loopback Bot API."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from harmline.handlers import jobs
from harmline.settings import ConfigError, parse_settings
from tests.conftest import config
from tests.test_e2e import report_and_send_now


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    async with LocalDeployment(str(tmp_path / "harmline.db"), operations={"port": free_port()}) as deployment:
        yield deployment


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def test_health_readiness_and_metrics_follow_what_the_bot_does(local: LocalDeployment) -> None:
    assert local.settings is not None and local.settings.operations.port is not None
    base = f"http://127.0.0.1:{local.settings.operations.port}"
    async with httpx.AsyncClient(base_url=base) as http:
        assert (await http.get("/healthz")).text == "ok\n"
        ready = await http.get("/readyz")
        assert (ready.status_code, ready.text) == (200, "ready\n")
        before = samples((await http.get("/metrics")).text)
        assert before.get(("harmline_reports_received_total", (("country", "MY"),)), 0) == 0

        citizen = local.server.user(7301, "Aisyah", language_code="ms")
        await report_and_send_now(local, citizen, "Tahniah! Anda menang RM5,000, bayar yuran di "
                                                  "https://hadiah-menang.com/tuntut WhatsApp 012-345 6789")
        await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID)
        await local.receiver.wait_for(1)
        await jobs.read_gauges(local.services)
        after = samples((await http.get("/metrics")).text)
    assert after[("harmline_reports_received_total", (("country", "MY"),))] == 1
    assert after[("harmline_deliveries_delivered_total", (("channel", "telegram"), ("kind", "forward")))] == 1
    assert after[("harmline_delivery_latency_seconds_count", (("kind", "forward"),))] >= 1
    assert after[("harmline_classification_seconds_count", ())] >= 1
    assert after[("harmline_outbox_deliveries", (("state", "delivered"),))] >= 1
    assert after[("harmline_update_lag_seconds", ())] == 0
    text = (await httpx.AsyncClient(base_url=base).get("/metrics")).text
    assert "Aisyah" not in text and "012-345" not in text and "hadiah" not in text  # figures only


async def test_readiness_says_not_ready_when_the_database_is_gone(local: LocalDeployment) -> None:
    assert local.settings is not None
    await local.services.database.close()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{local.settings.operations.port}") as http:
        ready = await http.get("/readyz")
        assert ready.status_code == 503 and ready.text.startswith("database:")
        assert (await http.get("/healthz")).status_code == 200
    await local.services.database.open()  # so that the deployment stops cleanly


def test_a_bad_port_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"operations\.port: 70000 is not a TCP port"):
        parse_settings(config(str(tmp_path / "h.db"), operations={"port": 70000}))


def test_a_bad_log_format_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r'logging\.format: .xml. must be "text" or "json"'):
        parse_settings(config(str(tmp_path / "h.db"), logging={"format": "xml"}))
