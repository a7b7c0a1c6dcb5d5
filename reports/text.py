"""A report's text as it is classified and compared: the citizen's words, then what was read
from their screenshots (in the order the images came). One definition, so the text worked on
before a transaction and the one stored in it are the same string."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def report_text(words: Sequence[str], images: Sequence[str]) -> str:
    return "\n\n".join([*(text for text in words if text), *(text for text in images if text)])


@dataclass(frozen=True)
class TextParts:
    """A stored report's words and image texts (by evidence id, in order), read outside a transaction."""

    report_id: int
    country: str
    words: tuple[str, ...]
    images: tuple[tuple[int, str], ...]

    def text(self) -> str:
        return report_text(self.words, [text for _, text in self.images])

    def with_message(self, words: str) -> str:
        """The text once a message with ``words`` is added."""
        return report_text([*self.words, words], [text for _, text in self.images])

    def with_image(self, evidence_id: int, text: str) -> str:
        """The text once the image ``evidence_id`` is read as ``text``."""
        images = sorted([*(pair for pair in self.images if pair[0] != evidence_id), (evidence_id, text)])
        return report_text(self.words, [read for _, read in images])
