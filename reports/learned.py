"""Learned report classifier: words, character n-grams and readable cues, two linear models.

One multinomial logistic regression decides the category (scam / illegal_gambling /
fraudulent_content / other); a second one, consulted only for scams, decides the scam type.
Trained by ``python -m harmline.reports.train_classifier`` (see reports/CLASSIFIER.md); the weights ship
as gzipped JSON (a feature → weights map, no pickle) and inference is plain Python: a few
hundred dictionary look-ups per report.

A link is one feature among many: its text is taken out of the n-gram stream (so "com", "bit",
"ly" never decide anything) and stands as the cues ``link`` / ``short_link`` /
``suspicious_link`` plus the words of its host. What makes a scam is what the message asks or
promises (reports.cues). Probabilities are temperature-calibrated; below ``confident_at`` the
category is marked uncertain, and an unsure scam type is "other".

Each decision explains itself with readable cues and the citizen's own words that pushed it
most towards the chosen category (never bare character n-grams).
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import stopwordsiso

from harmline.reports.classify import Classification
from harmline.reports.cues import CUES, DECORATIONS, CueMatch, find_cues, fold, is_latin, link_cues
from harmline.reports.explanation import english_reason
from harmline.reports.model import Category, Explanation

WEIGHTS = Path(__file__).resolve().parent / "classifier_weights.json.gz"
FORMAT = "harmline-cue-logreg/2"
SCAM_TYPES = ("phishing", "investment", "job", "romance", "shopping", "impersonation", "loan", "prize", "other")
# A cue is worth this much against the 1/√n of each word or n-gram: a short text's few cues must
# not be drowned by its n-grams, nor a long text's by theirs.
CUE_VALUE = 0.35

_TLDS = (r"(?:com|net|org|info|xyz|top|link|site|online|live|win|vip|club|bet|me|ly|io|co|cc|asia|app|shop|store|"
         r"life|pro|work|world|my|sg|th|ph|id|vn|kh|la|mm|tl|br|pt|gg|in|us|to|fun|icu|cyou|buzz)")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\." + _TLDS + r"\b(?:/\S*)?", re.IGNORECASE)
# A quick test that every text _URL could match passes (most texts have no link; _URL itself is slow).
_MAYBE_URL = re.compile(r"://|www\.|\." + _TLDS, re.IGNORECASE)
_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"[\s_]+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_NGRAMS = (3, 4)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_HOST_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Reading:
    """What the model sees in a text: word/n-gram features, cue features, and the cues' own words."""

    terms: set[str]
    cues: tuple[CueMatch, ...]

    @property
    def cue_features(self) -> set[str]:
        return {"c:" + cue.name for cue in self.cues}


def _plain(text: str) -> str:
    # ASCII is NFKC-normal already, with no decorations: most Malay, Indonesian, English reports.
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).translate(DECORATIONS).lower()


def _hosts(text: str) -> tuple[str, list[str]]:
    """The text without its links, and the links' hosts."""
    if not _MAYBE_URL.search(text):
        return text, []
    hosts: list[str] = []

    def _link(match: re.Match[str]) -> str:
        hosts.append(re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group(0)).split("/", 1)[0].strip(".,;:!?)]"))
        return " "

    return _URL.sub(_link, text), hosts


def normalise(text: str) -> str:
    """Lower-case, fold styled letters (𝐌𝐀𝐍 → man), digits → 0, links out: the text the n-grams see."""
    stripped, _ = _hosts(_plain(text))
    return _SPACES.sub(" ", _DIGITS.sub("0", stripped)).strip()


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def read(text: str) -> Reading:
    """Character 3–4-grams of the normalised text without its links (padded with spaces), its words
    (``w:``; accent-folded ``f:``), the single characters and pairs of Chinese runs, the words of
    link hosts (``h:``), and the cues (``c:``, see reports.cues)."""
    plain = _plain(text)
    stripped, hosts = _hosts(plain)
    norm = " " + _SPACES.sub(" ", _DIGITS.sub("0", stripped)).strip() + " "
    terms: set[str] = set()
    length = len(norm)
    for n in _NGRAMS:
        terms.update([norm[i : i + n] for i in range(length - n + 1)])
    add = terms.add
    for run in _HAN.findall(norm):
        terms.update(run)
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    for word in _WORD.findall(norm):
        add("w:" + word)
        if not word.isascii() and is_latin(word[0]):
            add("f:" + _fold(word))  # Vietnamese typed without accents; never shown (not the citizen's spelling)
    for host in hosts:
        terms.update("h:" + word for word in _HOST_WORD.findall(host.lower()))
    cues = [*find_cues(text), *(CueMatch(name, "") for name in link_cues(hosts))]
    return Reading(terms, tuple(cues))


