"""Every user-facing string is in the template and translated in every catalogue, with the same
placeholders and balanced HTML (a broken tag would make Telegram reject the message)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from harmline.i18n import LANGUAGES, Catalogs

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CATALOGUES = sorted(p.parent.parent.name for p in LOCALES.glob("*/LC_MESSAGES/harmline.po"))
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")



def _source_msgids() -> set[str]:
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map=[("**.py", "python")],
                                                keywords={"_": None, "N_": None}):
        found.add(message if isinstance(message, str) else message[0])
    return found


class _TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.broken = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.broken = True


def balanced(text: str) -> bool:
    parser = _TagBalance()
    parser.feed(text)
    parser.close()
    return not parser.broken and not parser.stack


def test_the_template_holds_every_string_the_code_shows() -> None:
    with (LOCALES / "harmline.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    missing = {m for m in _source_msgids() if m} - template
    assert not missing, f"run pybabel extract/update (README): {sorted(missing)[:5]}"


def test_every_asean_language_has_a_catalogue() -> None:
    assert set(CATALOGUES) == set(LANGUAGES) - {"en"}  # English is the source language
    assert Catalogs().available == list(LANGUAGES)


def test_burmese_is_unicode_not_zawgyi() -> None:
    with (LOCALES / "my" / "LC_MESSAGES" / "harmline.po").open("rb") as handle:
        texts = [m.string for m in read_po(handle) if m.id and isinstance(m.string, str)]
    for text in texts:
        # Zawgyi stores the vowel sign E (U+1031) before its consonant and uses U+1060–U+1097 for glyph
        # variants; Unicode Burmese never starts a word with U+1031 and has no use for those code points here.
        assert not re.search(r"(^|[\x00-\x7F\u104A\u104B])\u1031", text), text
        assert not re.search(r"[\u1060-\u1097]", text), text


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_message_is_translated_with_the_same_placeholders_and_tags(language: str) -> None:
    with (LOCALES / "harmline.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    with (LOCALES / language / "LC_MESSAGES" / "harmline.po").open("rb") as handle:
        catalogue = {m.id: m for m in read_po(handle) if m.id}
    assert template - catalogue.keys() == set(), "run pybabel update (README)"
    for msgid in template:
        message = catalogue[msgid]
        assert isinstance(message.string, str) and message.string.strip(), f"{language}: untranslated {msgid!r}"
        assert not message.fuzzy, f"{language}: fuzzy {msgid!r}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(msgid)), (
            f"{language}: placeholders differ in {msgid!r}")
        assert balanced(message.string) == balanced(msgid), f"{language}: unbalanced HTML in {msgid!r}"
        assert sorted(re.findall(r"</?\w+>", message.string)) == sorted(re.findall(r"</?\w+>", msgid)), (
            f"{language}: tags differ in {msgid!r}")


@pytest.mark.parametrize("language", CATALOGUES)
def test_the_catalogue_is_used_at_run_time(language: str) -> None:
    _ = Catalogs().gettext(language)
    assert _("Send now") != "Send now"
    assert "MY-ABC" in _("Report <b>{ref}</b> was withdrawn and will not be forwarded.").format(ref="MY-ABC")
