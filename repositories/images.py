"""Text read from evidence images: the queue of images to read and what was read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from harmline.reports.model import ImageText
from harmline.repositories.unit_of_work import Transaction

PENDING, READ, FAILED, SKIPPED = "pending", "read", "failed", "skipped"


@dataclass(frozen=True)
class PendingImage:
    """An image to read, with what the report says about its likely language and numbering plan."""

    evidence_id: int
    report_id: int
    file_id: str
    attempts: int
    country: str
    languages: tuple[str | None, ...]  # the report's detected and reply languages


class ImageTextRepository(Protocol):
    """Text read from evidence images: the queue of images to read and what was read."""

    def queue(self, tx: Transaction, report_id: int, now: datetime, max_bytes: int) -> int:
        """Queue the report's evidence images not queued yet; one larger than ``max_bytes`` (as
        Telegram states its size) is skipped at once. Returns how many were queued to read."""
        ...

    def held_until(self, tx: Transaction, report_id: int, wait: timedelta) -> datetime | None:
        """Until when the report's forwards wait for its images to be read: ``wait`` after the
        last one still pending was queued; None when none is pending."""
        ...

    async def due(self, now: datetime, limit: int) -> list[PendingImage]: ...

    async def next_due_at(self) -> datetime | None: ...

    def save_reading(self, tx: Transaction, evidence_id: int, read: ImageText, models: str, now: datetime) -> bool:
        """Store what was read; False if the image was no longer waiting (another process read it)."""
        ...

    def save_failure(
        self, tx: Transaction, evidence_id: int, problem: str, retry_at: datetime | None, *, skipped: bool = False
    ) -> None:
        """A failed attempt: tried again at ``retry_at``, or given up (None): failed, or skipped
        when the file is not an image it makes sense to retry."""
        ...

    @staticmethod
    def of_report(tx: Transaction, report_id: int) -> dict[int, ImageText]:
        """Evidence id -> what was read from it (or why not), for the report's images."""
        ...

    @staticmethod
    def read_texts(tx: Transaction, report_id: int) -> Sequence[str]:
        """The texts read from the report's images, in the order the images came."""
        ...
