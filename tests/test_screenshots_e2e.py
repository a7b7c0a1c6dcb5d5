"""Screenshot-only reports, end to end: the real bot polling the Bot API test server on 127.0.0.1
downloads the citizen's photo (getFile + file URL), reads it in the background with the shipped
Tesseract models, and the contact's card and webhook carry what was read, apart from the
citizen's words."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from tests.screenshot_support import chat_screenshot
from tests.test_e2e import reference_in, send_now

THAI_SCAM = ["ยินดีด้วย คุณได้รับรางวัล 50,000 บาท", "โทร +66 81 234 5678 เพื่อรับเงิน",
             "https://bit.ly/th-prize"]


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    async with LocalDeployment(str(tmp_path / "harmline.db")) as deployment:
        yield deployment


async def test_a_screenshot_alone_becomes_a_report_with_language_category_and_indicators(
        local: LocalDeployment) -> None:
    citizen = local.server.user(6101, "Somchai", language_code="th")
    citizen.send_photo(content=chat_screenshot(THAI_SCAM, language="th", dark=True))
    ack = (await local.server.wait_for_messages(citizen.id, 1))[-1]
    citizen.press(ack, send_now(ack))

    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and m.method == "sendMessage",
                                       timeout=30)
    # What was read is shown under its own heading, defanged; the citizen wrote nothing.
    assert "คุณได้รับรางวัล" in card.plain_text
    assert "hxxps://bit[.]ly/th-prize" in card.plain_text and "https://bit.ly" not in card.plain_text
    [hook] = await local.receiver.wait_for(1, timeout=10)
    body = hook.body
    assert body["reference"] == reference_in(ack)
    assert body["text"] == ""
    read = body["evidence"][0]["read"]
    assert read["state"] == "read" and read["language"] == "th"
    assert "+66 81 234 5678" in read["text"]
    assert body["category"] == "scam"
    assert body["language"]["code"] == "th"
    found = {(i["type"], i["value"]): i["found_in"] for i in body["indicators"]}
    assert found[("url", "https://bit.ly/th-prize")] == "image"
    assert found[("phone", "+66812345678")] == "image"
    # Moderators find it by words that are only in the screenshot.
    page = await local.services.moderation.store.find_text("ได้รับรางวัล", ["MY"])
    assert [item.reference for item in page.items] == [body["reference"]] and page.total == 1
    # The category, fingerprint and indicators of the text read were worked out before the write.
    assert local.services.intake.worked_out_in_transactions == 0


async def test_a_qr_code_in_a_screenshot_becomes_a_link_indicator(local: LocalDeployment) -> None:
    citizen = local.server.user(6102, "Lim", language_code="en")
    citizen.send_photo(content=chat_screenshot(["Scan to claim your RM500 prize now"],
                                               qr="https://claim-prize.example-win.top/r/8841"))
    ack = (await local.server.wait_for_messages(citizen.id, 1))[-1]
    citizen.press(ack, send_now(ack))
    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and m.method == "sendMessage",
                                       timeout=30)
    assert "hxxps://claim-prize[.]example-win[.]top/r/8841" in card.plain_text
    [hook] = await local.receiver.wait_for(1, timeout=10)
    qr = [i for i in hook.body["indicators"] if i["found_in"] == "qr"]
    assert [(i["type"], i["value"]) for i in qr] == [("url", "https://claim-prize.example-win.top/r/8841")]


async def test_an_image_that_cannot_be_read_does_not_hold_up_the_forward(local: LocalDeployment) -> None:
    citizen = local.server.user(6103, "Aminah", language_code="ms")
    citizen.send_document("screenshot.png", b"\x89PNG\r\n\x1a\n this is not really a picture", mime_type="image/png",
                          caption="Scammer sent this, number 012-345 6789")
    ack = (await local.server.wait_for_messages(citizen.id, 1))[-1]
    citizen.press(ack, send_now(ack))
    # Far sooner than [ocr] max_wait_seconds (60 s): the unreadable file releases the report at once.
    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and m.method == "sendMessage",
                                       timeout=15)
    assert "012-345 6789" in card.plain_text
    [hook] = await local.receiver.wait_for(1, timeout=10)
    assert hook.body["evidence"][0]["read"]["state"] == "skipped"


async def test_a_screenshot_not_read_before_a_restart_is_read_after_it(local: LocalDeployment) -> None:
    local.server.fail_method("getFile", description="Bad Gateway", error_code=502)
    citizen = local.server.user(6104, "Dewi", language_code="id")
    citizen.send_photo(content=chat_screenshot(["Selamat! Anda menang", "hadiah Rp 10 juta,",
                                                "hubungi +62 812-3456-7890"]))
    ack = (await local.server.wait_for_messages(citizen.id, 1))[-1]
    reference = reference_in(ack)
    report = await local.services.reports.find(reference)
    assert report is not None and report.evidence[0].read is not None
    assert report.evidence[0].read.state == "pending"  # the download failed: queued on disk, retried later
    await local.stop_bot()
    local.server.restore_calls()
    await local.start_bot()
    reading = local.services.screenshots
    assert reading is not None
    for _ in range(20):
        report = await local.services.reports.find(reference)
        assert report is not None and report.evidence[0].read is not None
        if report.evidence[0].read.state != "pending":
            break
        # The retry is due 30 s after the failure: the test brings it forward instead of waiting.
        await local.services.database.run(lambda tx: tx.execute(
            "UPDATE evidence_text SET next_attempt_at = '2000-01-01T00:00:00.000000Z'"))
        await reading.read_due()
    assert report.evidence[0].read.state == "read"
    assert "Rp 10 juta" in report.evidence[0].read.text
    assert any(i.value == "+6281234567890" and i.found_in == "image" for i in report.indicators)


async def test_a_citizen_whose_only_picture_cannot_be_read_is_asked_for_the_words(local: LocalDeployment) -> None:
    citizen = local.server.user(6105, "Hafiz", language_code="ms")
    citizen.send_document("tangkapan.png", b"\x89PNG\r\n\x1a\n broken", mime_type="image/png")
    ack = (await local.server.wait_for_messages(citizen.id, 1))[-1]
    reference = reference_in(ack)
    notice = await local.server.wait_for(
        lambda m: m.chat_id == citizen.id and "tidak dapat membaca teks dalam gambar" in m.plain_text, timeout=15)
    assert reference in notice.plain_text
    # A picture that was read, or one sent with words, asks nothing more of the citizen.
    other = local.server.user(6106, "Siti", language_code="ms")
    other.send_photo(content=chat_screenshot(["Tahniah! Anda menang RM5,000", "WhatsApp 012-345 6789"]))
    ack = (await local.server.wait_for_messages(other.id, 1))[-1]
    report = None
    for _ in range(100):
        report = await local.services.reports.find(reference_in(ack))
        if report and report.evidence and report.evidence[0].read and report.evidence[0].read.state == "read":
            break
        await asyncio.sleep(0.1)
    assert report is not None and report.evidence[0].read is not None and report.evidence[0].read.state == "read"
    assert not any("tidak dapat membaca" in m.plain_text for m in local.server.messages_to(other.id))


async def test_numbers_in_a_screenshot_are_read_again_when_the_citizen_picks_another_country(
        tmp_path: Path) -> None:
    contacts = [{"country": "MY", "name": "NSRC", "language": "ms", "telegram_chat_id": CONTACT_CHAT_ID},
                {"country": "TH", "name": "Thai Police", "language": "th", "telegram_chat_id": CONTACT_CHAT_ID - 1}]
    async with LocalDeployment(str(tmp_path / "harmline.db"), deployment={"countries": ["MY", "TH"]},
                               contacts=contacts) as local:
        citizen = local.server.user(6107, "Ann", language_code="en")
        citizen.send_photo(content=chat_screenshot(["You won a prize!", "Call 081 234 5678 today"]))
        ack = (await local.server.wait_for_messages(citizen.id, 1))[-1]
        for _ in range(100):
            report = await local.services.reports.find(reference_in(ack))
            assert report is not None and report.evidence[0].read is not None
            if report.evidence[0].read.state == "read":
                break
            await asyncio.sleep(0.1)
        assert report.country == "MY" and "+66812345678" not in {i.value for i in report.indicators}
        citizen.press(ack, next(data for data in ack.button_data() if data.endswith(":TH")))
        await local.server.wait_for(lambda m: m.message_id == ack.message_id and len(m.edits) > 0)
        [thai] = [r for r in [await local.services.reports.by_id(report.id)] if r is not None]
        assert thai.country == "TH"
        assert ("+66812345678", "image") in [(i.value, i.found_in) for i in thai.indicators]
