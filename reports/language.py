"""Language detection for short citizen reports, in layers, cheapest and surest first.

1. Unicode script: Thai, Lao, Khmer, Myanmar, Tamil and Han are each one language here: decisive.
2. Latin script: letters only Vietnamese uses (ă ơ ư đ ạ …) decide Vietnamese.
3. Function words: every Latin-script language of the region has frequent little words (Malay
   "yang, tak, boleh", Indonesian "yang, nggak, bisa", Filipino "ang, ng, po", Tetum "ha'u, iha,
   ne'e", Portuguese "não, você", Vietnamese typed without accents "toi, khong, duoc", English
   "the, you"); a clear vote decides. Malay and Indonesian share most of theirs and are told
   apart by the words only one of them uses.
4. langdetect, restricted to the region's Latin-script languages (seeded, profiles loaded once),
   for what the words leave open; it knows no Malay or Tetum, so its Indonesian and Portuguese
   answers pass through the Malay/Indonesian and Tetum word tests again.
5. Priors: Telegram's ``language_code`` when the text is too short or undecided, and the
   report's country between Malay and Indonesian (Malaysia/Brunei/Singapore → Malay).

Links and e-mail addresses say nothing about the language ("com" is Portuguese for "with"): they
are taken out before any layer looks at the text, so a text that is only a link is undetermined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import langdetect
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from harmline.i18n.languages import negotiate

UNDETERMINED = "und"

_SCRIPTS = {
    "th": re.compile(r"[\u0E00-\u0E7F]"),
    "lo": re.compile(r"[\u0E80-\u0EFF]"),
    "km": re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]"),
    "my": re.compile(r"[\u1000-\u109F\uAA60-\uAA7F\uA9E0-\uA9FF]"),
    "ta": re.compile(r"[\u0B80-\u0BFF]"),
    "zh": re.compile(r"[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]"),
}
# Letters only Vietnamese uses among the region's Latin-script languages.
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Links (also defanged: hxxps://, example[.]com) and e-mail addresses, found per word. Bare domains
# only with a common generic suffix, or a country suffix behind a second level ("go.id", "com.my")
# or before a path ("s.id/x"), so that "ok.lah" or "Mr.Tan" stay words.
_DOT = r"(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))"
_LINK = re.compile(
    r"(?:h(?:tt|xx)ps?|ftp|fxp)(?::|\[:\])//"
    rf"|^\W*www{_DOT}"
    rf"|(?:@|\[@\]|\(@\)|\[at\]|\(at\))[\w-]+{_DOT}\w"
    rf"|\w{_DOT}(?:com|net|org|info|biz|xyz|top|site|online|shop|store|vip|club|app|io|ly|me|cc|gd|link|live"
    r"|asia|icu|pw|ws|fun|bet|win|cash|loan|pro|cloud|space|website|tk|ml|ga|cf|gq)(?![\w-])"
    rf"|\w{_DOT}(?:com|co|go|or|net|gov|edu|org|ac|web|biz|in){_DOT}[a-z]{{2}}(?![\w-])"
    rf"|\w{_DOT}[a-z]{{2}}/",
    re.IGNORECASE)
# Cheap test whether a text may hold a link at all (most hold none).
_MAY_LINK = re.compile(rf"\w{_DOT}\w|@|\[at\]|\(at\)|//", re.IGNORECASE)
# Links are runs of printable ASCII not glued to a Latin letter before them: Thai, Lao, Khmer, Burmese
# or Chinese written against a link without a space stays, and so do Vietnamese words ("tại:bit.ly/x").
_ASCII_RUN = re.compile(r"(?<![A-Za-z\u00C0-\u024F\u1E00-\u1EFF])[!-~]+")


def _without_links(text: str) -> str:
    if not _MAY_LINK.search(text):
        return text
    return _ASCII_RUN.sub(lambda run: " " if _LINK.search(run.group()) else run.group(), text)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Frequent function words and everyday report words, per language. "ms" holds what Malay and
# Indonesian share; the two lists after it tell them apart.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words("the and you your is are to of for this that with my me have was it on please will from they he "
                 "she we not be can i am has been but if what who do did got just call said asked a an at by or "
                 "our their them its there here all when then so about into money account bank"),
    "ms": _words("saya anda yang dan untuk ini itu dengan tidak ke di dari kami mereka sudah telah akan ada dia "
                 "minta kena tipu beri hari juga lagi sini sana mana kalau tapi atau pada oleh sebab jadi baru "
                 "orang cuma hanya semua dah kat nak ni"
                 # Shorthand both write in SMS and chat (yang, dengan, saya, tapi, juga, belum, untuk…).
                 " yg dgn sy tp jg blm utk tdk sdh krn"),
    "fil": _words("ang ng mga sa po na ako ko mo ay hindi ito kayo namin lang yung naman niya siya ka ba si kay "
                  "nang pero kasi para sila nila natin tayo kami ninyo ninyong akin dito doon wala may mayroon "
                  "lahat din rin daw raw pa nga talaga paano bakit"),
    "vi": _words("toi ban la cua khong duoc tien chuyen khoan nguoi nay cho voi da bi lua dao tai va co cac "
                 "nhung mot hay roi gi nao minh ho anh chi em vay trieu dong nhan so dien thoai ngan hang lien he "
                 "ngay oi con roi mai goi lai nha minh lam gi"),
    "tet": _words("ha'u hau ita sira iha husi ne'e nee ona atu la tanba maibé maibe mak nia ho ba hodi halo ema "
                  "osan simu haruka lori tiha hanesan bele labele sei ka'an kaan agora oinsá oinsa saida se'e "
                  "nu'udar ami imi hotu deit mos mós fali nafatin loron keta loos lae seidauk hetan foti tau "
                  "hamutuk aban ohin servisu haan ne'ebé neebe sé"),
    "pt": _words("o a os as um uma de do da dos das em no na nos nas que não nao você voce seu sua meu minha "
                 "para por com é e foi está esta estou são mas como muito pelo pela ao aos isso este esta "
                 "dinheiro conta banco nesse nessa isso esse essa aqui já também tem ter"),
}
# ("pinjaman", a loan, is the standard word in both: Indonesian loan adverts say "pinjaman online".)
_MALAY_ONLY = _words(
    "awak boleh tak akaun wang duit sila percuma tahniah bayaran pautan nombor talian nak mahu betul kereta bila "
    "encik kerajaan polis telefon peribadi hantar dapat la lah ni tu takde tiada sahaja kena macam "
    "camne guna rm ringgit mesej yuran"
)
# Informal Indonesian (chat and SMS spellings) and the vocabulary of Indonesian loan adverts
# ("dana cair", disbursed; "agunan", collateral; KTP, the identity card), which Malay says otherwise
# ("lulus", "cagaran", IC/MyKad).
_INDONESIAN_INFORMAL = _words(
    "gak nggak enggak ngga gk ga udah udh aja gue gw nih banget bgt sih deh kok gimana gmn emang bs nipu "
    "dapet pake akun butuh cair agunan ktp pinjol"
    # Comment-section Indonesian (laughter, praise, slang), which Tagalog never writes
    " wkwk wkwkwk wkwkwkwk wkwkwk anjay anjir gokil ngakak seru keren beneran bener gitu gini"
    " kayak kyk bikin dong kak mantap mantul kocak"
)
_INDONESIAN_ONLY = _words(
    "bisa rekening uang silakan gratis pembayaran tautan nomor mau benar mobil kapan bapak "
    "pemerintah polisi segera telepon kirim dapetin lu lo dong belum pulsa rp rupiah kak bang min"
    # Written Indonesian, as news and forwarded posts have it (Malay: bahawa, kerana, kesihatan,
    # mengandungi, khabar, doktor, ubat, pejabat, pelbagai, maklumat).
    " bahwa karena kesehatan mengandung kabar dokter obat kantor berbagai informasi padahal provinsi kabupaten"
) | _INDONESIAN_INFORMAL
# Phrases of Indonesian loan adverts; each counts as one more Indonesian-only word.
_INDONESIAN_PHRASES = re.compile(
    r"\b(?:dana\s+cair|cair\s+(?:cepat|dalam|hari)|tanpa\s+agunan|bunga\s+(?:rendah|ringan)|syarat\s+(?:ktp|mudah)"
    r"|hubungi\s+wa|pinjaman\s+(?:online|dana))\b",
    re.IGNORECASE)
# Tetum words Portuguese never uses, for when langdetect (which has no Tetum) says Portuguese.
_TETUM_ONLY = _words("ha'u hau ita sira iha husi ne'e nee ona atu tanba maibé maibe halo ema osan simu haruka lori "
                     "tiha hanesan bele labele ka'an oinsá saida ami imi hotu deit fali nafatin loron keta loos "
                     "seidauk hetan foti hamutuk ne'ebé")
# langdetect profiles worth asking about here: the region's Latin-script languages, and a few
# near neighbours that absorb text which is none of them.
_PROFILES = ("en", "id", "vi", "tl", "pt", "es", "fr", "nl", "de", "so", "sw")
_MAPPED = {"tl": "fil"}
SHORT_TEXT = 20
# A detection this sure is the language the citizen writes in: they are answered in it even when
# Telegram's language_code says another (scripts give 0.99; Latin-script word votes need a margin
# of three function words).
CONFIDENT = 0.7
LANGDETECT_TEXT = 400
MALAY_COUNTRIES = frozenset({"MY", "BN", "SG"})


@dataclass(frozen=True)
class Detection:
    language: str  # a locale code of i18n.LANGUAGES, or "und"
    confidence: float


class LanguageDetector(Protocol):
    def detect(self, text: str, language_code: str | None = None, country: str | None = None) -> Detection: ...


def _script_language(text: str, letters: int) -> str | None:
    """The non-Latin script of the text, when it is a fair part of the letters."""
    best, count = None, 0
    for language, pattern in _SCRIPTS.items():
        found = len(pattern.findall(text))
        if found > count:
            best, count = language, found
    # Brand names and links in Latin letters are common in Thai or Chinese texts: a script
    # needs only a fifth of the letters (or a handful) to decide.
    return best if count and (count >= 4 or count * 5 >= letters) else None


# What votes for Malay/Indonesian: the shared function words, and informal Indonesian, whose
# words are no function words of any list ("gw udah transfer tp blm masuk jg nih").
_VOTERS = {**_FUNCTION_WORDS, "ms": _FUNCTION_WORDS["ms"] | _INDONESIAN_INFORMAL}


def _vote(words: frozenset[str]) -> tuple[str, int, int]:
    """The language with most function words, its count, and the runner-up's count."""
    scores = sorted(((len(words & vocabulary), language) for language, vocabulary in _VOTERS.items()),
                    reverse=True)
    return scores[0][1], scores[0][0], scores[1][0]


