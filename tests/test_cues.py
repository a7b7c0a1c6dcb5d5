"""Readable cues (reports/cues.py): what a moderator is shown as the reason, found in what citizens
actually forward, disguises included."""

from __future__ import annotations

import pytest

from harmline.reports.cues import find_cues


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


@pytest.mark.parametrize(("text", "cue", "disguise"), [
    ("Welcome ! your have P1222 for S!ot , Web: 11y.life Good Luck!", "gambling", "S!ot"),
    ("ESugal hindi na need pumunta CASlNO, pIay online at manalo araw araw", "gambling", "CASlNO"),
    ("Kumusta Lodi! Register na! And get your 120% Welcome B0NU$ FREEPLAY", "gambling_bonus", "B0NU$"),
    ("Claim 66666P sIot now", "gambling", "sIot"),
])
def test_words_disguised_with_digits_and_symbols_are_read_and_named(text: str, cue: str, disguise: str) -> None:
    found = _cues(text)
    assert found.get(cue) == disguise
    assert found.get("disguised_words") == disguise


@pytest.mark.parametrize("text", [
    "Bayar token PLN! sekarang",  # an l next to "!" is no disguised i: not a PIN
    "Got the new iphone14PROMAX, covid19 test negative",
    "Hello!! Congratulations on your graduation",
])
def test_ordinary_words_next_to_digits_or_punctuation_are_not_disguises(text: str) -> None:
    found = _cues(text)
    assert "disguised_words" not in found
    assert "asks_code" not in found


def test_a_dollar_sign_spin_is_gambling_not_a_pin() -> None:
    found = _cues("Mag $pin at makakuha ng maraming PRIZES")
    assert found.get("gambling") == "$pin"
    assert "asks_code" not in found


@pytest.mark.parametrize("text", [
    "Transfer ke rekening BCA 1234567890 a/n Budi",
    "pls bank in to maybank 5123 4567 8901 today",
    "โอนเข้าบัญชี 123-4-56789-0 ด่วน",
    "acc: 1234 5678 90",
])
def test_an_account_to_pay_into_is_a_cue(text: str) -> None:
    assert "account_number" in _cues(text)


@pytest.mark.parametrize("text", [
    "Got a call from Pos Laju, I must pay RM2,000 to the police officer, call back +60 3-2345 6789",
    "pls call back 03-2345 6789 after lunch",
])
def test_a_phone_number_to_call_back_is_not_a_bank_account(text: str) -> None:
    assert "account_number" not in _cues(text)


def test_thai_online_is_not_the_line_app_and_cancelling_a_transaction_is_no_opt_out() -> None:
    assert "moves_to_chat_app" not in _cues("ป๊อกเด้งออนไลน์ เล่นกับคนจริง")  # ออนไลน์, online, holds ไลน์
    assert _cues("สนใจทักไลน์มาเลย")["moves_to_chat_app"] == "ทักไลน์"
    # "reply with the OTP to cancel the transaction" is phishing, not a marketing opt-out
    found = _cues("ธนาคารแจ้ง กรุณาตอบกลับ SMS นี้ด้วยรหัส OTP 6 หลัก เพื่อยกเลิกรายการ")
    assert "opt_out" not in found and "asks_code" in found
    assert _cues("AIS เน็ตไม่อั้น 30 วัน ยกเลิกรับข่าวสาร *137")["opt_out"] == "ยกเลิกรับ"


@pytest.mark.parametrize(("text", "phrase"), [
    ("ธนาคารแจ้ง กรุณาตอบกลับ SMS นี้ด้วยรหัส OTP 6 หลัก เพื่อยกเลิกรายการ", "ด้วยรหัส"),
    ("Hi Maybank security, pls reply with the 6-digit TAC we sent", "reply with the 6-digit TAC"),
    ("anak saya, tolong kirim kode yang masuk ke hp mama ya", "kirim kode"),
])
def test_a_request_to_pass_on_a_code_is_named(text: str, phrase: str) -> None:
    assert _cues(text)["sends_code_back"] == phrase


@pytest.mark.parametrize("text", [
    "OTP 006901 (Ref:ZJWR) ห้ามแจ้งรหัสกับบุคคลอื่นทุกกรณี",
    "Your code is 123456. Never send the code to anyone, not even bank staff.",
    "Ma xac thuc cua ban la 1234, khong gui ma cho ai",
    "Jangan sebutkan kode OTP kepada siapa pun",
])
def test_a_code_message_or_a_warning_is_no_request_for_the_code(text: str) -> None:
    assert "sends_code_back" not in _cues(text)


@pytest.mark.parametrize("text", [
    "รหัส OTP 769098 กรุณายืนยันรหัสภายใน 5 นาที",
    "G-946848 เป็นรหัสยืนยัน Google ของคุณ",
    "Your verification code is 482913. Do not share it.",
    "Kode OTP Anda 482913. JANGAN BERIKAN kode ini kepada siapapun",
])
def test_a_message_that_hands_over_a_code_shows_the_genuine_sign(text: str) -> None:
    assert "gives_code" in _cues(text)


@pytest.mark.parametrize("text", [
    "ธนาคารแจ้ง กรุณาตอบกลับ SMS นี้ด้วยรหัส OTP 6 หลัก เพื่อยกเลิกรายการ",  # asks for it, gives none
    "Call 0917 123 4567 for the promo code",  # a phone number is no code
])
def test_asking_for_a_code_or_a_phone_number_is_not_handing_one_over(text: str) -> None:
    assert "gives_code" not in _cues(text)