def features(text: str) -> set[str]:
    """Every feature of ``text``, cues included (for training and tests)."""
    reading = read(text)
    return reading.terms | reading.cue_features


# Little words of informal Filipino, Indonesian and Malay that the stop-word lists lack.
_INFORMAL_STOPWORDS = frozenset(
    "mag nag nasa lang sayo sya siya yung nyo niyo kayo tayo namin natin ako ikaw ka mo ko po opo naman "
    "din rin pa na ng nang kay kina dito doon dyan ito iyan yan yun wag huwag hindi di nga daw raw ba "
    "gak ga nggak ngga aja nih sih deh dong kok udah udh blm belum jg juga yg dgn utk tdk gw gue lu lo "
    "ena kan tuh mah wkwk sy ni tu tak nak dah lah je kat pun aje".split()
)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    # Little words explain nothing ("anda", "yang", "the"): never shown as a reason.
    words: set[str] = set(_INFORMAL_STOPWORDS)
    for language in ("en", "ms", "id", "tl", "vi", "pt"):
        words |= stopwordsiso.stopwords(language)
    return frozenset(w.lower() for w in words)


def _shown_word(feature: str) -> str | None:
    """The citizen's word behind a feature, if it reads as one: a whole word of three or more Latin
    letters that is not a stop word, or two or more Chinese characters. Character n-grams never
    are; nor are "words" of Thai, Lao, Khmer or Burmese, which are written without spaces (their
    reasons are the cues' own phrases)."""
    if not feature.startswith("w:"):
        return None
    word = feature[2:]
    if _HAN.fullmatch(word):
        return word if 2 <= len(word) <= 4 else None  # a whole run is a sentence, not a word
    if len(word) < 3 or not is_latin(word[0]) or word in _stopwords():
        return None
    return word


# A feature's category weights and its scam-type weights.
_Entry = tuple[tuple[float, ...] | None, tuple[float, ...] | None]
_Found = list[tuple[str, _Entry]]


