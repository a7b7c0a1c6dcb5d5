"""Learned report classifier: character n-grams of a normalised text, two linear models.

One multinomial logistic regression decides the category (scam / illegal_gambling /
fraudulent_content / other); a second one, consulted only for scams, decides the scam type.
Trained by ``python -m reports.train_classifier`` (see reports/CLASSIFIER.md); the weights ship
as gzipped JSON (a feature → weights map, no pickle) and inference is plain Python: a few
hundred dictionary look-ups per report.

Each decision explains itself: the features (words or character n-grams) that pushed the text
most towards the chosen category are named in ``reason`` and listed in ``matched``.
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

from reports.classify import Classification
from reports.model import Category

WEIGHTS = Path(__file__).resolve().parent / "classifier_weights.json.gz"
FORMAT = "harmline-ngram-logreg/1"
SCAM_TYPES = ("phishing", "investment", "job", "romance", "shopping", "impersonation", "loan", "prize", "other")

# Underlines, strike-throughs and other combining marks used to dodge filters (P͟U͟L͟A͟U͟W͟I͟N͟).
_DECORATIONS = dict.fromkeys(map(ord, "\u0332\u0333\u035f\u0336\u0335\u0338\u20e3\ufe0f\u200b\u200c\u200d\u2060"))
_TLDS = (r"(?:com|net|org|info|xyz|top|link|site|online|live|win|vip|club|bet|me|ly|io|co|cc|asia|app|shop|store|"
         r"life|pro|work|world|my|sg|th|ph|id|vn|kh|la|mm|tl|br|pt)")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\." + _TLDS + r"(?:/\S*)?", re.IGNORECASE)
# A quick test that every text _URL could match passes (most texts have no link; _URL itself is slow).
_MAYBE_URL = re.compile(r"://|www\.|\." + _TLDS, re.IGNORECASE)
_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"[\s_]+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_NGRAMS = (3, 4)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def normalise(text: str) -> str:
    """Lower-case, fold styled letters (𝐌𝐀𝐍 → man), digits → 0, every link → ``⟦url⟧`` plus its host words."""
    # ASCII is NFKC-normal already, with no decorations: most Malay, Indonesian, English reports.
    text = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).translate(_DECORATIONS).lower()

    def _link(match: re.Match[str]) -> str:
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group(0)).split("/", 1)[0]
        return " ⟦url⟧ " + re.sub(r"[.\-:]+", " ", host) + " "

    if _MAYBE_URL.search(text):
        text = _URL.sub(_link, text)
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", text).strip()


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def features(text: str) -> set[str]:
    """Character 3–4-grams of the normalised text (padded with spaces), its words, accent-folded too,
    and the single characters and pairs of Chinese runs (a Han character is a word on its own).

    Words are prefixed ``w:`` so they never collide with n-grams; the folded form of an accented
    Latin word (Vietnamese typed without diacritics is common) is added as a word as well.
    """
    norm = " " + normalise(text) + " "
    found: set[str] = set()
    length = len(norm)
    for n in _NGRAMS:
        found.update([norm[i : i + n] for i in range(length - n + 1)])
    add = found.add
    for run in _HAN.findall(norm):
        found.update(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    for word in _WORD.findall(norm):
        add("w:" + word)
        if not word.isascii() and word[0] < "\u0250":
            add("w:" + _fold(word))
    return found


def readable(feature: str) -> str:
    """How a moderator sees a feature: a word as is, an n-gram trimmed, any piece of a link as "link"."""
    if feature == "w:url" or "⟦" in feature or "⟧" in feature:
        return "link"
    if feature.startswith("w:"):
        return feature[2:]
    if "⟦" in feature or "⟧" in feature:
        return "link"
    return feature.strip() or feature


def _shown(feature: str) -> bool:
    """Only features with a letter (or the link marker) are worth showing; "000" or ", " explain nothing."""
    return any(c.isalpha() for c in feature)


# A feature's category weights, its explanation score per category, and its scam-type weights.
_Entry = tuple[tuple[float, ...] | None, tuple[float | None, ...], tuple[float, ...] | None]


class LearnedClassifier:
    """The shipped model behind the :class:`reports.classify.Classifier` protocol."""

    def __init__(self, path: Path | str = WEIGHTS, explain: int = 4) -> None:
        data = load_weights(Path(path))
        self.categories = tuple(Category(c) for c in data["category"]["classes"])
        self._bias: tuple[float, ...] = tuple(data["category"]["bias"])
        self._weights: dict[str, tuple[float, ...]] = {f: tuple(w) for f, w in data["category"]["weights"].items()}
        self.scam_types: tuple[str, ...] = tuple(data["scam_type"]["classes"])
        self._type_bias: tuple[float, ...] = tuple(data["scam_type"]["bias"])
        self._type_weights: dict[str, tuple[float, ...]] = {
            f: tuple(w) for f, w in data["scam_type"]["weights"].items()
        }
        # Everything about a feature behind ONE dictionary lookup: its category weights, how strongly it
        # explains each category (see _top_features), its scam-type weights. Three lookups in three
        # large dictionaries per feature were most of the time of reading a report.
        other = self.categories.index(Category.OTHER)
        explains = [_explain_scores(self._weights, k, other if k != other else None)
                    for k in range(len(self.categories))]
        self._entries: dict[str, _Entry] = {
            feature: (self._weights.get(feature), tuple(scores.get(feature) for scores in explains),
                      self._type_weights.get(feature))
            for feature in self._weights.keys() | self._type_weights.keys()
        }
        # Extra evidence "scam" needs over "other" before it is called: keeps benign chats out of the scam queue.
        self._scam_margin = float(data["category"].get("scam_margin", 0.0))
        self._explain = explain

    def _evaluate(self, text: str) -> tuple[dict[str, _Entry], list[float], float]:
        """The known features with their entries, the category logits, and the feature scale."""
        feats = features(text)
        scale = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        get = self._entries.get
        known = {f: entry for f in feats if (entry := get(f)) is not None}
        # The weight rows transposed and summed per category in C: one pass, not one per category.
        rows = [entry[0] for entry in known.values() if entry[0] is not None]
        sums = [sum(column) for column in zip(*rows, strict=True)] if rows else [0.0] * len(self._bias)
        logits = [b + total * scale for b, total in zip(self._bias, sums, strict=True)]
        return known, logits, scale

    def scores(self, text: str) -> tuple[list[tuple[str, tuple[float, ...]]], list[float], float]:
        """The known features with their weight rows, the category logits, and the feature scale."""
        known, logits, scale = self._evaluate(text)
        return [(f, entry[0]) for f, entry in known.items() if entry[0] is not None], logits, scale

    def classify(self, text: str) -> Classification:
        known, logits, scale = self._evaluate(text)
        scam = self.categories.index(Category.SCAM)
        logits[scam] -= self._scam_margin
        best = max(range(len(logits)), key=logits.__getitem__)
        probabilities = _softmax(logits)
        category = self.categories[best]
        top = self._top_features(known, best)
        scam_type = None
        if category is Category.SCAM:
            scam_type = self._scam_type(known, scale)
        shown = ", ".join(f"“{readable(f)}”" for f in top) or "no known feature"
        label = category.value + (f"/{scam_type}" if scam_type else "")
        if category is Category.OTHER:
            reason = f"other ({probabilities[best]:.0%}): no strong scam, gambling or fraud signal; leaning on {shown}"
        else:
            reason = f"{label} ({probabilities[best]:.0%}): {shown}"
        return Classification(
            category,
            reason,
            tuple(readable(f) for f in top),
            scam_type=scam_type,
            confidence=round(probabilities[best], 4),
        )

    def _scam_type(self, known: dict[str, _Entry], scale: float) -> str:
        rows = [entry[2] for entry in known.values() if entry[2] is not None]
        totals = list(self._type_bias)
        if rows:
            totals = [b + sum(column) * scale for b, column in zip(totals, zip(*rows, strict=True), strict=True)]
        return self.scam_types[max(range(len(totals)), key=totals.__getitem__)]

    def _top_features(self, known: dict[str, _Entry], k: int) -> list[str]:
        """The features that favour class ``k`` most (over "other", or for "other" over the mean of the rest)."""
        scored = [(score, f) for f, entry in known.items() if (score := entry[1][k]) is not None]
        # The few strongest are nearly always enough; the whole order only when overlaps eat them.
        head = heapq.nlargest(4 * self._explain, scored)
        ordered = head if len(head) == len(scored) else [*head, *sorted(scored, reverse=True)[len(head):]]
        chosen: list[str] = []
        for _, feature in ordered:
            shown = readable(feature)
            if (len(shown) < 2 and not _is_ideograph(shown)) or not _shown(feature):
                continue
            if any(shown in readable(c) or readable(c) in shown for c in chosen):
                continue
            chosen.append(feature)
            if len(chosen) == self._explain:
                break
        return chosen


def _explain_scores(weights: dict[str, tuple[float, ...]], k: int, against: int | None) -> dict[str, float]:
    """How strongly each feature favours class ``k`` over ``against`` (or over the mean of the other classes),
    weighted by how well it reads; features that do not favour ``k`` are left out."""
    out = {}
    for feature, row in weights.items():
        rest = row[against] if against is not None else (sum(row) - row[k]) / (len(row) - 1)
        push = row[k] - rest
        if push > 0:
            out[feature] = push * _explain_bonus(feature)
    return out


def _explain_bonus(feature: str) -> float:
    """Longer, readable features explain better than short n-grams at equal weight."""
    return 1.0 + 0.15 * min(len(readable(feature)), 6) + (0.5 if feature.startswith("w:") else 0.0)


def _is_ideograph(text: str) -> bool:
    return bool(text) and all("\u3400" <= c <= "\u9fff" for c in text)


def _softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exps = [math.exp(x - top) for x in logits]
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
