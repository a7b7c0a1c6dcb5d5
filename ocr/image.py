"""Turning the bytes of a screenshot into an image Tesseract reads well, or a clear refusal."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

# Telegram sends photos at most 1280 px on the long side; text in them is often ~18 px high.
# Tesseract's LSTM models read best at about 30 px, so small images are enlarged first.
_ENLARGE_BELOW = 1600
# A screenshot is mostly one background colour; a dark one is a dark theme, read as its negative.
_DARK_THEME_MEAN = 110


class UnreadableImage(ValueError):
    """The bytes are not an image Pillow can decode, or one too large to read safely."""


def load(data: bytes, max_pixels: int) -> Image.Image:
    """Decode ``data``; :class:`UnreadableImage` if it is not an image or exceeds ``max_pixels``
    (checked from the header, before any pixel is decoded: a decompression bomb costs nothing)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise UnreadableImage(f"{width}×{height} pixels is more than the {max_pixels} allowed")
            image.load()
    except UnreadableImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UnreadableImage(str(error) or "not an image") from None
    except (OSError, ValueError, SyntaxError) as error:  # truncated or corrupt files
        raise UnreadableImage(f"damaged image: {error}") from None
    return image


def for_text(image: Image.Image) -> Image.Image:
    """A grey-scale, upright, dark-on-light and large-enough copy for text recognition."""
    grey = ImageOps.exif_transpose(image).convert("L")
    histogram = grey.histogram()
    mean = sum(level * count for level, count in enumerate(histogram)) / max(sum(histogram), 1)
    if mean < _DARK_THEME_MEAN:
        grey = ImageOps.invert(grey)
    long_side = max(grey.size)
    if long_side < _ENLARGE_BELOW:
        scale = min(2.0, _ENLARGE_BELOW * 1.25 / long_side)
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
    return grey