def _malay_or_indonesian(words: frozenset[str], text: str, hint: str | None,
                         country: str | None) -> tuple[str, bool]:
    """Malay or Indonesian, and whether the words (rather than a prior) decided it."""
    malay = len(words & _MALAY_ONLY)
    indonesian = len(words & _INDONESIAN_ONLY) + len(_INDONESIAN_PHRASES.findall(text))
    if malay != indonesian:
        return ("ms" if malay > indonesian else "id"), True
    if hint in ("ms", "id"):
        return hint, False
    if country is not None:
        return ("ms" if country in MALAY_COUNTRIES else "id"), False
    return "id", False


class LayeredLanguageDetector:
    def __init__(self) -> None:
        profiles_dir = Path(langdetect.__file__).parent / "profiles"
        self._factory = DetectorFactory()
        self._factory.load_json_profile(
            [(profiles_dir / code).read_text(encoding="utf-8") for code in _PROFILES]
        )
        self._factory.set_seed(0)

    def detect(self, text: str, language_code: str | None = None, country: str | None = None) -> Detection:
        hint = negotiate(language_code)
        text = _without_links(text)
        letters = sum(1 for c in text if c.isalpha())
        if letters == 0:
            return Detection(hint or UNDETERMINED, 0.3 if hint else 0.0)
        # Plain ASCII (most Malay, Indonesian, English, Filipino reports) has no script to find.
        script = None if text.isascii() else _script_language(text, letters)
        if script is not None:
            return Detection(script, 0.99)
        if len(_VIETNAMESE.findall(text)) >= 2:
            return Detection("vi", 0.97)
        words = frozenset(w.lower() for w in _WORD.findall(text.replace("’", "'")))
        language, best, second = _vote(words)
        if (best >= 2 and best >= 2 * second + 1) or (best >= 1 and second == 0):
            # One function word with no rival is still better evidence than langdetect has on a
            # short text; more words, and a wider margin, give more confidence.
            confidence = min(0.97, 0.5 + 0.08 * (best - second))
        elif letters < SHORT_TEXT and hint is not None:
            return Detection(hint, 0.5)
        else:
            language, confidence = self._langdetect(text)
            if language == UNDETERMINED:
                return Detection(hint or UNDETERMINED, 0.4 if hint else 0.0)
        if language in ("ms", "id"):
            language, decided = _malay_or_indonesian(words, text, hint, country)
            confidence = min(confidence, 0.9 if decided else 0.7)
        elif language == "pt" and len(words & _TETUM_ONLY) >= 2:
            language, confidence = "tet", min(confidence, 0.85)
        return Detection(language, round(confidence, 3))

    def _langdetect(self, text: str) -> tuple[str, float]:
        detector = self._factory.create()
        # Three sampling trials instead of seven: the top language rarely changes on short
        # reports, and this is the costliest layer.
        detector.n_trial = 3
        # A few hundred characters settle the language; the rest of a long report only costs time.
        detector.max_text_length = LANGDETECT_TEXT
        detector.append(text)
        try:
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            return UNDETERMINED, 0.0
        language = _MAPPED.get(best.lang, best.lang)
        if language == "id":
            language = "ms"  # the Malay/Indonesian word test decides which
        if negotiate(language) is None:
            return UNDETERMINED, 0.0
        return language, float(best.prob)