class LearnedClassifier:
    """The shipped model behind the :class:`reports.classify.Classifier` protocol."""

    def __init__(self, weights: Path | str | dict[str, Any] = WEIGHTS, explain_words: int = 4,
                 explain_cues: int = 3) -> None:
        data = weights if isinstance(weights, dict) else load_weights(Path(weights))
        category = data["category"]
        self.categories = tuple(Category(c) for c in category["classes"])
        self._bias: tuple[float, ...] = tuple(category["bias"])
        self.scam_types: tuple[str, ...] = tuple(data["scam_type"]["classes"])
        self._type_bias: tuple[float, ...] = tuple(data["scam_type"]["bias"])
        weights = {f: tuple(w) for f, w in category["weights"].items()}
        type_weights = {f: tuple(w) for f, w in data["scam_type"]["weights"].items()}
        # Everything about a feature behind ONE dictionary lookup.
        self._entries: dict[str, _Entry] = {
            feature: (weights.get(feature), type_weights.get(feature))
            for feature in weights.keys() | type_weights.keys()
        }
        self.temperature = float(category.get("temperature", 1.0))
        self.type_temperature = float(data["scam_type"].get("temperature", 1.0))
        self.confident_at = float(category.get("confident_at", 0.6))
        self.type_confident_at = float(data["scam_type"].get("confident_at", 0.5))
        self._other = self.categories.index(Category.OTHER)
        self._explain_words = explain_words
        self._explain_cues = explain_cues

    def _logits(self, reading: Reading) -> tuple[list[float], float, _Found, _Found]:
        get = self._entries.get
        terms = [(f, e) for f in reading.terms if (e := get(f)) is not None]
        cues = [(f, e) for f in reading.cue_features if (e := get(f)) is not None]
        scale = 1.0 / math.sqrt(len(reading.terms) + len(reading.cues)) if reading.terms or reading.cues else 0.0
        logits = list(self._bias)
        for rows, value in (([e[0] for _, e in terms if e[0] is not None], scale),
                            ([e[0] for _, e in cues if e[0] is not None], CUE_VALUE)):
            if rows:
                logits = [b + sum(column) * value for b, column in zip(logits, zip(*rows, strict=True), strict=True)]
        return logits, scale, terms, cues

    def logits(self, text: str) -> list[float]:
        """The category logits before calibration (for training the temperature)."""
        return self._logits(read(text))[0]

    def type_logits(self, text: str) -> list[float]:
        """The scam-type logits before calibration."""
        _, scale, terms, cues = self._logits(read(text))
        return self._type_totals(terms, cues, scale)

    def classify(self, text: str) -> Classification:
        reading = read(text)
        logits, scale, terms, cues = self._logits(reading)
        probabilities = _softmax([x / self.temperature for x in logits])
        best = max(range(len(probabilities)), key=probabilities.__getitem__)
        category = self.categories[best]
        confidence = round(probabilities[best], 4)
        scam_type = self._scam_type(terms, cues, scale) if category is Category.SCAM else None
        cue_names, words = self._explain(reading, best, scale, terms, cues)
        explanation = Explanation(confidence, cue_names, words, uncertain=confidence < self.confident_at)
        return Classification(category, english_reason(category, scam_type, explanation), words, scam_type=scam_type,
                              confidence=confidence, explanation=explanation)

    def _type_totals(self, terms: _Found, cues: _Found, scale: float) -> list[float]:
        totals = list(self._type_bias)
        for rows, value in (([e[1] for _, e in terms if e[1] is not None], scale),
                            ([e[1] for _, e in cues if e[1] is not None], CUE_VALUE)):
            if rows:
                totals = [b + sum(column) * value for b, column in zip(totals, zip(*rows, strict=True), strict=True)]
        return totals

    def _scam_type(self, terms: _Found, cues: _Found, scale: float) -> str:
        totals = self._type_totals(terms, cues, scale)
        probabilities = _softmax([x / self.type_temperature for x in totals])
        best = max(range(len(probabilities)), key=probabilities.__getitem__)
        # A wrong type reaches ministries' summaries: when unsure, say "other".
        return self.scam_types[best] if probabilities[best] >= self.type_confident_at else "other"

    def _explain(self, reading: Reading, k: int, scale: float, terms: _Found,
                 cues: _Found) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The cues and the citizen's words that favour class ``k`` most: over "other" for a harmful
        category; for "other", the signs of a genuine message."""
        def push(row: tuple[float, ...]) -> float:
            if k != self._other:
                return row[k] - row[self._other]
            return row[k] - (sum(row) - row[k]) / (len(row) - 1)

        harmful = k != self._other
        cue_scores = sorted(((push(e[0]) * CUE_VALUE, f[2:]) for f, e in cues
                             if e[0] is not None and CUES[f[2:]].harmful == harmful), reverse=True)
        chosen_cues = tuple(name for score, name in cue_scores if score > 0)[: self._explain_cues]
        if not harmful:
            return chosen_cues, ()
        # The cues' own words first (what the citizen wrote that made the cue), then the strongest words.
        phrases = {cue.name: cue.phrase for cue in reading.cues if cue.phrase}
        words = list(dict.fromkeys(phrases[name] for name in chosen_cues if name in phrases))
        scored = ((push(e[0]) * scale, word) for f, e in terms
                  if e[0] is not None and (word := _shown_word(f)) is not None)
        for score, word in heapq.nlargest(4 * self._explain_words, scored):
            if score <= 0 or len(words) >= self._explain_words:
                break
            if not any(fold(word) in fold(w) or fold(w) in fold(word) for w in words):
                words.append(word)
        return chosen_cues, tuple(words[: self._explain_words])


def _softmax(logits: Iterable[float]) -> list[float]:
    values = list(logits)
    top = max(values)
    exps = [math.exp(x - top) for x in values]
    total = sum(exps)
    return [e / total for e in exps]


def load_weights(path: Path) -> dict[str, Any]:
    """Read the JSON weights (gzipped or not) and check their format; never unpickles anything."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    data: dict[str, Any] = json.loads(raw.decode("utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} weights file")
    return data
