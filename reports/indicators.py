"""Indicators investigators act on, extracted from a citizen's text and normalised, and defanging.

Kinds (``Indicator.kind``) and values:

- ``phone``: E.164. Local numbers are read in the report's country first; numbers written with the
  international prefix of any ASEAN country (``+60``, ``0060``, ``60…`` when not a local number)
  are read in that country. Amounts (``Rp 1.500.000``, ``RM8,500``, ``₱10,000``), OTP codes, dates
  and numbers stated as bank accounts are never phones.
- ``url``: the link as written, re-fanged, trailing punctuation stripped. ``detail`` is its
  registrable domain (Public Suffix List, the snapshot bundled with ``publicsuffixlist``; nothing
  is fetched), followed by ``;shortener`` for link shorteners (``bit.ly;shortener``).
- ``email``: lower-cased.
- ``bank_account``: digits only; ``detail`` is the bank's name where the text names one.
- ``ewallet``: the wallet number (E.164 when it is a phone number) or id; ``detail`` the wallet.
- ``crypto_wallet``: BTC (base58check P2PKH/P2SH, bech32/bech32m ``bc1``), ETH (``0x`` + 40 hex,
  EIP-55 checksum checked when mixed case, given in its checksummed form), TRON (``T…``
  base58check). Every checksum is verified: a mistyped address is not an indicator.
  ``detail`` is the network: ``bitcoin``, ``ethereum``, ``tron``.
- ``social_handle``: ``@name`` lower-cased; ``t.me/name`` gives ``@name`` (and a url),
  ``wa.me/60123456789`` gives a phone (and a url). ``detail`` is the platform when known.

Scam messages often arrive defanged already (``hxxps://example[.]com``); links are re-fanged
before storage so the same link reported twice is the same value, and defanged again in
everything a human reads.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache

import phonenumbers
from publicsuffixlist import PublicSuffixList

from harmline.reports.model import Indicator

# --- re-fanging and defanging -------------------------------------------------------------------

_REFANG = (
    (re.compile(r"\bh(?:xx|XX|\*\*|tt)p(s?)(?:\[:\]|\(:\)|:)//", re.IGNORECASE), r"http\1://"),
    (re.compile(r"\bfxp://", re.IGNORECASE), "ftp://"),
    (re.compile(r"\s?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\})\s?", re.IGNORECASE), "."),
    (re.compile(r"\[:\]//|\[://\]"), "://"),
    (re.compile(r"\s?(?:\[@\]|\(@\)|\[at\]|\(at\))\s?", re.IGNORECASE), "@"),
)

# Bare domains are only taken with a suffix the Public Suffix List knows (checked after matching).
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![\w@-])(?:[/?#][^\s<>\"']*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"…。，、！？）」』>"


def refang(text: str) -> str:
    for pattern, replacement in _REFANG:
        text = pattern.sub(replacement, text)
    return text


def defang(text: str) -> str:
    """Make every link in ``text`` unclickable: ``https://a.com/x`` → ``hxxps://a[.]com/x``."""

    def _one(match: re.Match[str]) -> str:
        url = match.group(0)
        scheme, sep, rest = url.partition("://")
        if not sep:
            scheme, rest = "", url
            if not _known_suffix(url):
                return url
        host, slash, path = rest.partition("/")
        host = host.replace(".", "[.]")
        prefix = scheme.lower().replace("http", "hxxp") + "://" if sep else ""
        return f"{prefix}{host}{slash}{path}"

    return _URL.sub(_one, refang(text))


# --- Public Suffix List ---------------------------------------------------------------------------

