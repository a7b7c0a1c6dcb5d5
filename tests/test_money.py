"""Amounts of money lost, as citizens of the eleven countries type them, in thirteen languages."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from babel.numbers import get_decimal_symbol, get_territory_currencies

from harmline.reports import money
from harmline.reports.money import Money, parse_loss

# (reply, country, expected amount as written by str(Decimal), currency) — or None for "no amount".
CASES: list[tuple[str, str, tuple[str, str] | None]] = [
    # --- English -------------------------------------------------------------------------------
    ("5000", "MY", ("5000", "MYR")),
    ("about 300 dollars", "TL", ("300", "USD")),
    ("about 300 dollars", "SG", ("300", "SGD")),  # a Singaporean's dollars are Singapore dollars
    ("USD 200", "SG", ("200", "USD")),
    ("$200", "TH", ("200", "USD")),
    ("$200", "SG", ("200", "SGD")),
    ("$200", "BN", ("200", "BND")),
    ("$200", "KH", ("200", "USD")),
    ("200$", "KH", ("200", "USD")),
    ("US$ 150", "SG", ("150", "USD")),
    ("S$450", "SG", ("450", "SGD")),
    ("SGD 1,200", "MY", ("1200", "SGD")),
    ("B$ 90", "BN", ("90", "BND")),
    ("BND 1,000", "BN", ("1000", "BND")),
    ("200 USDT", "TH", ("200", "USDT")),  # price-parser: "USD"
    ("1,000 USDT", "PH", ("1000", "USDT")),
    ("0.05 BTC", "TH", ("0.05", "BTC")),
    ("0.00045 BTC", "MY", ("0.00045", "BTC")),
    ("I lost RM500 on 3 May", "MY", ("500", "MYR")),  # the amount with a currency, not the date
    ("3 May, 500", "MY", None),  # which number?
    ("1.5 million baht", "TH", ("1500000", "THB")),
    ("2 millions", "TH", ("2000000", "THB")),
    ("1.5m", "MY", ("1500000", "MYR")),
    ("5000-6000", "MY", ("5000", "MYR")),  # a range: its lower bound
    ("RM5k to RM6k", "MY", ("5000", "MYR")),
    ("6000-5000", "MY", None),  # not a range
    ("RM500 + RM300", "MY", None),  # no arithmetic
    ("500 USD or 2 million VND", "VN", None),
    ("RM 500 USD", "MY", None),  # two currencies for one number
    ("-500", "MY", None),
    ("0", "MY", None),
    ("two thousand", "MY", None),
    ("", "MY", None),
    ("no", "MY", None),
    ("nothing, I didn't pay", "SG", None),
    ("+60123456789", "MY", None),  # a phone number
    ("sent RM500 to 0123456789", "MY", ("500", "MYR")),  # "to" an account number is no range
    ("gcash 09171234567 ₱500", "PH", ("500", "PHP")),
    ("RM 1 500", "MY", None),  # 1500 grouped by a space, or 1 and 500?
    ("$ 50 000", "TL", None),
    ("500 ringgit 300", "MY", None),  # whose ringgit?
    ("RM500 3 times", "MY", None),  # RM500, or RM500 three times?
    ("RM500, 3 times", "MY", ("500", "MYR")),
    (".5 BTC", "MY", None),  # what came before the point?
    ("012", "MY", None),
    ("0123456789", "VN", None),  # an account number
    ("50%", "MY", None),
    ("1.5.2024", "MY", None),
    ("TRX12345 RM500", "MY", ("500", "MYR")),  # a reference, then the amount
    ("50 cents", "SG", None),
    ("€50", "MY", ("50", "EUR")),  # price-parser's symbols beyond the region
    ("GBP 300", "MY", ("300", "GBP")),
    ("9999999999999", "MY", ("9999999999999", "MYR")),
    ("20000000000000", "VN", None),  # more than 10^13
    ("I lost 500, all in ringgit", "TH", ("500", "MYR")),  # the currency named away from the number
    ("12\u00a0000", "TL", ("12000", "USD")),  # non-breaking space groups digits
    ("3,0000", "MY", None),
    ("RM500 ty", "MY", ("500", "MYR")),  # "thank you", not Vietnamese "tỷ"
    ("5000 dong", "TH", ("5000", "VND")),  # four digits after the only separator: not a number
    # --- Malay ---------------------------------------------------------------------------------
    ("RM 2,500", "MY", ("2500", "MYR")),
    ("RM2,500", "MY", ("2500", "MYR")),
    ("2,500RM", "MY", ("2500", "MYR")),
    ("RM 2,500.00", "MY", ("2500", "MYR")),
    ("rm5k", "MY", ("5000", "MYR")),
    ("RM2.5k", "MY", ("2500", "MYR")),  # price-parser: 2.5
    ("2,5k", "MY", ("2500", "MYR")),
    ("RM1.5 juta", "MY", ("1500000", "MYR")),
    ("Lebih kurang RM500", "MY", ("500", "MYR")),  # price-parser reads "Le" as a currency
    ("lebih kurang RM 1,200 melalui pemindahan", "MY", ("1200", "MYR")),
    ("RM500 (2 kali transfer)", "MY", ("500", "MYR")),
    ("50 ringgit", "MY", ("50", "MYR")),
    ("500 ringgit", "BN", ("500", "BND")),  # the Brunei dollar's Malay name
    ("1000 ringgit Malaysia", "BN", ("1000", "MYR")),
    ("5 ribu", "MY", ("5000", "MYR")),
    ("50 sen", "MY", None),
    ("1 bilion", "MY", ("1000000000", "MYR")),
    # --- Indonesian ----------------------------------------------------------------------------
    ("1,5 juta", "ID", ("1500000", "IDR")),
    ("Rp 1.500.000", "ID", ("1500000", "IDR")),
    ("Rp. 50.000,-", "ID", ("50000", "IDR")),
    ("Rp1,5jt", "ID", ("1500000", "IDR")),
    ("500rb", "ID", ("500000", "IDR")),
    ("sekitar 750 ribu rupiah", "ID", ("750000", "IDR")),
    ("5 ratus ribu", "ID", ("500000", "IDR")),
    ("Rp 2 M", "ID", ("2000000000", "IDR")),  # M is miliar in Indonesia
    ("2 miliar", "ID", ("2000000000", "IDR")),
    ("2 juta setengah", "ID", ("2500000", "IDR")),
    ("1 juta 500 ribu", "ID", ("1500000", "IDR")),
    ("1 juta 500", "ID", None),  # 1,000,500 or 1,500,000?
    ("5-6 juta", "ID", ("5000000", "IDR")),
    ("5 atau 6 juta", "ID", None),
    ("Saya rugi 5 juta, 3 kali transfer", "ID", ("5000000", "IDR")),
    ("Rp 2,5", "ID", None),  # two and a half rupiah is not an amount
    ("1,500", "ID", ("1500", "IDR")),
    ("10.000,50", "PH", ("10000.50", "PHP")),
    ("tolong dong, saya rugi 5 juta", "ID", ("5000000", "IDR")),  # "dong" is a particle here
    ("500 ribu dong", "ID", ("500000", "IDR")),
    ("tidak", "ID", None),
    # --- Thai ----------------------------------------------------------------------------------
    ("฿12,000", "TH", ("12000", "THB")),
    ("5 ล้าน", "TH", ("5000000", "THB")),
    ("1.5 แสน", "TH", ("150000", "THB")),
    ("2 หมื่น 5 พัน บาท", "TH", ("25000", "THB")),
    ("2 ล้านครึ่ง", "TH", ("2500000", "THB")),
    ("๕,๐๐๐ บาท", "TH", ("5000", "THB")),
    ("เสียเงินไป 3,500 บาท", "TH", ("3500", "THB")),
    ("เสียไป5,000บาท", "TH", ("5000", "THB")),
    ("500.-", "TH", ("500", "THB")),
    ("1000 ริงกิต", "TH", ("1000", "MYR")),
    ("100 ดอลลาร์", "TH", ("100", "USD")),
    ("2,50", "TH", ("2.50", "THB")),  # 1–2 digits after the separator: a fraction, in any convention
    ("1.000.000", "TH", ("1000000", "THB")),
    ("ไม่ได้เสียเงิน", "TH", None),
    # --- Vietnamese ----------------------------------------------------------------------------
    ("2 triệu đồng", "VN", ("2000000", "VND")),
    ("3tr", "VN", ("3000000", "VND")),
    ("3tr5", "VN", ("3500000", "VND")),
    ("3tr25", "VN", ("3250000", "VND")),
    ("3tr500", "VN", None),  # 3,000,500 or 3,500,000?
    ("2 tr rưỡi", "VN", ("2500000", "VND")),
    ("500k", "VN", ("500000", "VND")),
    ("khoảng 2tr", "VN", ("2000000", "VND")),
    ("2 triệu 500 nghìn đồng", "VN", ("2500000", "VND")),
    ("5 trăm nghìn", "VN", ("500000", "VND")),
    ("1 tỷ", "VN", ("1000000000", "VND")),
    ("500.000đ", "VN", ("500000", "VND")),
    ("2.500.000 VND", "VN", ("2500000", "VND")),
    ("1.250 triệu", "VN", ("1250000000", "VND")),  # with a multiplier, the country's convention
    ("1,5 triệu", "VN", ("1500000", "VND")),
    ("1.500", "VN", ("1500", "VND")),
    ("50 đô", "VN", ("50", "USD")),
    ("mất 500", "VN", None),  # 500 đồng is no loss: the multiplier was left out
    ("5 trieu dong", "VN", ("5000000", "VND")),  # typed without diacritics
    ("không", "VN", None),
    # --- Filipino ------------------------------------------------------------------------------
    ("₱3,500.50", "PH", ("3500.50", "PHP")),
    ("nawalan ako ng ₱15,000", "PH", ("15000", "PHP")),
    ("Php 500", "PH", ("500", "PHP")),
    ("P500", "PH", ("500", "PHP")),
    ("P500", "TH", None),
    ("5k pesos", "PH", ("5000", "PHP")),
    ("10 libo", "PH", ("10000", "PHP")),
    ("5 mil", "PH", None),  # Spanish "mil" (thousand) or English "mil" (million)?
    ("5 mil", "MY", ("5000000", "MYR")),
    ("wala", "PH", None),
    # --- Chinese -------------------------------------------------------------------------------
    ("50万", "MY", ("500000", "MYR")),
    ("1万5千令吉", "MY", ("15000", "MYR")),
    ("1万5", "SG", ("15000", "SGD")),
    ("1万500", "SG", None),  # 10,500 or 15,000?
    ("5000元", "SG", ("5000", "SGD")),  # Singapore's Chinese press writes S$ as 元
    ("5000元", "TH", ("5000", "CNY")),
    ("人民币5000", "TH", ("5000", "CNY")),
    ("¥3000", "KH", ("3000", "CNY")),  # ¥ is the renminbi here, not the yen
    ("3千美元", "MY", ("3000", "USD")),
    ("５０万円", "TH", ("500000", "JPY")),
    ("五万", "MY", None),  # numerals in words are not read
    # --- Tamil ---------------------------------------------------------------------------------
    ("5 ஆயிரம் ரிங்கிட்", "MY", ("5000", "MYR")),
    ("2 லட்சம்", "MY", ("200000", "MYR")),
    ("500 வெள்ளி", "SG", ("500", "SGD")),
    ("500 வெள்ளி", "MY", ("500", "MYR")),
    ("1,00,000", "MY", ("100000", "MYR")),  # Indian grouping
    ("Rs 500", "MY", None),  # which rupee?
    ("ரூ.5000", "SG", None),
    ("₹5000", "MY", ("5000", "INR")),
    # --- Khmer ---------------------------------------------------------------------------------
    ("១០០០០ រៀល", "KH", ("10000", "KHR")),
    ("៛40,000", "KH", ("40000", "KHR")),
    ("5 ម៉ឺន រៀល", "KH", ("50000", "KHR")),
    ("ស្មើ ៥០០ ដុល្លារ", "KH", ("500", "USD")),
    ("1000 riel", "KH", ("1000", "KHR")),
    ("២០០០០", "KH", ("20000", "KHR")),
    # --- Lao -----------------------------------------------------------------------------------
    ("໕໐໐໐໐ ກີບ", "LA", ("50000", "LAK")),
    ("5 ລ້ານ ກີບ", "LA", ("5000000", "LAK")),
    ("2 ໝື່ນ ກີບ", "LA", ("20000", "LAK")),
    ("₭ 500,000", "LA", ("500000", "LAK")),
    ("1,000 ບາດ", "LA", ("1000", "THB")),
    # --- Burmese -------------------------------------------------------------------------------
    ("ကျပ် ၅၀၀၀၀", "MM", ("50000", "MMK")),
    ("၅ဝဝဝဝ ကျပ်", "MM", ("50000", "MMK")),  # letter wa typed for the digit zero
    ("၅ သိန်း", "MM", ("500000", "MMK")),
    ("ငွေ 1,200,000 Ks ဆုံးရှုံးခဲ့တယ်", "MM", ("1200000", "MMK")),
    ("50,000 kyats", "MM", ("50000", "MMK")),
    ("K 50,000", "MM", ("50000", "MMK")),
    ("500K", "MM", None),  # 500 kyat or 500 thousand?
    ("3000 ဘတ်", "MM", ("3000", "THB")),
    # --- Tetum ---------------------------------------------------------------------------------
    ("osan dolar 500", "TL", ("500", "USD")),
    ("hau lakon $1.500", "TL", ("1500", "USD")),
    ("$1,50", "TL", ("1.50", "USD")),
    ("lae", "TL", None),
    # --- Portuguese ----------------------------------------------------------------------------
    ("perdi 2 mil dólares", "TL", ("2000", "USD")),  # Portuguese "mil" is a thousand
    ("US$ 1.500,00", "TL", ("1500", "USD")),
    ("cerca de 300 dólares", "TL", ("300", "USD")),
    ("1,5 milhões", "TL", ("1500000", "USD")),
]


@pytest.mark.parametrize(("text", "country", "expected"), CASES, ids=[f"{c}:{t}" for t, c, _ in CASES])
def test_parse_loss(text: str, country: str, expected: tuple[str, str] | None) -> None:
    result = parse_loss(text, country)
    assert (None if result is None else (str(result.amount), result.currency)) == expected


def test_money_compares_by_value() -> None:
    assert parse_loss("RM 2,500.00", "MY") == Money(Decimal("2500"), "MYR")


@pytest.mark.parametrize("country", sorted(money._LOCAL_CURRENCY))
def test_a_bare_number_is_in_the_countrys_currency_as_cldr_says(country: str) -> None:
    assert get_territory_currencies(country)[0] == money._LOCAL_CURRENCY[country]


@pytest.mark.parametrize(("country", "locale"), [
    ("BN", "ms_BN"), ("KH", "km_KH"), ("ID", "id_ID"), ("LA", "lo_LA"), ("MY", "ms_MY"), ("MM", "my_MM"),
    ("PH", "fil_PH"), ("SG", "en_SG"), ("TH", "th_TH"), ("TL", "pt_TL"), ("VN", "vi_VN"),
])
def test_decimal_comma_countries_as_cldr_says(country: str, locale: str) -> None:
    assert (get_decimal_symbol(locale) == ",") == (country in money._DECIMAL_COMMA)


def test_table_words_are_as_normalised_text_reads() -> None:
    for word in [*money._CURRENCIES, *money._MULTIPLIERS, *money._HALF, *money._CONNECTORS]:
        assert unicodedata.normalize("NFKC", word).lower() == word, word


def test_every_currency_word_resolves_in_every_country() -> None:
    for word in money._CURRENCIES:
        for country in money._LOCAL_CURRENCY:
            code = money._currency(word, country)
            assert code in ("?", "") or (code.isupper() and code.isascii()), (word, country, code)
