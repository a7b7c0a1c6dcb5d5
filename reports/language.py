"""First-version language detection, behind one small interface a measured detector will replace.

Layers, cheapest first: a decisive Unicode script (Thai, Lao, Khmer, Myanmar, Tamil, Han),
Vietnamese letters, then langdetect restricted to the Latin-script languages of the region
(seeded, profiles loaded once), with a short word list to tell Malay from Indonesian, which
langdetect cannot. Telegram's ``language_code`` decides when the text is too short to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import langdetect
from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from i18n.languages import negotiate

UNDETERMINED = "und"

_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0E00, 0x0E7F, "th"),
    (0x0E80, 0x0EFF, "lo"),
    (0x1780, 0x17FF, "km"),
    (0x1000, 0x109F, "my"),
    (0x0B80, 0x0BFF, "ta"),
    (0x4E00, 0x9FFF, "zh"),
)
# Letters only Vietnamese uses among the region's Latin-script languages.
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
# Common words one of Malay and Indonesian uses and the other does not.
_MALAY_ONLY = frozenset(
    "awak boleh tak akaun wang duit sila percuma tahniah bayaran pautan nombor talian nak mahu betul "
    "kereta bila encik kerajaan polis".split()
)
_INDONESIAN_ONLY = frozenset(
    "bisa gak nggak enggak rekening uang silakan gratis selamat pembayaran tautan nomor mau benar "
    "mobil kapan bapak pemerintah polisi segera".split()
)
# Frequent function words: when a text has several from one group and few from the others, it is
# decided without langdetect (most reports; langdetect costs ~0.3 ms a text). Malay and
# Indonesian share most of theirs and are told apart afterwards by the lists above.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and you your is are to of for this that with my me have was it on please will "
                    "from they he she we not be can".split()),
    "ms": frozenset("saya anda yang dan untuk ini itu dengan tidak ke di dari kami mereka sudah telah "
                    "akan ada dia boleh kena minta mahu".split()),
    "fil": frozenset("ang ng mga sa po na ako ko mo ay hindi ito kayo namin lang yung naman niya siya "
                     "ka ba".split()),
    "vi": frozenset("toi ban la cua khong duoc tien chuyen khoan nguoi nay cho voi da bi lua dao "
                    "tai".split()),
}
# langdetect profiles worth asking about here; fewer profiles make it several times faster.
_PROFILES = ("en", "id", "vi", "tl", "pt", "fr", "es", "nl", "de", "so", "sw")
_MAPPED = {"tl": "fil"}
SHORT_TEXT = 20
LANGDETECT_TEXT = 400


@dataclass(frozen=True)
class Detection:
    language: str  # a locale code of i18n.LANGUAGES, or "und"
    confidence: float


class LanguageDetector(Protocol):
    def detect(self, text: str, language_code: str | None = None) -> Detection: ...


def _script_language(text: str) -> str | None:
    counts: dict[str, int] = {}
    for char in text:
        code = ord(char)
        if code < 0x0B80:
            continue
        for low, high, language in _SCRIPTS:
            if low <= code <= high:
                counts[language] = counts.get(language, 0) + 1
                break
    return max(counts, key=lambda lang: counts[lang]) if counts else None


def _by_function_words(words: set[str]) -> tuple[str, float] | None:
    """A decisive vote of function words, or None to leave the text to langdetect."""
    hits = sorted(((len(words & vocabulary), language) for language, vocabulary in _FUNCTION_WORDS.items()),
                  reverse=True)
    (best, language), (second, _) = hits[0], hits[1]
    if best >= 3 and best >= 3 * second:
        return language, 0.85
    return None


class LayeredLanguageDetector:
    def __init__(self) -> None:
        profiles_dir = Path(langdetect.__file__).parent / "profiles"
        self._factory = DetectorFactory()
        self._factory.load_json_profile(
            [(profiles_dir / code).read_text(encoding="utf-8") for code in _PROFILES]
        )
        self._factory.set_seed(0)

    def detect(self, text: str, language_code: str | None = None) -> Detection:
        hint = negotiate(language_code)
        # Plain ASCII (most Malay, Indonesian, English, Filipino reports) has no script to find.
        script = None if text.isascii() else _script_language(text)
        if script is not None:
            return Detection(script, 0.99)
        letters = sum(1 for c in text if c.isalpha())
        if letters == 0:
            return Detection(hint or UNDETERMINED, 0.3 if hint else 0.0)
        if len(_VIETNAMESE.findall(text)) >= 2:
            return Detection("vi", 0.95)
        if letters < SHORT_TEXT and hint is not None:
            return Detection(hint, 0.5)
        words = {w.lower() for w in _WORD.findall(text)}
        language, confidence = _by_function_words(words) or self._langdetect(text)
        if language in ("id", "ms") or hint == "ms":
            malay, indonesian = len(words & _MALAY_ONLY), len(words & _INDONESIAN_ONLY)
            if malay > indonesian or (malay == indonesian and hint == "ms" and language in ("id", "ms")):
                return Detection("ms", min(confidence, 0.9))
            if language == "ms":  # the shared Malay/Indonesian words decided, nothing Malay-only
                return Detection("id", confidence)
        if language == UNDETERMINED and hint is not None:
            return Detection(hint, 0.4)
        return Detection(language, confidence)

    def _langdetect(self, text: str) -> tuple[str, float]:
        detector = self._factory.create()
        # Three sampling trials instead of seven: the top language rarely changes on short
        # reports and detection is the costliest step of taking one in.
        detector.n_trial = 3
        # A few hundred characters settle the language; the rest of a long report only costs time.
        detector.max_text_length = LANGDETECT_TEXT
        detector.append(text)
        try:
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            return UNDETERMINED, 0.0
        language = _MAPPED.get(best.lang, best.lang)
        if negotiate(language) is None:
            return UNDETERMINED, 0.0
        return language, float(best.prob)
