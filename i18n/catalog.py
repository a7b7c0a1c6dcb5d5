"""Loads the gettext catalogues once and hands out a translation function per language.

The ``.po`` files in ``locales/`` are the source of truth; they are compiled in memory at start-up
with Babel, so a stale ``.mo`` can never be shipped and ``pip install .`` needs no build step.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from harmline.i18n.languages import FALLBACK, LANGUAGES

DOMAIN = "harmline"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"

Gettext = Callable[[str], str]


def _load(path: Path) -> Translations:
    with path.open("rb") as po_file:
        catalog = read_po(po_file, domain=DOMAIN)
    buffer = io.BytesIO()
    # Fuzzy entries are drafts: never show them to a citizen.
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


class Catalogs:
    """All available translations, keyed by locale code."""

    def __init__(self, locales_dir: Path = LOCALES_DIR) -> None:
        self._translations: dict[str, NullTranslations] = {}
        for code in LANGUAGES:
            po_path = locales_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
            if po_path.exists():
                self._translations[code] = _load(po_path)
        # English is the source language: its msgids are the text.
        self._translations.setdefault(FALLBACK, NullTranslations())

    @property
    def available(self) -> list[str]:
        return [code for code in LANGUAGES if code in self._translations]

    def gettext(self, language: str | None) -> Gettext:
        translations = self._translations.get(language or FALLBACK, self._translations[FALLBACK])
        return translations.gettext