# Link shorteners and redirectors seen in ASEAN scam messages (registrable domains).
SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "v.gd", "cutt.ly", "rb.gy",
    "shorturl.at", "shorturl.asia", "s.id", "t.ly", "tiny.cc", "rebrand.ly", "bl.ink", "buff.ly", "lnkd.in",
    "shorte.st", "adf.ly", "bit.do", "soo.gd", "qrco.de", "linktr.ee", "u.to", "clck.ru", "x.gd",
    "ouo.io", "short.gy", "urlz.fr", "tinu.be", "surl.li", "shrtco.de", "gg.gg", "han.gl", "me2.do",
    "rebrandly.com", "bitly.ws", "tny.im", "1url.cz", "urlis.net", "shope.ee", "lin.ee", "wa.link",
})


@cache
def _psl() -> PublicSuffixList:
    return PublicSuffixList()  # reads the list bundled with the package; never fetches


def _host(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else url
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    return host.strip(".").lower()


def _known_suffix(url: str) -> bool:
    host = _host(url)
    return "." in host and _psl().publicsuffix(host, accept_unknown=False) is not None


def registrable_domain(url_or_host: str) -> str | None:
    """``https://login.maybank2u.com.my/x`` → ``maybank2u.com.my`` (None for IP addresses or bare suffixes)."""
    host = _host(url_or_host)
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    result: str | None = _psl().privatesuffix(host, accept_unknown=False)
    return result


def is_shortener(url_or_host: str) -> bool:
    domain = registrable_domain(url_or_host)
    return domain is not None and (domain in SHORTENERS or _host(url_or_host) in SHORTENERS)


# --- crypto checksums -----------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def _b58check_payload(text: str) -> bytes | None:
    """The payload of a base58check string, or None when a character or the checksum is wrong."""
    number = 0
    for char in text:
        index = _B58_INDEX.get(char)
        if index is None:
            return None
        number = number * 58 + index
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\0" * (len(text) - len(text.lstrip("1"))) + raw
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
        return None
    return payload


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32M_CONST = 0x2BC830A3


def _bech32_polymod(values: Iterable[int]) -> int:
    generators = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(generators):
            check ^= generator if (top >> i) & 1 else 0
    return check


def _valid_segwit(address: str) -> bool:
    """A bech32 (v0) or bech32m (v1+) ``bc1`` address with a correct checksum and program length."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, _, data_part = address.rpartition("1")
    if hrp != "bc" or len(data_part) < 7 or any(c not in _BECH32 for c in data_part):
        return False
    data = [_BECH32.index(c) for c in data_part]
    const = _bech32_polymod([ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data)
    version, program5 = data[0], data[1:-6]
    if version > 16 or const != (1 if version == 0 else _BECH32M_CONST):
        return False
    acc = bits = 0
    program = []
    for value in program5:
        acc, bits = (acc << 5) | value, bits + 5
        while bits >= 8:
            bits -= 8
            program.append((acc >> bits) & 0xFF)
    if bits >= 5 or (acc << (8 - bits)) & 0xFF:
        return False
    return 2 <= len(program) <= 40 and (version != 0 or len(program) in (20, 32))


_KECCAK_RC = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)
_KECCAK_ROT = ((0, 36, 3, 41, 18), (1, 44, 10, 45, 2), (62, 6, 43, 15, 61), (28, 55, 25, 21, 56),
               (27, 20, 39, 8, 14))
_MASK64 = (1 << 64) - 1


def _rol(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK64 if shift else value


def keccak256(data: bytes) -> bytes:
    """Ethereum's Keccak-256 (not NIST SHA3-256, which hashlib has); only EIP-55 checks need it."""
    rate = 136
    message = bytearray(data) + b"\x01"
    message += b"\0" * (-len(message) % rate)
    message[-1] |= 0x80
    state = [0] * 25
    for offset in range(0, len(message), rate):
        for i in range(rate // 8):
            state[i] ^= int.from_bytes(message[offset + 8 * i: offset + 8 * i + 8], "little")
        for rc in _KECCAK_RC:
            c = [state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20] for x in range(5)]
            d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
            a = [state[i] ^ d[i % 5] for i in range(25)]
            b = [0] * 25
            for x in range(5):
                for y in range(5):
                    b[y + 5 * ((2 * x + 3 * y) % 5)] = _rol(a[x + 5 * y], _KECCAK_ROT[x][y])
            state = [b[i] ^ (~b[(i % 5 + 1) % 5 + 5 * (i // 5)] & b[(i % 5 + 2) % 5 + 5 * (i // 5)])
                     for i in range(25)]
            state[0] ^= rc
    return b"".join(state[i].to_bytes(8, "little") for i in range(4))


def eip55(address: str) -> str:
    """``0x`` + 40 hex digits in EIP-55 mixed-case checksum form."""
    hexdigits = address[2:].lower()
    digest = keccak256(hexdigits.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if int(h, 16) >= 8 else c for c, h in zip(hexdigits, digest[:40], strict=True))


def crypto_network(address: str) -> str | None:
    """``bitcoin``, ``ethereum`` or ``tron`` when ``address`` is valid with its checksum, else None."""
    if address[:2] == "0x" and len(address) == 42:
        if re.fullmatch(r"0x[0-9a-fA-F]{40}", address) is None:
            return None
        body = address[2:]
        if body.lower() != body and body.upper() != body and eip55(address) != address:
            return None
        return "ethereum"
    if address[:3].lower() == "bc1":
        return "bitcoin" if _valid_segwit(address) else None
    payload = _b58check_payload(address)
    if payload is None or len(payload) != 21:
        return None
    if address[0] in "13" and payload[0] in (0x00, 0x05):
        return "bitcoin"
    if address[0] == "T" and payload[0] == 0x41:
        return "tron"
    return None


def _normal_crypto(address: str, network: str) -> str:
    if network == "ethereum":
        return eip55(address)
    if network == "bitcoin" and address[:3].lower() == "bc1":
        return address.lower()
    return address


_CRYPTO = re.compile(
    r"(?<![0-9A-Za-z])(?:0x[0-9a-fA-F]{40}|(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{6,87}"
    r"|[13][1-9A-HJ-NP-Za-km-z]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})(?![0-9A-Za-z])"
)

# --- banks and e-wallets --------------------------------------------------------------------------

# Canonical name → ways of writing it. Longest spellings are tried first.
BANKS: dict[str, tuple[str, ...]] = {
    # Malaysia, Brunei, Singapore
    "Maybank": ("maybank", "maybank2u"), "CIMB": ("cimb",), "Public Bank": ("public bank", "pbb"),
    "RHB": ("rhb",), "Hong Leong Bank": ("hong leong", "hlb"), "AmBank": ("ambank",),
    "Bank Islam": ("bank islam",), "BSN": ("bsn",), "Bank Rakyat": ("bank rakyat",),
    "Alliance Bank": ("alliance bank",), "Affin Bank": ("affin",), "BIBD": ("bibd",), "Baiduri": ("baiduri",),
    "DBS": ("dbs",), "POSB": ("posb",), "OCBC": ("ocbc",), "UOB": ("uob",),
    # Indonesia
    "BCA": ("bca",), "BRI": ("bri",), "BNI": ("bni",), "Mandiri": ("mandiri",), "BSI": ("bsi",),
    "CIMB Niaga": ("cimb niaga",), "Permata": ("permata",), "Danamon": ("danamon",), "BTN": ("btn",),
    "Bank Jago": ("bank jago",), "SeaBank": ("seabank",),
    # Philippines
    "BDO": ("bdo",), "BPI": ("bpi",), "Metrobank": ("metrobank",), "Landbank": ("landbank",),
    "UnionBank": ("unionbank",), "PNB": ("pnb",), "RCBC": ("rcbc",), "Security Bank": ("security bank",),
    "Chinabank": ("chinabank",),
    # Thailand
    "Kasikornbank": ("kasikorn", "kbank", "กสิกร"), "SCB": ("scb", "ไทยพาณิชย์"),
    "Bangkok Bank": ("bangkok bank", "กรุงเทพ"), "Krungthai": ("krungthai", "ktb", "กรุงไทย"),
    "Krungsri": ("krungsri", "กรุงศรี"), "ttb": ("ttb", "ทหารไทยธนชาต"), "GSB": ("gsb", "ออมสิน"),
    # Vietnam
    "Vietcombank": ("vietcombank", "vcb"), "Techcombank": ("techcombank", "tcb"), "BIDV": ("bidv",),
    "Agribank": ("agribank",), "VietinBank": ("vietinbank",), "MB Bank": ("mb bank", "mbbank"),
    "ACB": ("acb",), "VPBank": ("vpbank",), "Sacombank": ("sacombank",), "TPBank": ("tpbank",),
    # Cambodia, Laos, Myanmar, Timor-Leste
    "ABA": ("aba",), "ACLEDA": ("acleda",), "Wing Bank": ("wing bank",), "Canadia": ("canadia",),
    "BCEL": ("bcel",), "LDB": ("ldb",), "KBZ Bank": ("kbz bank", "kbz"), "AYA Bank": ("aya bank", "aya"),
    "CB Bank": ("cb bank",), "Yoma Bank": ("yoma",), "BNU": ("bnu",), "BNCTL": ("bnctl",),
    "Bank Mandiri": ("bank mandiri",),
    # Chinese names
    "ICBC": ("icbc", "工商银行"), "Bank of China": ("中国银行",),
}
# Wallet → (ways of writing it, home country where its ids are phone numbers, or None).
EWALLETS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "GCash": (("gcash", "g-cash", "g cash"), "PH"), "Maya": (("paymaya", "maya"), "PH"),
    "DANA": (("dana",), "ID"), "OVO": (("ovo",), "ID"), "GoPay": (("gopay", "go-pay"), "ID"),
    "ShopeePay": (("shopeepay", "shopee pay", "spay"), None), "LinkAja": (("linkaja",), "ID"),
    "Touch 'n Go": (("touch 'n go", "touch n go", "touchngo", "tng ewallet", "tng", "tngo"), "MY"),
    "Boost": (("boost",), "MY"), "GrabPay": (("grabpay", "grab pay"), None),
    "TrueMoney": (("truemoney", "true money", "ทรูมันนี่"), "TH"), "PromptPay": (("promptpay", "พร้อมเพย์"), "TH"),
    "MoMo": (("momo", "ví momo"), "VN"), "ZaloPay": (("zalopay",), "VN"), "ViettelPay": (("viettelpay",), "VN"),
    "KBZPay": (("kbzpay", "kbz pay"), "MM"), "WavePay": (("wavepay", "wave pay", "wave money"), "MM"),
    "AYA Pay": (("aya pay", "ayapay"), "MM"), "Pi Pay": (("pi pay", "pipay"), "KH"),
    "Wing": (("wing money",), "KH"), "M-Money": (("m-money", "mmoney"), "LA"), "U-Money": (("u-money",), "LA"),
}


def _alternation(spellings: Iterable[str]) -> str:
    return "|".join(re.escape(s).replace(r"\ ", r"\s?") for s in sorted(set(spellings), key=len, reverse=True))


_BANK_OF = {s: name for name, spellings in BANKS.items() for s in spellings}
_WALLET_OF = {s: name for name, (spellings, _) in EWALLETS.items() for s in spellings}
_NAME_EDGE_L, _NAME_EDGE_R = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_BANK_NAME = re.compile(_NAME_EDGE_L + f"(?:{_alternation(_BANK_OF)})" + _NAME_EDGE_R, re.IGNORECASE)

# Words saying "bank account (number)" in the region's languages.
_ACCOUNT_WORDS = (
    r"\bakaun\b|\bno\.?\s?akaun\b|\brekening\b|no\.?\s?rek(?:ening)?\.?|norek|rek\.|account(?:\s?(?:no|number|num))?\.?"
    r"|acct\.?|acc\.?\s?no\.?|a/c|บัญชี|เลขบัญชี|tài\s?khoản|tai\s?khoan|số\s?tk|so\s?tk|stk|(?<![A-Za-z])tk"
    r"|账号|账户|帳號|卡号|银行卡|គណនី|ເລກບັນຊີ|ບັນຊີ|အကောင့်|ဘဏ်စာရင်း"
    r"|\bkonta(?:\s?banku)?\b|\bconta\b|nombor\s?akaun"
)
_DIGIT_GROUP = r"\d(?:[ \-.]?\d){6,21}"
_LONG_NUMBER = re.compile(r"\d(?:[ \-.]?\d){6}")  # the shortest number a wallet, account or phone can be
_ACCOUNT = re.compile(
    rf"(?:{_ACCOUNT_WORDS})(?P<gap>[^\d\n]{{0,30}}?)(?P<number>{_DIGIT_GROUP})(?![\d])", re.IGNORECASE)
_BANK_THEN_NUMBER = re.compile(
    _NAME_EDGE_L + f"(?P<bank>{_alternation(_BANK_OF)})" + _NAME_EDGE_R
    + rf"[\s:：\-]{{0,3}}(?:(?:no|no\.|number|acc|account|ke)\s?[:.]?\s?)?(?P<number>{_DIGIT_GROUP})(?![\d])",
    re.IGNORECASE)
_WALLET = re.compile(
    _NAME_EDGE_L + f"(?P<wallet>{_alternation(_WALLET_OF)})" + _NAME_EDGE_R
    + r"(?P<gap>[^\d\n+@]{0,25}?)(?P<number>\+?\d(?:[ \-.]?\d){6,15})(?![\d])",
    re.IGNORECASE)

# --- phones ---------------------------------------------------------------------------------------

ASEAN_REGIONS = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN")
_ASEAN_CODES = sorted((str(phonenumbers.country_code_for_region(r)) for r in ASEAN_REGIONS), key=len, reverse=True)
_INTERNATIONAL = re.compile(
    rf"(?<![\d+\w])(?P<prefix>\+|00)?\s?(?P<cc>{'|'.join(_ASEAN_CODES)})[ \-.]?(?:\(0\)\s?)?"
    r"(?P<rest>\d(?:[ \-.]?\d){6,11})(?![\d])")
# "us" alone is no currency: "message us 0917…", "contact us +63…" are phones. US dollars are
# "US$ 500" (the "$"), "USD 500" or "US 500 dollars" (the word after the number).
_CURRENCY_BEFORE = re.compile(
    r"(?:\b(?:rp|rm|php|usd|sgd|thb|vnd|mmk|idr|myr|bnd|khr|lak|riel|kip|ks|k|b|s|baht|peso|pesos|ringgit|"
    r"rupiah|dong|kyat|usdt)\.?|[₱$฿₫៛₭€¥£元]|(?<![^\W\d_])đ)\s*[:=]?\s*$",
    re.IGNORECASE)
_CURRENCY_AFTER = re.compile(
    r"^\s*(?:(?:rp|rm|php|usd|sgd|thb|vnd|mmk|idr|myr|bnd|khr|lak|riel|kip|ks|k|baht|peso|pesos|ringgit|rupiah|"
    r"dong|đồng|dongs|kyat|juta|jt|rb|ribu|triệu|trieu|tr|nghìn|ngàn|usdt|dollars?|dolar|dólares|dólar)\b|[₱$฿₫៛₭元块]|đ(?![^\W\d_])|บาท|ริงกิต|ရှင်|ကျပ်|រៀល|ກີບ)",
    re.IGNORECASE)
_CODE_BEFORE = re.compile(
    r"(?:\b(?:otp|tac|pin|kod|kode|code|codes|mã|ma|verification|verifikasi|pengesahan)\b|รหัส|验证码|驗證碼|代码|"
    r"លេខកូដ|ລະຫັດ|ကုဒ်)[^\d\n]{0,12}$",
    re.IGNORECASE)
_ACCOUNT_BEFORE = re.compile(rf"(?:{_ACCOUNT_WORDS})(?P<gap>[^\d\n]{{0,25}})$", re.IGNORECASE)
# "call / phone / WhatsApp" between an account word and a number: the number is a phone
# ("ให้โอนเข้าบัญชีปลอดภัย โทร 081-234-5678", "tài khoản Vietcombank. Zalo 0912 345 678").
_PHONE_CUE = re.compile(
    r"\b(?:call|phone|tel|telp|hp|mobile|hubungi|telefon|telepon|whatsapp|wa|zalo|viber|line|sđt|sdt|gọi|goi"
    r"|điện thoại|tawag|text)\b|โทร|ติดต่อ|电话|電話|致电|ဖုန်း|ទូរស័ព្ទ|ទាក់ទង|ໂທ",
    re.IGNORECASE)
_DATE = re.compile(r"^\s*(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|\d{1,2}[/.\-]\d{1,2})\s*$")
# A number against a digit across "/" or ":" is part of a date, a time or a ratio ("12/11/2025",
# "10:30"); a colon after a word ("Viber:0917…", "WA:0812…") or closing a number ("From 0917…:")
# is only punctuation.
_DATE_OR_TIME_BEFORE = re.compile(r"(?:/|\d\s*:)\s*$")
_DATE_OR_TIME_AFTER = re.compile(r"^\s*(?:/|:\s*\d)")

# --- social handles -------------------------------------------------------------------------------

_HANDLE = re.compile(r"(?<![\w@./])@(?P<name>[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,30}[A-Za-z0-9_]))(?![\w@])")
_PLATFORM_WORDS = (
    ("telegram", re.compile(r"\b(?:telegram|tele|tg)\b|เทเลแกรม|电报|飞机", re.IGNORECASE)),
    ("instagram", re.compile(r"\b(?:instagram|insta|ig)\b|ไอจี", re.IGNORECASE)),
    ("tiktok", re.compile(r"\b(?:tiktok|tik tok|tt)\b|抖音", re.IGNORECASE)),
    ("x", re.compile(r"\b(?:twitter|x\.com|x)\b", re.IGNORECASE)),
)
_PROFILE_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?(?P<host>t\.me|telegram\.me|telegram\.dog|instagram\.com|tiktok\.com|x\.com|"
    r"twitter\.com)/(?P<at>@?)(?P<name>[A-Za-z0-9_.]{2,32})/?(?:[?#].*)?$", re.IGNORECASE)
_PROFILE_PLATFORM = {"t.me": "telegram", "telegram.me": "telegram", "telegram.dog": "telegram",
                     "instagram.com": "instagram", "tiktok.com": "tiktok", "x.com": "x", "twitter.com": "x"}
_NOT_PROFILES = {"joinchat", "s", "c", "addstickers", "share", "proxy", "iv", "p", "reel", "reels", "explore",
                 "stories", "login", "accounts", "home", "search", "intent", "i", "hashtag", "video", "tag",
                 "discover", "settings", "privacy", "legal", "about"}
_WHATSAPP = re.compile(
    r"^(?:https?://)?(?:wa\.me/\+?(?P<a>\d{7,15})|(?:api\.|web\.)?whatsapp\.com/send/?\?(?:.*&)?phone=\+?(?P<b>\d{7,15}))",
    re.IGNORECASE)

# --- text normalisation ---------------------------------------------------------------------------

# Thai, Lao, Khmer, Myanmar, Arabic-Indic, full-width… digits read as ASCII (one character each,
# so positions do not move).
_DIGIT_MAP = {c: str(unicodedata.digit(chr(c))) for c in range(0x660, 0x1FBFA)
              if unicodedata.category(chr(c)) == "Nd" and not chr(c).isascii()}
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def _normalise(text: str) -> str:
    return refang(text.translate(_DIGIT_MAP).translate(_FULLWIDTH))


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


class _Found:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], tuple[int, str | None]] = {}

    def add(self, position: int, kind: str, value: str, detail: str | None = None) -> None:
        key = (kind, value)
        if key not in self.items:
            self.items[key] = (position, detail)
        elif detail and not self.items[key][1]:
            self.items[key] = (self.items[key][0], detail)

    def indicators(self) -> list[Indicator]:
        ordered = sorted(self.items.items(), key=lambda item: item[1][0])
        return [Indicator(kind, value, detail) for (kind, value), (_, detail) in ordered]


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_from_digits(raw: str, region: str | None) -> str | None:
    """A wallet id or wa.me number as E.164 when it is a valid phone number, else None."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    return _e164(number) if phonenumbers.is_valid_number(number) else None


def _not_a_phone(text: str, start: int, end: int) -> bool:
    """Amounts, OTP codes, dates and stated bank accounts look like numbers but are not phones."""
    before, after = text[max(0, start - 30): start], text[end: end + 12]
    if _CURRENCY_BEFORE.search(before[-8:]) or _CURRENCY_AFTER.match(after):
        return True
    account = _ACCOUNT_BEFORE.search(before)
    if _CODE_BEFORE.search(before) or (account is not None and not _PHONE_CUE.search(account.group("gap"))):
        return True
    if _DATE.match(text[start:end]) or _DATE_OR_TIME_BEFORE.search(before) or _DATE_OR_TIME_AFTER.match(after):
        return True
    return bool(re.match(r"^[.,]\d", after))  # a decimal amount cut short (1.500.000,00)


# --- extraction -----------------------------------------------------------------------------------


def extract_indicators(text: str, country: str) -> list[Indicator]:
    """Every indicator in ``text``; local phone numbers are read in ``country`` (ISO alpha-2) first."""
    plain = _normalise(text)
    found = _Found()
    region = country.upper() if country else "ZZ"

    # The long patterns below cost most of the time: skip those the text cannot match at all.
    has_at = "@" in plain
    has_number = _LONG_NUMBER.search(plain) is not None

    for match in _EMAIL.finditer(plain) if has_at else ():
        found.add(match.start(), "email", match.group(0).lower())
        plain = _blank(plain, match.start(), match.end())

    for match in _CRYPTO.finditer(plain):
        address = match.group(0)
        network = crypto_network(address)
        if network is not None:
            found.add(match.start(), "crypto_wallet", _normal_crypto(address, network), network)
        plain = _blank(plain, match.start(), match.end())  # a mistyped address is not a phone either

    for match in _URL.finditer(plain):
        url = match.group(0).rstrip(_TRAILING)
        if "://" not in url and not url.lower().startswith("www.") and not _known_suffix(url):
            continue
        _url(found, match.start(), url)
        plain = _blank(plain, match.start(), match.end())

    for match in _HANDLE.finditer(plain) if has_at else ():
        name = match.group("name").rstrip(".")
        if not any(c.isalpha() for c in name) or len(name) < 3:
            continue
        window = plain[max(0, match.start() - 40): match.end() + 25]
        platform = next((p for p, words in _PLATFORM_WORDS if words.search(window)), None)
        found.add(match.start(), "social_handle", "@" + name.lower(), platform)
        plain = _blank(plain, match.start(), match.end())

    for match in _WALLET.finditer(plain) if has_number else ():
        wallet = _WALLET_OF.get(re.sub(r"\s+", " ", match.group("wallet").lower()))
        if wallet is None:
            continue
        raw = match.group("number")
        home = EWALLETS[wallet][1] or region
        value = _phone_from_digits(raw, home) or _digits(raw)
        found.add(match.start("number"), "ewallet", value, wallet)
        plain = _blank(plain, match.start("number"), match.end("number"))

    for pattern in (_ACCOUNT, _BANK_THEN_NUMBER) if has_number else ():
        for match in pattern.finditer(plain):
            digits = _digits(match.group("number"))
            if not 8 <= len(digits) <= 20 or _CURRENCY_AFTER.match(plain[match.end():match.end() + 12]):
                continue
            if "gap" in match.groupdict() and _PHONE_CUE.search(match.group("gap") or ""):
                continue
            window = plain[max(0, match.start() - 40): match.end() + 40]
            bank = _BANK_NAME.search(window)
            name = _BANK_OF.get(re.sub(r"\s+", " ", bank.group(0).lower())) if bank else None
            found.add(match.start("number"), "bank_account", digits, name)
            plain = _blank(plain, match.start("number"), match.end("number"))

    # phonenumbers is the slow step: only ask it when there are enough digits for a number.
    if sum(c.isdigit() for c in plain) >= 7:
        _phones(found, plain, region)
    return found.indicators()


def _url(found: _Found, position: int, url: str) -> None:
    domain = registrable_domain(url)
    detail = None
    if domain is not None:
        detail = domain + (";shortener" if is_shortener(url) else "")
    found.add(position, "url", url, detail)
    whatsapp = _WHATSAPP.match(url)
    if whatsapp:
        phone = _phone_from_digits("+" + (whatsapp.group("a") or whatsapp.group("b")), None)
        if phone:
            found.add(position, "phone", phone, "whatsapp")
        return
    profile = _PROFILE_URL.match(url)
    if profile:
        host = profile.group("host").lower()
        name = profile.group("name").rstrip(".")
        at_required = host == "tiktok.com"
        if (name.lower() not in _NOT_PROFILES and (profile.group("at") or not at_required)
                and any(c.isalpha() for c in name) and not name.startswith("+")):
            found.add(position, "social_handle", "@" + name.lower(), _PROFILE_PLATFORM[host])


def _phones(found: _Found, plain: str, region: str) -> None:
    taken: list[tuple[int, int]] = []
    if region in phonenumbers.SUPPORTED_REGIONS:
        for hit in phonenumbers.PhoneNumberMatcher(plain, region, leniency=phonenumbers.Leniency.VALID):
            taken.append((hit.start, hit.end))
            if _not_a_phone(plain, hit.start, hit.end):
                continue
            digits = _digits(hit.raw_string)
            # "0084 …" read with another country's international prefix rules: it is still Vietnam's +84.
            written = _phone_from_digits("+" + digits[2:], None) if digits.startswith("00") else None
            found.add(hit.start, "phone", written or _e164(hit.number))
    # Numbers with an ASEAN country's international prefix (+60, 0060, or 60… that is no local number).
    for match in _INTERNATIONAL.finditer(plain):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        if _not_a_phone(plain, match.start(), match.end()):
            continue
        digits = match.group("cc") + _digits(match.group("rest"))
        if not match.group("prefix") and _phone_from_digits(_digits(match.group(0)), region):
            continue  # a valid local number of the report's country is read as one
        phone = _phone_from_digits("+" + digits, None)
        if phone:
            found.add(match.start(), "phone", phone)


_CLOCK_LINE = re.compile(r"\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?")
# A QR code's content that holds no link, number or account is kept as it is, this long at most.
_MAX_CODE_LENGTH = 300


def indicators_read(text: str, codes: Sequence[str], country: str) -> list[Indicator]:
    """The indicators in what was read from an image: its text ("image"), then each QR code
    ("qr"), whose content, when it is no link, number or account, is kept whole (a payment QR
    names the payee)."""
    # The lines are where the screen wrapped, not where the sender did: "GCash" at the end of one
    # line names the wallet number at the start of the next, and a number may run across two.
    # A line that is only a clock time (a chat bubble's "15:42") would run into the number before it.
    flowing = " ".join(line for line in text.splitlines() if not _CLOCK_LINE.fullmatch(line.strip()))
    found = [Indicator(i.kind, i.value, i.detail, "image") for i in extract_indicators(flowing, country)]
    for code in codes:
        inside = extract_indicators(code, country)
        found += [Indicator(i.kind, i.value, i.detail, "qr") for i in inside] or [
            Indicator("qr_code", code[:_MAX_CODE_LENGTH], None, "qr")]
    return found
