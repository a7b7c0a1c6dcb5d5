"""The languages harmline speaks, and how Telegram's language codes map to them."""

from __future__ import annotations

# Locale code -> the language's name in itself, as shown by /language.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ms": "Bahasa Melayu",
    "id": "Bahasa Indonesia",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "fil": "Filipino",
    "zh": "中文（简体）",
    "ta": "தமிழ்",
    "km": "ខ្មែរ",
    "lo": "ລາວ",
    "my": "မြန်မာ",
    "tet": "Tetun",
    "pt": "Português",
}

FALLBACK = "en"

# Telegram sends IETF tags ("pt-br", "zh-hans", "tl"); these are the ones that need more than
# their primary subtag cut off.
_ALIASES: dict[str, str] = {
    "tl": "fil",
    "zh-hans": "zh",
    "zh-cn": "zh",
    "zh-sg": "zh",
    "in": "id",  # old ISO code some Android builds still send
    "mya": "my",
    "tdt": "tet",
}


def negotiate(language_code: str | None) -> str | None:
    """Map a Telegram ``language_code`` to one of :data:`LANGUAGES`, or None if none fits."""
    if not language_code:
        return None
    tag = language_code.strip().lower().replace("_", "-")
    for candidate in (tag, tag.split("-")[0]):
        code = _ALIASES.get(candidate, candidate)
        if code in LANGUAGES:
            return code
    return None
