"""First-version language detection on short citizen reports (issue 3 replaces it with a measured one)."""

from __future__ import annotations

import pytest

from harmline.i18n import negotiate
from harmline.reports.language import LayeredLanguageDetector

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


@pytest.mark.parametrize("text", [
    "https://bit.ly/3zExAmP",
    "www.hadiah-percuma.com",
    "admin@hadiah-percuma.com",
    "https://hadiah-percuma.com/claim cs@hadiah-percuma.com",
    "(https://bit.ly/3zExAmP)!",
    "hxxps://hadiah-percuma[.]com.",
    "login.maybank2u.com.my/auth?id=1",
])
def test_a_text_that_is_only_links_or_e_mails_is_undetermined_and_left_to_telegram(text: str) -> None:
    assert DETECTOR.detect(text).language == "und"
    assert DETECTOR.detect(text, "km").language == "km"
    assert DETECTOR.detect(text, "tl").language == "fil"


def test_links_do_not_vote_for_a_language() -> None:
    # "com", "www", "https" are no words: "com" is Portuguese for "with".
    assert DETECTOR.detect("Eh this one scam lah, click www.maybank2u-secure.com.my to verify").language == "en"
    assert DETECTOR.detect("ចុចតំណនេះ https://bit.ly/3zExAmP ដើម្បីទទួលរង្វាន់", "en").language == "km"


@pytest.mark.parametrize("text", [
    "gw udah transfer tp blm masuk jg nih",
    "kak mau pinjam dana cair cepat tanpa jaminan wa aja",
    "dana cair 5 menit, syarat ktp aja",
    "syarat ktp aja",
    "sy udh bayar tp gk bs login",
    "yg nipu sy dgn akun palsu",
    "Pinjaman dana cair cepat, tanpa agunan, bunga rendah. Syarat KTP saja. Hubungi WA 0812-3456-7890",
    "Butuh dana cepat? Pinjaman online cair tanpa BI checking, hubungi WA",
])
@pytest.mark.parametrize("language_code", [None, "en"])
def test_informal_indonesian_and_indonesian_loan_adverts_are_indonesian(text: str, language_code: str | None) -> None:
    assert DETECTOR.detect(text, language_code).language == "id"


@pytest.mark.parametrize("text", [
    # Forwarded health hoaxes, as Indonesian news writes them (they came out as Malay on "bila", "macam").
    "Pada dasarnya tidak ada makanan yang membawa sel kanker, pakar kanker dunia sepakat bahwa sel sehat "
    "berubah bila tubuh kekurangan gizi",
    "Ikan lele disebut mengandung 3.000 sel kanker. Kabar tersebut beredar di media sosial, macam-macam "
    "dampaknya bagi kesehatan",
])
def test_written_indonesian_news_is_indonesian_not_malay(text: str) -> None:
    assert DETECTOR.detect(text).language == "id"


@pytest.mark.parametrize("text", [
    "Pinjaman peribadi tanpa penjamin, lulus cepat, hubungi WhatsApp",
    "Sy dah transfer tp duit x masuk lg",
    "Saya dah bayar yuran tapi pinjaman tak lulus lagi",
    "Nak pinjam duit? Lulus cepat, tiada penjamin, sila WhatsApp 012-555 0198",
])
def test_malaysian_malay_loan_talk_and_shorthand_stay_malay(text: str) -> None:
    assert DETECTOR.detect(text).language == "ms"
    assert DETECTOR.detect(text, "en").language == "ms"


def test_shorthand_both_write_is_left_to_the_country() -> None:
    assert DETECTOR.detect("tp blm masuk jg", "en").language == "id"
    assert DETECTOR.detect("tp blm masuk jg", "en", "MY").language == "ms"


@pytest.mark.parametrize("text", [
    "Kak, pinjem duit dong😂",  # was Vietnamese
    "Ngakak bngt wkwkwk",  # was undetermined
    "Lah si anjir langsung kabur",  # was Filipino ("si")
    "si abang kocak bener",
    "mantap nyooo🤤",
])
def test_indonesian_video_comments_are_indonesian_not_filipino(text: str) -> None:
    assert DETECTOR.detect(text).language == "id"
