"""Amounts of money lost, as citizens type them ("RM 2,500", "5 ล้าน", "1,5 juta", "2 triệu đồng").

Weekly summaries add these up and take medians per currency, so a wrong reading is worse than
none: whenever the text can be read two ways, ``parse_loss`` returns None.

How a reply is read:

1. Normalise: any Unicode decimal digit (Thai ๕, Lao ໕, Khmer ៥, Burmese ၅, full-width ５)
   to ASCII, Burmese letter wa ``ဝ`` typed for zero ``၀`` inside numbers, NFKC, lower case.
2. Tokenise into numbers, known words (currencies, multipliers, range words) and other text.
3. Read amounts: ``[currency] number [multipliers] [more terms] [currency]``, e.g.
   ``Rp 1,5 juta``, ``2 triệu 500 nghìn đồng``, ``1万5千``, ``3tr5``, ``5-6 juta`` (a range).
4. Pick the amount: the one marked with a currency, else the one with a multiplier, else the only
   number. Two candidates (``RM500 + RM300``, ``3 May, 500``) is a question we cannot answer: None.
5. Its currency: its own marker, else the only currency named anywhere in the reply, else a
   foreign symbol price-parser knows (€, £, ₩…), else the country's own currency.
6. The number's separators are decided here (see ``_number``) and price-parser turns the digits
   into a Decimal with that decimal separator.

Decisions on ambiguous input (each one tested in tests/test_money.py):

- A bare ``$``/"dollar" is the country's dollar: SGD in Singapore, BND in Brunei, USD elsewhere
  (Timor-Leste and, in practice, Cambodia use USD). ``US$``/``USD`` is always USD.
- ``¥`` is CNY, not JPY: in this region the scams paid in ¥ are overwhelmingly in renminbi.
  ``元``/``块`` (the generic Chinese "unit of money") is the local dollar/ringgit in SG, MY and BN,
  where the Chinese press writes SGD as 元, and CNY elsewhere.
- "ringgit" is BND in Brunei (the Malay name of the Brunei dollar), MYR elsewhere.
- ``Rs``/rupee/ரூபாய் could be INR, LKR, PKR… and Tamil speakers use it loosely: None.
- ``K 500`` is kyat in Myanmar; ``500K`` there could be 500 kyat or 500,000 kyat: None.
- ``m`` after a number is miliar (10^9) in Indonesia ("Rp 2 M"), million elsewhere.
  ``mil`` is thousand in Timor-Leste (Portuguese "2 mil dólares"), ambiguous in the Philippines
  (Spanish-derived "mil" = thousand, English "mil" = million): None; million elsewhere.
- Separators: see ``_number``. ``1.500`` and ``1,500`` are 1500 everywhere; ``2,50`` is 2.50
  everywhere (digits are only ever grouped by three); ``1.250 triệu`` follows the country's
  convention (VN: 1250 triệu).
- A range (``5000-6000``, ``5-6 juta``, ``RM5k to RM6k``) gives its lower bound: what the citizen
  is sure to have lost, which keeps the weekly sums conservative. A "range" whose first number
  is larger is not a range: None. "or" and "+" give None (we do not do arithmetic).
- No amount in IDR, VND, KHR, LAK or MMK has a fractional part; one that does (``Rp 2,5``) is a
  misreading: None. A bare number below 1000 that would be read in one of them (``mất 500``
  typed in Vietnam, meaning 500 nghìn) is a forgotten multiplier: None.
- Zero, negative, unreadable or more than 10^13: None.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from price_parser import Price


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217 (THB, MYR, IDR, VND, PHP, SGD, BND, KHR, LAK, MMK, USD, CNY…) or USDT


# --- tables -------------------------------------------------------------------------------------

# A bare number is in the country's own currency (tests check this against CLDR through Babel).
_LOCAL_CURRENCY = {"BN": "BND", "KH": "KHR", "ID": "IDR", "LA": "LAK", "MY": "MYR", "MM": "MMK",
                   "PH": "PHP", "SG": "SGD", "TH": "THB", "TL": "USD", "VN": "VND"}

# Countries whose convention is "," for decimals and "." for thousands (CLDR: ms_BN, id, lo, pt_TL,
# vi). Only consulted when nothing else decides: "1.250 triệu" (see _number).
_DECIMAL_COMMA = frozenset({"BN", "ID", "LA", "TL", "VN"})

# Currencies with no fractional amounts in practice: "Rp 2,5" is not two and a half rupiah.
_NO_MINOR_UNIT = frozenset({"IDR", "VND", "KHR", "LAK", "MMK"})
# Crypto amounts are often fractions of a coin: "0.025 BTC", "1.500 ETH" is one and a half.
_FRACTIONAL_COINS = frozenset({"BTC", "ETH"})

_AMBIGUOUS = "?"
_NOT_HERE = ""  # a word that is no currency in this country
_MAX_AMOUNT = Decimal(10) ** 13

# Keys of the word tables are as _normalise leaves them: NFKC ("￥" is "¥", Lao "ໝື່ນ" is "ຫມື່ນ")
# and lower case.

# Currency words and symbols. Values are ISO 4217 codes (or a crypto ticker), or a
# lower-case name of a meaning that depends on the country (_LOCAL_MEANING), or _AMBIGUOUS.
_CURRENCIES: dict[str, str] = {
    # Thai baht (Thai, Khmer, Lao, Burmese, Chinese, Vietnamese)
    "฿": "THB", "thb": "THB", "baht": "THB", "bath": "THB", "บาท": "THB", "บ.": "THB", "បាត": "THB",
    "ບາດ": "THB", "ဘတ်": "THB", "泰铢": "THB", "泰銖": "THB", "bạt": "THB",
    # Malaysian ringgit
    "rm": "MYR", "myr": "MYR", "ringgit": "ringgit", "ringgit malaysia": "MYR", "ริงกิต": "MYR",
    "令吉": "MYR", "马币": "MYR", "馬幣": "MYR", "ரிங்கிட்": "MYR",
    # Indonesian rupiah
    "rp": "IDR", "idr": "IDR", "rupiah": "IDR", "印尼盾": "IDR", "รูเปียห์": "IDR",
    # Vietnamese dong
    "₫": "VND", "đ": "VND", "vnd": "VND", "vnđ": "VND", "đồng": "VND", "dong": "dong", "越南盾": "VND",
    # Philippine peso ("P500" only in the Philippines)
    "₱": "PHP", "php": "PHP", "peso": "PHP", "pesos": "PHP", "piso": "PHP", "比索": "PHP", "p": "p",
    # Singapore and Brunei dollars
    "s$": "SGD", "sgd": "SGD", "singapore dollar": "SGD", "singapore dollars": "SGD",
    "dolar singapura": "SGD", "新元": "SGD", "新币": "SGD", "新幣": "SGD", "新加坡元": "SGD",
    "b$": "BND", "bn$": "BND", "bnd": "BND", "brunei dollar": "BND", "brunei dollars": "BND",
    "dolar brunei": "BND", "ringgit brunei": "BND", "文莱元": "BND", "汶莱元": "BND",
    # Cambodian riel, Lao kip, Myanmar kyat ("K 500" only in Myanmar)
    "៛": "KHR", "khr": "KHR", "riel": "KHR", "riels": "KHR", "រៀល": "KHR", "瑞尔": "KHR",
    "₭": "LAK", "lak": "LAK", "kip": "LAK", "ກີບ": "LAK", "กีบ": "LAK", "基普": "LAK",
    "mmk": "MMK", "kyat": "MMK", "kyats": "MMK", "ks": "MMK", "ကျပ်": "MMK", "缅元": "MMK", "k": "k",
    # US dollar, named as such
    "us$": "USD", "usd": "USD", "us dollar": "USD", "us dollars": "USD", "dolar as": "USD",
    "dolar amerika": "USD", "美元": "USD", "美金": "USD", "ดอลลาร์สหรัฐ": "USD", "đô la mỹ": "USD",
    # the country's dollar
    "$": "dollar", "dollar": "dollar", "dollars": "dollar", "dolar": "dollar", "dólar": "dollar",
    "dólares": "dollar", "dolares": "dollar", "ดอลลาร์": "dollar", "đô": "dollar", "đô la": "dollar",
    "ដុល្លារ": "dollar", "ໂດລາ": "dollar", "ဒေါ်လာ": "dollar", "டாலர்": "dollar",
    # Chinese yuan
    "cny": "CNY", "rmb": "CNY", "人民币": "CNY", "人民幣": "CNY", "¥": "CNY", "yuan": "CNY",
    "หยวน": "CNY", "ယွမ်": "CNY", "nhân dân tệ": "CNY", "元": "元", "块": "元", "塊": "元",
    "円": "JPY", "yen": "JPY",  # the yen, named as such
    # crypto: kept as their tickers ("USDT" is not USD, whatever its peg)
    "usdt": "USDT", "tether": "USDT", "usdc": "USDC", "btc": "BTC", "bitcoin": "BTC", "₿": "BTC",
    "eth": "ETH", "ether": "ETH", "ethereum": "ETH",
    # Tamil "velli" (silver): the dollar in Singapore, the ringgit in Malaysia
    "வெள்ளி": "வெள்ளி",
    # which rupee? and cents are not what the question asked for
    "rs": _AMBIGUOUS, "rupee": _AMBIGUOUS, "rupees": _AMBIGUOUS, "ரூபாய்": _AMBIGUOUS, "ரூ": _AMBIGUOUS,
    "sen": _AMBIGUOUS, "cent": _AMBIGUOUS, "cents": _AMBIGUOUS, "สตางค์": _AMBIGUOUS, "xu": _AMBIGUOUS,
    "centavos": _AMBIGUOUS, "sentimo": _AMBIGUOUS,
}
_LOCAL_MEANING: dict[str, dict[str, str]] = {  # the key "" is every other country
    "dollar": {"SG": "SGD", "BN": "BND", "": "USD"},
    "元": {"SG": "SGD", "MY": "MYR", "BN": "BND", "": "CNY"},
    "ringgit": {"BN": "BND", "": "MYR"},
    "dong": {"ID": _NOT_HERE, "": "VND"},  # Indonesian "dong" is a particle: "5 juta dong"
    "வெள்ளி": {"SG": "SGD", "MY": "MYR", "": _AMBIGUOUS},
    "k": {"MM": "MMK", "": _AMBIGUOUS},
    "p": {"PH": "PHP", "": _AMBIGUOUS},
}
# Single letters count as a currency only next to a number ("K 5000", "P500"), never elsewhere.
_SINGLE_LETTERS = frozenset({"k", "p"})

# What price-parser recognises beyond our own table (it returns the symbol as written).
_FOREIGN_SYMBOLS = {"€": "EUR", "£": "GBP", "₩": "KRW", "₹": "INR", "HK$": "HKD", "NT$": "TWD", "A$": "AUD",
                    "AU$": "AUD", "NZ$": "NZD", "CA$": "CAD", "₽": "RUB", "₺": "TRY"}

# Multiplier words, lower case, as powers of ten. Consecutive ones multiply ("5 trăm nghìn",
# "5百万", "พันล้าน").
_MULTIPLIERS: dict[str, int] = {
    "hundred": 2, "ratus": 2, "trăm": 2, "ร้อย": 2, "百": 2,
    "k": 3, "thousand": 3, "ribu": 3, "rb": 3, "rebu": 3, "nghìn": 3, "nghin": 3, "ngàn": 3, "ngan": 3,
    "libo": 3, "พัน": 3, "ພັນ": 3, "ពាន់": 3, "ထောင်": 3, "千": 3, "ஆயிரம்": 3,
    "หมื่น": 4, "ຫມື່ນ": 4, "ម៉ឺន": 4, "သောင်း": 4, "万": 4, "萬": 4,
    "แสน": 5, "ແສນ": 5, "សែន": 5, "သိန်း": 5, "lakh": 5, "lakhs": 5, "lac": 5, "லட்சம்": 5,
    "m": 6, "mil": 6, "mio": 6, "mn": 6, "million": 6, "millions": 6, "milyon": 6, "milhão": 6, "milhões": 6,
    "juta": 6, "jt": 6, "triệu": 6, "trieu": 6, "tr": 6, "củ": 6, "ล้าน": 6, "ລ້ານ": 6, "លាន": 6,
    "သန်း": 6, "மில்லியன்": 6,
    "crore": 7, "கோடி": 7, "亿": 8, "億": 8,
    "bn": 9, "billion": 9, "bilion": 9, "bilyon": 9, "miliar": 9, "milyar": 9, "tỷ": 9, "tỉ": 9,
}
_MULTIPLIER_IN: dict[tuple[str, str], int | None] = {  # None: ambiguous in that country
    ("m", "ID"): 9, ("mil", "TL"): 3, ("mil", "PH"): None, ("k", "MM"): None,
}

# "And a half" after a multiplier: "2 tr rưỡi", "2 juta setengah", "2 ล้านครึ่ง" are 2.5 of it.
_HALF = frozenset({"rưỡi", "setengah", "ครึ่ง", "ເຄິ່ງ"})

# Words between two amounts: a range gives its lower bound; "or" and "+" give None.
_CONNECTORS = {"-": "range", "–": "range", "—": "range", "~": "range", "to": "range", "hingga": "range",
               "sampai": "range", "ถึง": "range", "đến": "range", "tới": "range", "hanggang": "range",
               "até": "range", "至": "range", "到": "range",
               "+": "plus", "or": "or", "atau": "or", "hoặc": "or", "หรือ": "or", "ou": "or", "或": "or"}

# --- tokens -------------------------------------------------------------------------------------

# Latin letters (with Vietnamese ones), once lower-cased. Latin words are matched at word boundaries
# ("tr" is not the start of "trăm"); Thai, Lao, Khmer, Burmese and Chinese do not separate words.
_LATIN = "a-z\u00e0-\u00f6\u00f8-\u024f\u1e00-\u1eff"


def _keyword(word: str) -> str:
    pattern = re.escape(word)
    if re.match(f"[{_LATIN}]", word):
        pattern = f"(?<![{_LATIN}]){pattern}"
    if re.search(f"[{_LATIN}]$", word):
        pattern += f"(?![{_LATIN}])"
        if len(word) <= 3:
            pattern += r"\.?"  # abbreviations: "Rp. 50.000", "Rs.500", "5 jt."
    return pattern


_WORDS = sorted({*_CURRENCIES, *_MULTIPLIERS, *_HALF, *_CONNECTORS}, key=len, reverse=True)
_TOKEN = re.compile(
    r"(?P<num>[0-9]+(?:[.,][0-9]+)*)"
    f"|(?P<word>{'|'.join(_keyword(w) for w in _WORDS)})"
    r"|(?P<minus>−)"
    f"|(?P<other>[{_LATIN}]+|\\S)"
)


@dataclass
class _Token:
    kind: str  # num, word, minus, other; "ref" for a number that is not an amount ("+6012…", "50%", "TRX123")
    text: str
    glued: bool  # no space before it


def _normalise(text: str) -> str:
    text = "".join(str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in text)
    # Non-breaking and thin spaces group digits in copied amounts ("12 000"); an ordinary space
    # does not ("RM500 3 times" is two numbers).
    text = re.sub(r"(?<=[0-9])[\u00a0\u202f\u2009](?=[0-9]{3}(?![0-9]))", "", text)
    # Burmese users often type the letter wa (ဝ) for the digit zero (၀), which looks the same.
    text = re.sub(r"(?<=[0-9])ဝ+", lambda m: "0" * len(m.group()), text)
    # NFKC: full-width "ＵＳＤ" is USD, and Vietnamese typed with combining accents is composed.
    return unicodedata.normalize("NFKC", text).lower()


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    end = -1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        word = m.group().rstrip(".") if kind == "word" and m.group() != "บ." else m.group()
        tokens.append(_Token(kind, word, m.start() == end))
        end = m.end()
    for i, token in enumerate(tokens):
        if token.kind == "num" and _is_reference(tokens, i):
            token.kind = "ref"
    return tokens


def _is_reference(tokens: list[_Token], i: int) -> bool:
    """A number that is no amount: glued to a word or "#" ("TRX12345", "2nd"), after a bare
    separator (".5", "...500": what came before?), a phone or account number ("+60123…" but not
    "500+300", "0123…"), a percentage."""
    if re.fullmatch("0[0-9]{5,}", tokens[i].text):
        return True
    before = tokens[i - 1] if i else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if before is not None and tokens[i].glued and (
        (before.kind == "other" and re.match(f"[{_LATIN}#@.,]", before.text))
        or (before.text == "+" and (i < 2 or tokens[i - 2].kind != "num"))
    ):
        return True
    return after is not None and (after.text == "%" or (
        after.glued and after.kind == "other" and re.match(f"[{_LATIN}]", after.text) is not None))


# --- amounts ------------------------------------------------------------------------------------

@dataclass
class _Amount:
    terms: list[tuple[str, int]] = field(default_factory=list)  # number as written, power of ten
    fraction: str = ""  # "3tr5": digits after the multiplier, a fraction of it
    currencies: list[str] = field(default_factory=list)  # resolved codes of its own markers
    ambiguous: bool = False
    upper: _Amount | None = None  # the other end of a range

    @property
    def scaled(self) -> bool:
        return any(power for _, power in self.terms)

    @property
    def marked(self) -> bool:
        """Named with a currency, at either end of a range."""
        return bool(self.currencies or (self.upper and self.upper.currencies))

    @property
    def multiplied(self) -> bool:
        """Written with a multiplier, at either end of a range."""
        return self.scaled or bool(self.upper and self.upper.scaled)


def _currency(word: str, country: str) -> str:
    code = _CURRENCIES[word]
    meanings = _LOCAL_MEANING.get(code)
    return code if meanings is None else meanings.get(country, meanings[""])


def _multiplier(word: str, country: str) -> int | None:
    return _MULTIPLIER_IN.get((word, country), _MULTIPLIERS[word])


def _is(token: _Token | None, table: dict[str, str] | dict[str, int]) -> bool:
    return token is not None and token.kind == "word" and token.text in table


def _is_currency(token: _Token | None, country: str) -> bool:
    return token is not None and _is(token, _CURRENCIES) and _currency(token.text, country) != _NOT_HERE


def _read_amount(run: list[_Token], i: int, country: str) -> tuple[_Amount | None, int]:
    """The amount starting at run[i], and the index after it; (None, i + 1) when there is none."""

    def at(j: int) -> _Token | None:
        return run[j] if j < len(run) else None

    def minus(token: _Token | None) -> bool:
        return token is not None and (token.kind == "minus" or token.text == "-")

    def number(token: _Token | None) -> bool:
        return token is not None and token.kind == "num"

    amount = _Amount()
    if minus(at(i)):
        amount.ambiguous, i = True, i + 1  # a negative loss is not a loss
    if _is_currency(at(i), country) and (number(at(i + 1)) or minus(at(i + 1))):
        amount.currencies.append(_currency(run[i].text, country))
        i += 1
    if minus(at(i)):
        amount.ambiguous, i = True, i + 1
    if (token := at(i)) is None or token.kind != "num":
        return None, i + 1
    digits, i = token.text, i + 1
    while True:
        power = 0
        while (word := at(i)) is not None and _is(word, _MULTIPLIERS):
            step = _multiplier(word.text, country)
            if step is None or step <= power:
                amount.ambiguous = True  # "500K" in Myanmar, or "5 juta ribu"
            power, i = power + (step or 0), i + 1
        amount.terms.append((digits, power))
        if power and (half := at(i)) is not None and half.text in _HALF:
            amount.fraction, i = "5", i + 1
            break
        if not power or (token := at(i)) is None or token.kind != "num":
            break
        if _is(at(i + 1), _MULTIPLIERS) and (_multiplier(run[i + 1].text, country) or 0) < power:
            digits, i = token.text, i + 1  # "2 triệu 500 nghìn", "1万5千": another term
            continue
        if token.glued and re.fullmatch("[0-9]{1,2}", token.text):
            amount.fraction, i = token.text, i + 1  # "3tr5", "1万5": 3.5 triệu, 1.5万
        else:
            amount.ambiguous = True  # "1 juta 500", "3tr500", "1万500": 1,000,500 or 1,500,000?
        break
    if _is_currency(at(i), country):
        amount.currencies.append(_currency(run[i].text, country))
        i += 1
    return amount, i


def _amounts(tokens: list[_Token], country: str) -> list[_Amount]:
    amounts: list[_Amount] = []
    runs: list[list[_Token]] = [[]]
    for token in tokens:  # runs of tokens not interrupted by other text
        if token.kind in ("other", "ref"):
            runs.append([])
        else:
            runs[-1].append(token)
    for run in runs:
        i, previous = 0, None
        while i < len(run):
            amount, i = _read_amount(run, i, country)
            if amount is None:
                previous = None
                continue
            if i < len(run) and run[i].text in _CONNECTORS:
                upper, after = _read_amount(run, i + 1, country)
                if upper is not None:
                    if _CONNECTORS[run[i].text] != "range" or upper.ambiguous:
                        amount.ambiguous = True
                    amount.upper, i = upper, after
            if previous is not None:
                # amounts back to back ("RM 1 500", "500 ringgit 300", "RM500 RM300"): one number
                # grouped by a space, or two? whose is the currency between them? Both are doubtful.
                previous.ambiguous = amount.ambiguous = True
            amounts.append(amount)
            previous = amount
    return amounts


# --- numbers ------------------------------------------------------------------------------------

def _grouped(groups: list[str], separator: str) -> bool:
    """Digits grouped by three ("1.500.000"), or Indian lakh style ("1,00,000")."""
    head, rest = groups[0], groups[1:]
    if head.startswith("0") or not rest:
        return False
    if 1 <= len(head) <= 3 and all(len(g) == 3 for g in rest):
        return True
    return separator == "," and len(head) <= 2 and all(len(g) == 2 for g in rest[:-1]) and len(rest[-1]) == 3


def _number(text: str, currency: str, scaled: bool, country: str) -> Decimal | None:
    """The number as written, once its decimal separator is decided:

    - no separator: digits ("012" is not a way of writing 12);
    - both "." and ",": the last one is the decimal separator ("1.000,50", "1,000.50");
    - one kind, repeated: groups of thousands ("1.500.000", "1,500,000", "1,00,000");
    - one, followed by 1–2 digits: a decimal separator everywhere ("2,50", "1,5 juta", "2.5k"),
      since digits are only ever grouped by three;
    - one, followed by three digits: thousands ("1.500", "1,500") — in every currency, as nobody
      types an amount to a thousandth of a baht or a rupiah — except after "0" ("0.500") or in
      BTC/ETH, where it is a fraction; with a multiplier ("1.250 triệu") it follows the country;
    - one, followed by four or more digits: only a fraction of a coin ("0.00045 BTC").
    """
    separators = re.sub("[0-9]", "", text)
    groups = re.split("[.,]", text)
    if not separators:
        decimal = "."
        if text.startswith("0") and text != "0":
            return None
    elif len(set(separators)) == 2:
        decimal = separators[-1]
        if separators.count(decimal) != 1 or not _grouped(groups[:-1], separators[0]):
            return None
    elif len(separators) > 1:
        if not _grouped(groups, separators[0]):
            return None
        decimal = "," if separators[0] == "." else "."
    elif len(groups[1]) <= 2 or groups[0] == "0" or currency in _FRACTIONAL_COINS:
        decimal = separators
    elif len(groups[1]) > 3:
        return None
    elif scaled:
        decimal = "," if country in _DECIMAL_COMMA else "."
    else:
        decimal = "," if separators == "." else "."
    amount: Decimal | None = Price.fromstring(text, decimal_separator=decimal).amount
    return amount


def _value(amount: _Amount, currency: str, country: str) -> Decimal | None:
    if amount.ambiguous:
        return None
    total = Decimal(0)
    power = 0
    for text, power in amount.terms:
        number = _number(text, currency, amount.scaled, country)
        if number is None:
            return None
        total += number.scaleb(power)
    if amount.fraction:
        total += Decimal("0." + amount.fraction).scaleb(power)
    return total


# --- parse_loss ---------------------------------------------------------------------------------

def _currency_elsewhere(text: str, tokens: list[_Token], country: str) -> str | None:
    """The currency a reply names away from its number ("500, all in ringgit"), or a foreign one
    price-parser recognises; _AMBIGUOUS when several are named."""
    named = {_currency(t.text, country) for t in tokens if _is_currency(t, country) and t.text not in _SINGLE_LETTERS}
    if len(named) > 1:
        return _AMBIGUOUS
    if named:
        return named.pop()
    # price-parser also reports two-letter "symbols" it finds inside words ("Le" in "Lebih"), so
    # only the symbols above and ISO codes standing as words are believed.
    symbol = Price.fromstring(text).currency
    if symbol in _FOREIGN_SYMBOLS:
        return _FOREIGN_SYMBOLS[symbol]
    if symbol and re.fullmatch("[A-Z]{3}", symbol) and re.search(rf"(?<![A-Za-z]){symbol}(?![A-Za-z])", text):
        return symbol
    return None


def parse_loss(text: str, country: str) -> Money | None:
    """The amount and currency in ``text``; a bare number is in the country's own currency.
    None when no amount can be read."""
    tokens = _tokens(_normalise(text))
    amounts = _amounts(tokens, country)
    candidates = [a for a in amounts if a.marked] or [a for a in amounts if a.multiplied] or amounts
    if len(candidates) != 1:
        return None  # nothing, or several amounts: which one was lost?
    amount = candidates[0]
    if (upper := amount.upper) is not None:  # "5-6 juta", "5000 - 6000 baht": the lower end shares the upper's unit
        if not amount.scaled and len(amount.terms) == 1 and not amount.fraction:
            amount.terms = [(amount.terms[0][0], upper.terms[0][1])]
        amount.currencies += upper.currencies
    named = set(amount.currencies)
    if not named and (elsewhere := _currency_elsewhere(text, tokens, country)):
        named = {elsewhere}
    if len(named) > 1 or _AMBIGUOUS in named:
        return None
    defaulted = not named
    currency = named.pop() if named else _LOCAL_CURRENCY[country]
    value = _value(amount, currency, country)
    if value is None or not 0 < value <= _MAX_AMOUNT:
        return None
    if upper is not None and ((top := _value(upper, currency, country)) is None or top < value):
        return None  # "6000-5000" is not a range; what is it?
    if currency in _NO_MINOR_UNIT and (value != value.to_integral_value() or (
            defaulted and not amount.scaled and value < 1000)):
        return None
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return Money(value, currency)
