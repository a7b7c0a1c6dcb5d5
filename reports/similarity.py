"""The same scam script reported by many people, each with other numbers and links.

Layered, cheapest first: the exact text; the "script" — the text with its numbers, links,
addresses and handles taken out and its case, punctuation and spacing normalised; then a
similarity estimate (MinHash over character 5-grams, so Thai or Chinese without spaces work
too) with two thresholds: link automatically, or only suggest to a moderator. Very short texts
("call me", "ok") say too little to be linked: they are only ever suggested.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from harmline.reports.indicators import refang

SHINGLE = 5
PERMUTATIONS = 32
BANDS = 8  # 8 bands of 4 values: pairs above ~0.6 similarity very likely share a band
ROWS = PERMUTATIONS // BANDS
LINK_AT = 0.85
SUGGEST_AT = 0.6
SHORT_SCRIPT = 40  # characters of normalised script under which texts are only suggested

_LINKS = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|net|org|info|xyz|top|vip|me|io|co|my|id|th|vn|ph|sg"
                    r"|kh|la|mm|bn|tl|asia|online|site|shop|live|link|cc|ly|gl)\S*", re.IGNORECASE)
_EMAILS = re.compile(r"\S+@\S+")
_HANDLES = re.compile(r"@\w+")
_NOT_WORD = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"\d+")
# Random but fixed masks: the "permutations" of MinHash as XORs of one 64-bit hash per shingle.
_MASKS = tuple(int.from_bytes(hashlib.blake2b(bytes([i]), digest_size=8).digest(), "big")
               for i in range(PERMUTATIONS))


class Match(StrEnum):
    EXACT = "exact"  # the same text
    SCRIPT = "script"  # the same words with other numbers and links
    SIMILAR = "similar"  # close enough to link without a moderator
    SUGGESTED = "suggested"  # perhaps the same: a moderator decides


@dataclass(frozen=True)
class Fingerprint:
    text_hash: str
    script_hash: str
    script_length: int
    signature: tuple[int, ...]

    @property
    def bands(self) -> list[str]:
        """Keys under which likely-similar texts meet (locality-sensitive hashing)."""
        return [f"{band}:" + hashlib.blake2b(repr(self.signature[band * ROWS:(band + 1) * ROWS]).encode(),
                                             digest_size=8).hexdigest()
                for band in range(BANDS)]


def script_of(text: str) -> str:
    """The words of a message without what scammers change between copies."""
    plain = unicodedata.normalize("NFKC", refang(text)).casefold()
    for pattern in (_LINKS, _EMAILS, _HANDLES):
        plain = pattern.sub(" ", plain)
    plain = _DIGITS.sub(" ", plain)
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def fingerprint(text: str) -> Fingerprint:
    script = script_of(text)
    shingles = {script[i:i + SHINGLE] for i in range(max(len(script) - SHINGLE + 1, 1))}
    hashes = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") for s in shingles]
    signature = tuple(min(h ^ mask for h in hashes) for mask in _MASKS)
    return Fingerprint(_digest(" ".join(text.casefold().split())), _digest(script), len(script), signature)


def similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the two texts' 5-grams."""
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def compare(new: Fingerprint, earlier: Fingerprint) -> tuple[Match, float] | None:
    """How ``new`` relates to an earlier report's text, or None if it does not."""
    if new.text_hash == earlier.text_hash:
        match, score = Match.EXACT, 1.0
    elif new.script_hash == earlier.script_hash:
        match, score = Match.SCRIPT, 1.0
    else:
        score = similarity(new.signature, earlier.signature)
        if score < SUGGEST_AT:
            return None
        match = Match.SIMILAR if score >= LINK_AT else Match.SUGGESTED
    if min(new.script_length, earlier.script_length) < SHORT_SCRIPT:
        match = Match.SUGGESTED
    return match, score
