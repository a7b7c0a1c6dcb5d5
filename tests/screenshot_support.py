"""Screenshot-like images for tests: message bubbles drawn with the fonts harmline ships, sized
and compressed as Telegram delivers a phone screenshot (long side 1280 px, JPEG)."""

from __future__ import annotations

import io
from pathlib import Path

import zxingcpp
from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parent.parent / "summaries" / "fonts"
SCRIPT_FONTS = {"th": "NotoSansThai-Regular.ttf", "lo": "NotoSansLao-Regular.ttf",
                "my": "NotoSansMyanmar-Regular.ttf", "ta": "NotoSansTamil-Regular.ttf"}


def _runs(line: str, latin: ImageFont.FreeTypeFont,
          script: ImageFont.FreeTypeFont) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """The line cut where the font changes: ASCII in the Latin font, the rest in the script's."""
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for character in line:
        font = latin if ord(character) < 0x250 else script
        if runs and runs[-1][1] is font:
            runs[-1] = (runs[-1][0] + character, font)
        else:
            runs.append((character, font))
    return runs


def chat_screenshot(lines: list[str], *, language: str = "en", dark: bool = False, qr: str | None = None) -> bytes:
    """A chat screen with one incoming bubble holding ``lines`` (and a QR code under it)."""
    latin = ImageFont.truetype(str(FONTS / "NotoSans-Regular.ttf"), 30)
    script = ImageFont.truetype(str(FONTS / SCRIPT_FONTS.get(language, "NotoSans-Regular.ttf")), 30)
    background, bubble, ink = ((18, 27, 33), (32, 44, 51), (233, 237, 239)) if dark else \
        ((236, 229, 221), (255, 255, 255), (17, 27, 33))
    image = Image.new("RGB", (590, 1280), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 590, 90), fill=(0, 128, 105))
    draw.text((24, 26), "+66 2 000 0000", font=latin, fill=(255, 255, 255))
    top = 140
    draw.rounded_rectangle((16, top, 574, top + 56 * len(lines) + 30), radius=18, fill=bubble)
    for number, line in enumerate(lines):
        x = 34.0
        for text, font in _runs(line, latin, script):
            draw.text((x, top + 16 + 56 * number), text, font=font, fill=ink)
            x += draw.textlength(text, font=font)
    if qr is not None:
        code = zxingcpp.create_barcode(qr, zxingcpp.BarcodeFormat.QRCode).to_image(scale=6)
        image.paste(Image.fromarray(code), (140, top + 56 * len(lines) + 80))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()
