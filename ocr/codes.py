"""QR codes (and other 2-D codes) in an image: "scan to claim your prize" links and payment
strings (PromptPay, DuitNow, QRIS, VietQR are EMVCo payloads) that citizens photograph."""

from __future__ import annotations

import zxingcpp
from PIL import Image

# 2-D codes only: 1-D barcodes on a screenshot are product codes, not evidence.
_FORMATS = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode,
                                    zxingcpp.BarcodeFormat.RMQRCode, zxingcpp.BarcodeFormat.DataMatrix,
                                    zxingcpp.BarcodeFormat.Aztec])


def read_codes(image: Image.Image) -> list[str]:
    """The text of every readable 2-D code in ``image``, each once, in reading order."""
    found: list[str] = []
    for barcode in zxingcpp.read_barcodes(image.convert("L"), formats=_FORMATS):
        text = barcode.text.strip()
        if text and text not in found:
            found.append(text)
    return found
