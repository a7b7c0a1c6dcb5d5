"""Reading screenshots offline: Tesseract's text in the region's scripts and QR codes.

Domain code with no Telegram and no storage: bytes in, :class:`ocr.reader.ImageReading` out.
"""

from harmline.ocr.image import UnreadableImage
from harmline.ocr.reader import ImageReading, ScreenshotReader

__all__ = ["ImageReading", "ScreenshotReader", "UnreadableImage"]
