"""Readable cues (reports/cues.py): what a moderator is shown as the reason, found in what citizens
actually forward, disguises included."""

from __future__ import annotations

import pytest

from reports.cues import find_cues


def _cues(text: str) -> dict[str, str]:
    return {cue.name: cue.phrase for cue in find_cues(text)}


@pytest.mark.parametrize(("text", "phrase"), [
    ("Cuma main iseng di MANDALIKA77, malah dapet untung", "MANDALIKA77"),
    ("𝐆𝐀𝐑𝐔𝐃𝐀138menang lebih mudah🦅", "𝐆𝐀𝐑𝐔𝐃𝐀138"),  # styled letters, no space after
    ("Seru banget main di А𝙀𝐑𝘖8𝟴, pasti balik lagi", "А𝙀𝐑𝘖8𝟴"),  # Cyrillic А and О among Latin
    ("Kontennya punya soul!𝓦𝓔𝓣𝓞𝓝+88", "𝓦𝓔𝓣𝓞𝓝+88"),
    ("💥 Rezeki melimpah ruah, bikin happy di 𝑺𝑼𝑯𝑼𝟑𝟐𝟖! 🚀", "𝑺𝑼𝑯𝑼𝟑𝟐𝟖"),  # any number, when styled
])
def test_a_disguised_gambling_brand_is_named_as_written(text: str, phrase: str) -> None:
    assert _cues(text).get("gambling_brand") == phrase


@pytest.mark.parametrize("text", [
    "I bought an iphone11 and did a covid19 test",
    "Zone 88 promo at the mall this weekend",
    "Meeting at room 303 tomorrow",
])
def test_ordinary_names_with_numbers_are_not_brands(text: str) -> None:
    assert "gambling_brand" not in _cues(text)


@pytest.mark.parametrize(("text", "cue", "phrase"), [
    ("សូមផ្ទេរលុយមកគណនីនេះភ្លាមៗ", "asks_money", "ផ្ទេរលុយ"),
    ("请扫码加私聊，轻松赚钱", "offers_job", "轻松赚钱"),
    ("O banco nunca pede o código de acesso", "safety_warning", "nunca pede"),
    ("ຮັບສະໝັກພະນັກງານ ເຮັດຢູ່ເຮືອນ", "offers_job", "ຮັບສະໝັກ"),
    ("Ita-nia oan iha aksidente, presiza osan lalais", "family_emergency", "aksidente"),
])
def test_cues_in_the_thinner_languages(text: str, cue: str, phrase: str) -> None:
    assert _cues(text).get(cue) == phrase
