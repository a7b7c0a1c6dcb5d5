"""The web dashboard through a real server on loopback: signing in with Telegram (the widget's hash
checked with the bot token, sessions expiring), roles and country scopes, pages in the viewer's
language."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from markupsafe import escape

from harmline.dashboard.login import login_hash
from harmline.dashboard.server import Dashboard
from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from harmline.i18n import Catalogs
from harmline.reports.model import Origin
from harmline.settings import Settings
from tests.conftest import Clock
from tests.test_e2e import report_and_send_now
from tests.test_e2e_moderation import MOD_MY, MODERATORS_GROUP, button, card_of
from tests.test_e2e_moderation import _config as moderation_config
from tests.test_intake import Harness

TOKEN = "123456:TEST-TOKEN"  # tests/conftest.py's configuration
ADMIN, MOD_TH, MINISTRY_MY, STRANGER = 900000, 900003, 900010, 8002
CATALOGS = Catalogs()


@dataclass
class Site:
    base: str
    clock: Clock
    references: dict[str, str]  # country -> a report's reference


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signed(user_id: int, clock: Clock, **extra: str) -> dict[str, str]:
    fields = {"id": str(user_id), "first_name": "Test", "auth_date": str(int(clock().timestamp())), **extra}
    return {**fields, "hash": login_hash(fields, TOKEN)}


@pytest.fixture
async def site(make_settings: Callable[..., Settings], clock: Clock) -> AsyncIterator[Site]:
    settings = make_settings(
        deployment={"countries": ["MY", "TH"]},
        moderation={"review": "before_forward", "admins": [ADMIN]},
        moderators=[{"telegram_user_id": MOD_TH, "countries": ["TH"]}],
        viewers=[{"telegram_user_id": MINISTRY_MY, "countries": ["MY"]}],
        contacts=[{"country": "MY", "name": "NSRC", "telegram_chat_id": -1001, "language": "ms"},
                  {"country": "TH", "name": "Thai Police", "telegram_chat_id": -1002, "language": "th"}],
        dashboard={"port": free_port(), "bot_username": "harmline_test_bot"})
    h = Harness(settings, clock)
    await h.database.open()
    references = {}
    for user, text, code in ((301, "Penipuan <script>alert(1)</script> pindahkan RM500 ke 012-345 6789", "ms"),
                             (302, "มิจฉาชีพโทรมา ให้โอนเงิน 5000 บาท เบอร์ 081-234-5678", "th"),
                             (303, "Saya juga ditipu oleh nombor 012-345 6789, minta bayar yuran", "ms")):
        result = await h.intake.receive(h.message(text, user=user, language_code=code,
                                                  origin=Origin("user", "Somchai Jaidee")))
        assert result.report is not None
        references.setdefault(result.report.country, result.report.reference)
    clock.advance(600)
    await h.intake.close_expired()
    dashboard = Dashboard(settings, h.store, CATALOGS, clock)
    await dashboard.start()
    try:
        yield Site(f"http://127.0.0.1:{settings.dashboard.port}", clock, references)
    finally:
        await dashboard.stop()
        await h.database.close()


@asynccontextmanager
async def signed_in(site: Site, user_id: int, **headers: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=site.base, headers=headers) as client:
        answer = await client.post("/auth", json=signed(user_id, site.clock))
        assert answer.status_code == 200, answer.text
        yield client


@pytest.mark.parametrize(("fields", "why"), [
    (lambda clock: {**signed(MOD_TH, clock), "id": str(ADMIN)}, "another user id under the same hash"),
    (lambda clock: {**signed(MOD_TH, clock), "hash": "0" * 64}, "a made-up hash"),
    (lambda clock: {**signed(MOD_TH, clock), "auth_date": str(int((clock() - timedelta(hours=1)).timestamp()))},
     "auth_date changed after signing"),
    (lambda clock: signed(STRANGER, clock), "a Telegram user with no role"),
])
async def test_a_sign_in_not_made_by_telegram_for_this_bot_or_without_a_role_is_refused(
        site: Site, fields: Callable[[Clock], dict[str, str]], why: str) -> None:
    async with httpx.AsyncClient(base_url=site.base) as client:
        answer = await client.post("/auth", json=fields(site.clock))
        assert answer.status_code == 403, why
        assert "harmline_session" not in answer.cookies
        assert (await client.get("/overview")).status_code == 302


async def test_a_replayed_sign_in_is_refused_and_a_session_expires(site: Site) -> None:
    old = signed(MOD_TH, site.clock)
    site.clock.advance(11 * 60)  # past the ten minutes a sign-in is good for
    async with httpx.AsyncClient(base_url=site.base) as client:
        assert (await client.post("/auth", json=old)).status_code == 403
    async with signed_in(site, MOD_TH) as client:
        assert (await client.get("/overview")).status_code == 200
        site.clock.advance(12 * 3600 + 1)  # [dashboard] session_hours = 12
        expired = await client.get("/overview")
        assert expired.status_code == 302 and expired.headers["location"] == "/login"


async def test_a_ministry_viewer_sees_their_countrys_week_in_their_language_without_report_texts(
        site: Site) -> None:
    async with signed_in(site, MINISTRY_MY, **{"Accept-Language": "ms-MY,ms;q=0.9,en;q=0.5"}) as client:
        page = await client.get("/overview")
        assert page.status_code == 200
        _ = CATALOGS.gettext("ms")
        assert _("Reports received this week") in page.text and _("Reports received per week") in page.text
        assert "<svg" in page.text and "https://" not in page.text.replace("https://telegram.org", "")
        title = re.search(r"<title>(.*?)</title>", page.text, re.S)
        assert title is not None and title.group(1) == "harmline · Malaysia · 2026-W48"
        body = page.text[page.text.index("<body>"):]
        assert _("New clusters: reported by several citizens, never before this week") in body
        assert "/downloads/MY/2026-W47/csv" in body
        decided = _("Confirmed {confirmed} · not harmful {rejected} · merged {merged} · pending {pending}")
        assert str(escape(decided.format(confirmed=0, rejected=0, merged=0, pending=2))) in body  # under review
        assert "+60123456789" in page.text  # the most reported number, as an indicator
        assert "pindahkan" not in page.text and "Somchai" not in page.text  # never a citizen's words
        assert (await client.get("/overview?country=TH")).status_code == 404
        report = await client.get(f"/reports/{site.references['MY']}")
        assert report.status_code == 404 and "pindahkan" not in report.text


async def test_a_thai_moderator_cannot_open_a_malaysian_report_by_url(site: Site) -> None:
    async with signed_in(site, MOD_TH, **{"Accept-Language": "en"}) as client:
        malaysian = await client.get(f"/reports/{site.references['MY']}")
        assert malaysian.status_code == 404
        assert f"No report {site.references['MY']} among your countries." in malaysian.text
        assert "pindahkan" not in malaysian.text
        unknown = await client.get("/reports/MY-22222222")
        assert unknown.status_code == 404 and unknown.text.count("among your countries") == 1  # the same answer
        thai = await client.get(f"/reports/{site.references['TH']}")
        assert thai.status_code == 200 and "ให้โอนเงิน" in thai.text and "+66812345678" in thai.text


async def test_report_pages_escape_what_citizens_wrote_and_admins_see_every_country(site: Site) -> None:
    async with signed_in(site, ADMIN) as client:
        page = await client.get(f"/reports/{site.references['MY']}")
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        overview = await client.get("/overview?country=TH")
        assert overview.status_code == 200 and "Thailand" in overview.text
        thai = await client.get("/overview?country=TH&lang=th")
        assert 'href="/overview?country=TH&amp;lang=ms"' in thai.text  # another language, the same page
        assert "2569" in thai.text and "2026" not in thai.text.replace("2026-W", "")  # the Buddhist era


async def test_pages_carry_no_personal_data_in_urls_and_allow_nothing_from_elsewhere(site: Site) -> None:
    async with httpx.AsyncClient(base_url=site.base) as client:
        login = await client.get("/login")
        assert login.status_code == 200
        policy = login.headers["content-security-policy"]
        assert "default-src 'self'" in policy and login.headers["referrer-policy"] == "no-referrer"
        redirect = await client.get("/overview")
        assert redirect.status_code == 302 and redirect.headers["referrer-policy"] == "no-referrer"
        # The widget's fields go to the server in a POST body, never in a URL.
        assert 'fetch("/auth", {method: "POST"' in login.text and "data-auth-url" not in login.text



async def test_a_moderators_queue_holds_only_their_countrys_undecided_reports(site: Site) -> None:
    async with signed_in(site, MOD_TH, **{"Accept-Language": "en"}) as client:
        queue = await client.get("/queue")
        assert queue.status_code == 200
        assert site.references["TH"] in queue.text and site.references["MY"] not in queue.text
        assert "<td>new</td>" in queue.text  # the state in words (STATUS_LABELS), not its code
        assert (await client.get("/queue?country=MY")).status_code == 404
        for odd in ("²", "-5", "9" * 30, "1e3"):  # a forged page number is the first page, not an error
            assert (await client.get("/queue", params={"from": odd})).status_code == 200
    async with signed_in(site, MINISTRY_MY) as client:
        assert (await client.get("/queue")).status_code == 404  # no reports' words for ministries


async def test_the_most_reported_values_over_longer_periods_in_the_viewers_countries(site: Site) -> None:
    async with signed_in(site, MINISTRY_MY, **{"Accept-Language": "en"}) as client:
        overview = await client.get("/overview")
        assert "/indicators?country=MY&amp;weeks=12" in overview.text
        for weeks, span in (("4", "2026-W45 – 2026-W48"), ("12", "2026-W37 – 2026-W48"), ("7", "2026-W48"),
                            ("²", "2026-W48")):  # a period not offered is this week
            page = await client.get("/indicators", params={"country": "MY", "weeks": weeks})
            assert page.status_code == 200 and f"Malaysia — {span}" in page.text, weeks
            row = re.search(r"<code>\+60123456789</code></td><td class=\"n\">(\d+)</td>", page.text)
            assert row is not None and row.group(1) == "2", weeks  # both Malaysian reports carry it
            assert "pindahkan" not in page.text and "Somchai" not in page.text
        assert (await client.get("/indicators?country=TH")).status_code == 404
    async with signed_in(site, MOD_TH, **{"Accept-Language": "en"}) as client:
        page = await client.get("/indicators?weeks=4")
        assert "Thailand — 2026-W45 – 2026-W48" in page.text and "+60123456789" not in page.text
        assert "None in these weeks." in page.text  # one Thai report: nothing reported twice


async def test_a_ministry_viewer_downloads_their_countrys_weekly_files_and_no_others(site: Site) -> None:
    async with signed_in(site, MINISTRY_MY, **{"Accept-Language": "ms"}) as client:
        overview = await client.get("/overview")
        assert "/downloads/MY/2026-W47/pdf" in overview.text  # the last complete week
        pdf = await client.get("/downloads/MY/2026-W48/pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert pdf.headers["content-disposition"] == 'attachment; filename="harmline-MY-2026-W48.pdf"'
        csv = await client.get("/downloads/MY/2026-W48/csv")
        assert csv.status_code == 200 and b"pindahkan" not in csv.content
        assert (await client.get("/downloads/TH/2026-W48/pdf")).status_code == 404
        assert (await client.get("/downloads/MY/not-a-week/pdf")).status_code == 404


async def test_exports_by_status_and_format_for_the_viewers_countries_without_reporter_data(site: Site) -> None:
    my_reports = sorted(ref for ref in re.findall(r"MY-[0-9A-Z]{8}", " ".join(site.references.values())))
    async with signed_in(site, MINISTRY_MY) as client:
        overview = (await client.get("/overview")).text
        assert '/exports/MY/2026-W47/stix?status=confirmed"' in overview  # the last complete week
        assert '/exports/MY/2026-W48/jsonl?status=received"' in overview  # and this week so far
        received = await client.get("/exports/MY/2026-W48/csv?status=received")
        assert received.status_code == 200
        assert received.headers["content-disposition"] == 'attachment; filename="harmline-MY-2026-W48-received.csv"'
        rows = list(csv.DictReader(io.StringIO(received.content.decode("utf-8-sig"))))
        assert len(rows) == 2 and {row["country"] for row in rows} == {"MY"}
        assert my_reports[0] in {row["reference"] for row in rows}
        assert "+60123456789" in received.text
        for private in ("pindahkan", "Somchai", "script", "301", "303"):
            assert private not in received.text, private
        # Under review before forwarding: nothing was forwarded yet, so the default export is empty.
        forwarded = await client.get("/exports/MY/2026-W48/jsonl")
        assert forwarded.status_code == 200 and forwarded.content == b""
        lines = (await client.get("/exports/MY/2026-W48/jsonl?status=received")).text.splitlines()
        assert len(lines) == 2 and all(json.loads(line)["country"] == "MY" for line in lines)
        bundle = (await client.get("/exports/MY/2026-W48/stix?status=received")).json()
        assert bundle["type"] == "bundle" and any(o["type"] == "indicator" for o in bundle["objects"])
        for refused in ("/exports/TH/2026-W48/csv?status=received", "/exports/MY/2026-W48/xml",
                        "/exports/MY/2026-W48/csv?status=everything", "/exports/MY/W48/csv"):
            assert (await client.get(refused)).status_code == 404, refused
    async with httpx.AsyncClient(base_url=site.base) as stranger:
        assert (await stranger.get("/exports/MY/2026-W48/csv?status=received")).status_code == 302


async def test_harmline_run_serves_the_dashboard_beside_the_bot_when_asked(tmp_path: Path) -> None:
    """[dashboard] with_bot: the bot's own process serves the pages (started in post_init, stopped
    in post_shutdown); a report the bot just took is on the moderator's queue and page."""
    port = free_port()
    deployment = LocalDeployment(str(tmp_path / "harmline.db"), config=moderation_config,
                                 dashboard={"port": port, "with_bot": True})
    deployment.server.make_forum(MODERATORS_GROUP)
    async with deployment:
        citizen = deployment.server.user(8801, "Mei", language_code="en")
        reference, _ack = await report_and_send_now(deployment, citizen,
                                                     "Fake parcel SMS: pay RM3 at poslaju-redeliver.com")
        fields = {"id": str(MOD_MY), "first_name": "Aziz", "auth_date": str(int(datetime.now(UTC).timestamp()))}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            answer = await client.post("/auth", json={**fields, "hash": login_hash(fields, deployment.server.token)})
            assert answer.status_code == 200, answer.text
            assert reference in (await client.get("/queue")).text
            page = await client.get(f"/reports/{reference}")
            assert page.status_code == 200 and "poslaju-redeliver[.]com" in page.text
            assert "<td>new</td>" in page.text and "being written by the citizen → new" in page.text
            assert "National Scam Response Centre" not in page.text  # under review: not forwarded yet
            card = await card_of(deployment, reference)
            deployment.server.user(MOD_MY, "Aziz").press(card, button(card, "confirm"))
            await deployment.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and reference in m.plain_text)
            forwarded = "<td>National Scam Response Centre</td><td>telegram</td><td>delivered</td>"
            for _attempt in range(50):  # the outbox marks the forward delivered just after sending it
                page = await client.get(f"/reports/{reference}")
                if forwarded in page.text:
                    break
                await asyncio.sleep(0.1)
            assert forwarded in page.text and "new → confirmed" in page.text, page.text
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):  # stopped with the bot
            await client.get(f"http://127.0.0.1:{port}/login")
