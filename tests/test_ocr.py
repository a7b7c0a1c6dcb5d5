"""Reading screenshots, without Telegram: the shipped Tesseract models on images drawn with the
fonts harmline ships, script selection, QR codes, refusals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from harmline.ocr import ScreenshotReader, UnreadableImage
from harmline.ocr.image import for_text, load
from harmline.ocr.models import installed, probe_set, reading_sets
from harmline.ocr.scripts import script_shares
from harmline.reports.indicators import indicators_read
from tests.screenshot_support import chat_screenshot

EVERY_LANGUAGE = sorted(installed())


@pytest.fixture(scope="module")
def reader() -> ScreenshotReader:
    return ScreenshotReader(EVERY_LANGUAGE, max_pixels=40_000_000)


def test_every_language_has_its_model_shipped() -> None:
    assert set(EVERY_LANGUAGE) == {"en", "ms", "id", "fil", "tet", "pt", "vi", "th", "zh", "ta", "km", "lo", "my"}


@pytest.mark.parametrize(("language", "lines", "expected"), [
    ("th", ["ยินดีด้วย คุณได้รับรางวัล", "โทร +66 81 234 5678"], "คุณได้รับรางวัล"),
    ("ta", ["உங்கள் வங்கி கணக்கு", "முடக்கப்பட்டது"], "வங்கி கணக்கு"),
    ("en", ["Your parcel is on hold.", "Pay RM 3.50 at poslaju-my.top"], "Your parcel is on hold."),
])
def test_a_screenshot_is_read_in_its_script_even_when_the_report_says_nothing(
        reader: ScreenshotReader, language: str, lines: list[str], expected: str) -> None:
    reading = reader.read(chat_screenshot(lines, language=language), [None], "SG")
    assert expected in reading.text
    assert reading.confidence > 70


def test_a_dark_theme_screenshot_reads_like_a_light_one(reader: ScreenshotReader) -> None:
    lines = ["Congratulations! You won RM5,000.", "WhatsApp +60 12-345 6789 now"]
    light = reader.read(chat_screenshot(lines), ["en"], "MY")
    dark = reader.read(chat_screenshot(lines, dark=True), ["en"], "MY")
    for reading in (light, dark):
        assert "+60 12-345 6789" in reading.text and "You won RM5,000" in reading.text


def test_what_is_read_gives_indicators_marked_by_where_they_were_found(reader: ScreenshotReader) -> None:
    reading = reader.read(chat_screenshot(["Claim your prize:", "call +60 12-345 6789"],
                                          qr="https://claim-prize.example-win.top/r/8841"), ["en"], "MY")
    assert reading.codes == ["https://claim-prize.example-win.top/r/8841"]
    found = {(i.kind, i.value): i.found_in for i in indicators_read(reading.text, reading.codes, "MY")}
    assert found[("phone", "+60123456789")] == "image"
    assert found[("url", "https://claim-prize.example-win.top/r/8841")] == "qr"


def test_a_payment_qr_code_is_kept_whole() -> None:

    payload = "00020101021126370016A000000677010111011300668123456785802TH530376463048C1F"
    [indicator] = indicators_read("", [payload], "TH")
    assert (indicator.kind, indicator.value, indicator.found_in) == ("qr_code", payload, "qr")


def test_lao_is_read_with_the_lao_model_where_lao_is_likely_though_thai_looks_alike() -> None:
    # The probe reads Lao letters as Thai with high confidence; the country decides.
    probe = "ท่ามได้รับลาววัม 10 ล้ามทิบ"
    assert reading_sets(probe, [None], "LA", EVERY_LANGUAGE) == ["lao+eng"]
    assert reading_sets(probe, [None], "TH", EVERY_LANGUAGE) == ["tha+eng"]
    assert reading_sets(probe, [None], "SG", EVERY_LANGUAGE) == ["tha+eng", "lao+eng"]


def test_latin_script_is_read_with_the_likeliest_latin_language() -> None:
    assert reading_sets("Selamat anda menang", ["id"], "ID", EVERY_LANGUAGE) == ["ind+eng"]
    assert reading_sets("Chúc mừng bạn đã trúng thưởng", [None], "SG", EVERY_LANGUAGE) == ["vie+eng"]
    assert reading_sets("Parabéns, ganhou", ["tet"], "TL", EVERY_LANGUAGE) == ["por+eng"]
    # A deployment reading Latin script only needs no probe at all.
    assert probe_set(["en", "fil"]) is None
    assert reading_sets(None, ["fil"], "PH", ["en", "fil"]) == ["fil+eng"]


def test_scripts_are_told_apart_by_unicode_block() -> None:
    assert [script for script, _ in script_shares("恭喜您 https://x.cn")] == ["Latin", "Han"]
    assert script_shares("12345 !!") == []


def test_not_an_image_and_an_image_too_large_are_refused_before_decoding() -> None:
    with pytest.raises(UnreadableImage):
        load(b"%PDF-1.7 not an image", 1_000_000)
    huge = io.BytesIO()
    Image.new("L", (4000, 3000)).save(huge, "PNG")
    with pytest.raises(UnreadableImage, match="4000×3000 pixels is more than the 10000000 allowed"):
        load(huge.getvalue(), 10_000_000)


def test_small_images_are_enlarged_and_dark_ones_inverted() -> None:
    dark = Image.new("RGB", (591, 1280), (18, 27, 33))
    prepared = for_text(dark)
    assert max(prepared.size) > 1280 and prepared.mode == "L"
    assert prepared.getpixel((10, 10)) > 200  # the dark background became light


def test_a_number_wrapped_by_the_screen_is_read_whole_and_a_bubble_time_does_not_join_it() -> None:
    read = "Selu taxa US$50 uluk molok simu prémiu. Kontaktu +670\n7355 5412\n15:42\nVia GCash\n0905-887-1243"
    found = {(i.kind, i.value) for i in indicators_read(read, [], "PH")}
    assert ("phone", "+67073555412") in found
    assert ("ewallet", "+639058871243") in found


def test_the_senders_number_in_a_chat_header_bar_is_read(reader: ScreenshotReader) -> None:
    # White digits on WhatsApp's green bar: lost by the whole screen's threshold, read on their own.
    screenshot = (Path(__file__).resolve().parent.parent / "demo" / "screenshot-th-loan.jpg").read_bytes()
    reading = reader.read(screenshot, ["th"], "TH")
    assert "+66 81 555 0287" in reading.text
    assert "https://lin.ee/1" in reading.text and "คุณ" in reading.text
