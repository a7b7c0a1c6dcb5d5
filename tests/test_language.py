"""First-version language detection on short citizen reports (issue 3 replaces it with a measured one)."""

from __future__ import annotations

import pytest

from i18n import negotiate
from reports.language import LayeredLanguageDetector

DETECTOR = LayeredLanguageDetector()


@pytest.mark.parametrize(("text", "expected"), [
    ("Tahniah! Anda menang hadiah RM5000, klik pautan ini", "ms"),
    ("Saya terima panggilan daripada polis palsu, dia suruh saya pindahkan wang ke akaun selamat", "ms"),
    ("Selamat! Anda memenangkan hadiah, silakan transfer ke rekening", "id"),
    ("Saya ditipu pinjol ilegal, mereka minta uang transfer dulu ke rekening BCA 1234567890", "id"),
    ("Someone on WhatsApp said I won RM5000 and asked me to pay a processing fee at the link", "en"),
    ("Kumusta po, nanalo kayo ng premyo, i-click lang po ito", "fil"),
    ("toi bi lua dao, ho yeu cau chuyen khoan tien cho nguoi la", "vi"),
    ("Có người gọi điện giả danh công an, yêu cầu tôi chuyển khoản", "vi"),
    ("มิจฉาชีพโทรมาอ้างว่าเป็นตำรวจ", "th"),
    ("ລາວ ຖືກຫລອກລວງ", "lo"),
    ("ខ្ញុំត្រូវបានគេបោកប្រាស់", "km"),
    ("ငွေလွှဲခိုင်းတယ်", "my"),
    ("இது ஒரு மோசடி", "ta"),
    ("我被骗了，他们让我转账", "zh"),
    ("有人在WhatsApp上叫我投资USDT，说每天赚30%", "zh"),
    # Code-mixed text resolves to the language a reader should get.
    ("Bro aku kena scam la, dia minta transfer RM500 dulu baru boleh claim", "ms"),
    ("Na-scam ako sa online seller, hindi na nag-reply after ko mag-send ng payment", "fil"),
    ("slot gacor maxwin hari ini, deposit 10rb langsung wd, gak pake lama", "id"),
    ("Ha'u simu mensajen husi numeru la koñese, sira dehan ha'u manan premiu", "tet"),
    ("Recebi uma mensagem a dizer que ganhei um prémio e tenho de pagar uma taxa", "pt"),
])
def test_reports_in_the_regions_languages(text: str, expected: str) -> None:
    assert DETECTOR.detect(text).language == expected


def test_telegram_language_decides_a_text_too_short_to_judge() -> None:
    assert DETECTOR.detect("ok scam", "ms").language == "ms"
    assert DETECTOR.detect("12345", None).language == "und"


@pytest.mark.parametrize(("code", "locale"), [
    ("zh-hans", "zh"), ("zh-CN", "zh"), ("zh-sg", "zh"), ("pt-br", "pt"), ("pt-PT", "pt"), ("tl", "fil"),
    ("fil", "fil"), ("my", "my"), ("km", "km"), ("lo", "lo"), ("ta", "ta"), ("en-SG", "en"), ("ms", "ms"),
    ("in", "id"), ("de", None), (None, None)])
def test_telegram_language_codes_map_to_our_locales(code: str | None, locale: str | None) -> None:
    assert negotiate(code) == locale


def test_the_country_decides_between_malay_and_indonesian_when_the_words_do_not() -> None:
    shared = "Saya sudah transfer ke dia tapi dia tidak ada balas"  # words both languages use
    assert DETECTOR.detect(shared, country="MY").language == "ms"
    assert DETECTOR.detect(shared, country="ID").language == "id"
    # Words only one of them uses outweigh the country.
    assert DETECTOR.detect("Saya sudah transfer uang ke rekening dia tapi nggak dibalas", country="MY").language == "id"
