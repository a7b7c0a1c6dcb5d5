"""What an investigator notices in the extracted indicators: the right values, and no noise."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from harmline.reports.indicators import crypto_network, defang, extract_indicators, refang, registrable_domain
from harmline.reports.model import Indicator

DATA = Path(__file__).resolve().parent / "data" / "indicators_eval.jsonl"
ETH = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"  # the EIP-55 specification's example
BTC_P2PKH = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"  # Bitcoin wiki's example addresses
BTC_P2SH = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
BTC_BECH32 = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"


def pairs(text: str, country: str) -> set[tuple[str, str]]:
    return {(i.kind, i.value) for i in extract_indicators(text, country)}


def of_kind(text: str, country: str, kind: str) -> list[Indicator]:
    return [i for i in extract_indicators(text, country) if i.kind == kind]


@pytest.mark.parametrize(("text", "country"), [
    ("Bayar Rp 1.500.000 sekarang", "ID"),
    ("Tahniah, anda menang RM8,500!", "MY"),
    ("Nanalo ka ng ₱10,000 sa promo", "PH"),
    ("โอน 150,000 บาท ด่วน", "TH"),
    ("chuyển 12.500.000 VND ngay", "VN"),
    ("Your OTP 482913, kod 739201", "MY"),
    ("Tarikh 12/11/2025 dan 2025-11-12", "MY"),
    ("ငွေ 1,200,000 Ks ဆုံးရှုံးခဲ့တယ်", "MM"),
])
def test_amounts_codes_and_dates_are_not_phone_numbers(text: str, country: str) -> None:
    assert of_kind(text, country, "phone") == []


def test_a_local_number_is_read_in_the_reports_country_and_asean_prefixes_anywhere() -> None:
    assert pairs("call 081-555-1234", "TH") == {("phone", "+66815551234")}
    assert pairs("call 012-555 1234", "MY") == {("phone", "+60125551234")}
    assert ("phone", "+84903555111") in pairs("gọi 0084 903 555 111 nhé", "TH")
    assert ("phone", "+60125551234") in pairs("whatsapp 60125551234", "TH")
    assert pairs("โทร ๐๘๑-๕๕๕-๑๒๓๔", "TH") == {("phone", "+66815551234")}  # Thai digits


def test_a_stated_bank_account_is_an_account_with_its_bank_not_a_phone() -> None:
    found = extract_indicators("transfer ke rekening BCA 5550123456 a.n. Budi, WA 0812-5550-1234", "ID")
    assert Indicator("bank_account", "5550123456", "BCA") in found
    assert {i.kind for i in found} == {"bank_account", "phone"}
    thai = of_kind("โอนเข้าบัญชี กสิกร 555-2-12345-6", "TH", "bank_account")
    assert thai == [Indicator("bank_account", "5552123456", "Kasikornbank")]
    assert of_kind("chuyển vào STK 0123456789 Vietcombank", "VN", "bank_account")[0].detail == "Vietcombank"


def test_ewallet_numbers_are_normalised_to_e164_with_the_wallet_named() -> None:
    assert of_kind("send to GCash 0917 555 1234 po", "PH", "ewallet") == [
        Indicator("ewallet", "+639175551234", "GCash")]
    assert of_kind("bayar pakai DANA 0812 5550 9911", "ID", "ewallet")[0].value == "+6281255509911"


def test_defanged_links_are_refanged_and_defang_round_trips() -> None:
    text = "klik hxxps://hadiah-percuma[.]com/claim atau example(.)com."
    assert of_kind(text, "MY", "url") == [
        Indicator("url", "https://hadiah-percuma.com/claim", "hadiah-percuma.com"),
        Indicator("url", "example.com", "example.com")]
    shown = defang("https://hadiah-percuma.com/claim")
    assert shown == "hxxps://hadiah-percuma[.]com/claim"
    assert refang(shown) == "https://hadiah-percuma.com/claim"


def test_registrable_domain_comes_from_the_public_suffix_list() -> None:
    assert registrable_domain("login.maybank2u.com.my") == "maybank2u.com.my"
    assert registrable_domain("https://a.b.thaipost-track.co.th/x") == "thaipost-track.co.th"
    url = of_kind("go to https://login.maybank2u.com.my/auth now", "MY", "url")
    assert url == [Indicator("url", "https://login.maybank2u.com.my/auth", "maybank2u.com.my")]


def test_shortened_links_are_flagged() -> None:
    assert of_kind("klik bit.ly/3zExAmP", "ID", "url") == [Indicator("url", "bit.ly/3zExAmP", "bit.ly;shortener")]
    assert of_kind("https://tinyurl.com/hadiah555", "MY", "url")[0].detail == "tinyurl.com;shortener"


def test_a_word_with_a_dot_is_not_a_link() -> None:
    assert of_kind("Mr.Tan said ok.lah see you", "SG", "url") == []


def test_whatsapp_links_also_give_the_phone_and_telegram_links_the_handle() -> None:
    assert pairs("chat wa.me/639175551234", "MY") == {("url", "wa.me/639175551234"), ("phone", "+639175551234")}
    assert pairs("join https://t.me/promo_kaya", "MY") == {
        ("url", "https://t.me/promo_kaya"), ("social_handle", "@promo_kaya")}


def test_handles_are_lower_cased_with_their_platform_and_emails_are_not_handles() -> None:
    found = extract_indicators("PM @CS_Shopee_Official on telegram or mail Admin@Scam-Site.com", "MY")
    assert Indicator("social_handle", "@cs_shopee_official", "telegram") in found
    assert Indicator("email", "admin@scam-site.com") in found
    assert len(found) == 2


@pytest.mark.parametrize(("address", "network"), [
    (ETH, "ethereum"), (BTC_P2PKH, "bitcoin"), (BTC_P2SH, "bitcoin"),
    (BTC_BECH32, "bitcoin"), ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "tron"),
])
def test_crypto_addresses_are_checked_and_a_one_character_typo_is_rejected(address: str, network: str) -> None:
    assert crypto_network(address) == network
    assert of_kind(f"send USDT to {address} now", "PH", "crypto_wallet")[0].detail == network
    i = len(address) // 2
    replacement = ("a" if address[i] != "a" else "b") if address.startswith("0x") else "q" if address[i] != "q" else "p"
    mistyped = address[:i] + replacement + address[i + 1:]
    assert crypto_network(mistyped) is None
    assert extract_indicators(f"send USDT to {mistyped} now", "PH") == []


def test_eth_addresses_are_given_in_checksummed_form() -> None:
    # An all-lower-case address carries no checksum (EIP-55), so it is taken as written.
    assert of_kind(f"wallet {ETH.lower()}", "MY", "crypto_wallet") == [Indicator("crypto_wallet", ETH, "ethereum")]


def test_the_labelled_set_reaches_precision_and_recall_of_90_percent_per_type() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 150
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        expected = {(i["type"], i["value"]) for i in row["indicators"]}
        got = pairs(row["text"], row["country"])
        for kind in {k for k, _ in expected | got}:
            e, g = {v for k, v in expected if k == kind}, {v for k, v in got if k == kind}
            counts.setdefault(kind, Counter()).update(tp=len(e & g), fp=len(g - e), fn=len(e - g))
    assert len(counts) == 7
    for kind, c in counts.items():
        assert c["tp"] / (c["tp"] + c["fp"]) >= 0.9, (kind, c)
        assert c["tp"] / (c["tp"] + c["fn"]) >= 0.9, (kind, c)


def test_a_calling_cue_between_an_account_word_and_a_number_makes_it_a_phone() -> None:
    thai = extract_indicators("บอกว่าบัญชีของคุณถูกระงับ ให้โอนเงินไปที่บัญชีปลอดภัย โทร 081-234-5678", "TH")
    assert [(i.kind, i.value) for i in thai] == [("phone", "+66812345678")]
    vietnamese = extract_indicators("chuyển khoản vào tài khoản Vietcombank. Zalo 0912 345 678", "VN")
    assert [(i.kind, i.value) for i in vietnamese] == [("phone", "+84912345678")]
    # Without the cue the number after the account word stays an account.
    assert [(i.kind, i.detail) for i in extract_indicators("transfer ke rekening BCA 1234567890", "ID")] == [
        ("bank_account", "BCA")]


@pytest.mark.parametrize(("text", "country", "phone"), [
    ("From 09171234567: your parcel is on hold, pay the fee at the link", "PH", "+639171234567"),
    ("Viber:09171234567", "PH", "+639171234567"),
    ("WA:081234567890 admin pinjaman", "ID", "+6281234567890"),
    ("Call 0917-123-4567: our agent is waiting", "PH", "+639171234567"),
    ("Call 0917-123-4567:", "PH", "+639171234567"),
    ("Tel:+639171234567", "MY", "+639171234567"),
])
def test_a_phone_number_next_to_a_colon_is_kept(text: str, country: str, phone: str) -> None:
    assert pairs(text, country) == {("phone", phone)}


@pytest.mark.parametrize(("text", "country", "phone"), [
    ("Message us 09171234567 to claim your prize", "PH", "+639171234567"),
    ("text us 0917 123 4567", "PH", "+639171234567"),
    ("contact us +63 917 123 4567", "PH", "+639171234567"),
    ("CONTACT US 91234567 NOW", "SG", "+6591234567"),
])
def test_the_word_us_before_a_number_is_not_the_us_dollar(text: str, country: str, phone: str) -> None:
    assert pairs(text, country) == {("phone", phone)}


@pytest.mark.parametrize("text", [
    "pay US$ 91234567 now", "pay USD 91234567 now", "pay US 91234567 dollars", "pay 91234567 USD",
])
def test_us_dollar_amounts_are_still_not_phone_numbers(text: str) -> None:
    assert of_kind(text, "SG", "phone") == []
