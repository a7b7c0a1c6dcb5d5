"""Evidence images waiting to be read, and what was read from them (text, QR codes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from harmline.reports.model import ImageText
from harmline.repositories.images import FAILED, PENDING, READ, SKIPPED, PendingImage
from harmline.repositories.unit_of_work import Transaction
from harmline.storage.codec import from_text, to_text
from harmline.storage.units import SQLDatabase

# Photos, and files sent "as a file" that are images (a lossless screenshot).
_IMAGES = "(e.kind = 'photo' OR (e.kind = 'document' AND e.mime_type LIKE 'image/%'))"




class ImageTextStore:
    def __init__(self, database: SQLDatabase) -> None:
        self.database = database

    def queue(self, tx: Transaction, report_id: int, now: datetime, max_bytes: int) -> int:
        """Queue the report's evidence images not queued yet; one larger than ``max_bytes`` (as
        Telegram states its size) is skipped at once. Returns how many were queued to read."""
        fresh = (f"{_IMAGES} AND e.report_id = ?"
                 " AND NOT EXISTS (SELECT 1 FROM evidence_text t WHERE t.evidence_id = e.id)")
        tx.execute(
            "INSERT INTO evidence_text (evidence_id, report_id, state, problem, queued_at, next_attempt_at)"
            f" SELECT e.id, e.report_id, ?, 'too large', ?, ? FROM evidence e WHERE {fresh} AND e.file_size > ?",
            (SKIPPED, to_text(now), to_text(now), report_id, max_bytes),
        )
        return tx.execute(
            "INSERT INTO evidence_text (evidence_id, report_id, state, queued_at, next_attempt_at)"
            f" SELECT e.id, e.report_id, ?, ?, ? FROM evidence e WHERE {fresh}",
            (PENDING, to_text(now), to_text(now), report_id),
        )

    def held_until(self, tx: Transaction, report_id: int, wait: timedelta) -> datetime | None:
        """Until when the report's forwards wait for its images to be read: ``wait`` after the
        last one still pending was queued; None when none is pending."""
        row = tx.fetch_one("SELECT MAX(queued_at) AS at FROM evidence_text WHERE report_id = ? AND state = ?",
                           (report_id, PENDING))
        return from_text(row["at"]) + wait if row and row["at"] else None

    async def due(self, now: datetime, limit: int) -> list[PendingImage]:
        rows = await self.database.fetch_all(
            "SELECT t.evidence_id, t.report_id, t.attempts, e.file_id, r.country, r.detected_language,"
            " r.reply_language FROM evidence_text t JOIN evidence e ON e.id = t.evidence_id"
            " JOIN reports r ON r.id = t.report_id WHERE t.state = ? AND t.next_attempt_at <= ?"
            " ORDER BY t.next_attempt_at, t.evidence_id LIMIT ?",
            (PENDING, to_text(now), limit))
        return [PendingImage(row["evidence_id"], row["report_id"], row["file_id"], row["attempts"], row["country"],
                             (row["detected_language"], row["reply_language"])) for row in rows]

    async def next_due_at(self) -> datetime | None:
        row = await self.database.fetch_one(
            "SELECT MIN(next_attempt_at) AS at FROM evidence_text WHERE state = ?", (PENDING,))
        return from_text(row["at"]) if row and row["at"] else None

    def save_reading(self, tx: Transaction, evidence_id: int, read: ImageText, models: str, now: datetime) -> bool:
        """Store what was read; False if the image was no longer waiting (another process read it)."""
        saved = tx.execute(
            "UPDATE evidence_text SET state = ?, text = ?, language = ?, confidence = ?, codes = ?, models = ?,"
            " attempts = attempts + 1, problem = NULL, read_at = ? WHERE evidence_id = ? AND state = ?",
            (READ, read.text, read.language, read.confidence, "\n".join(read.codes), models, to_text(now),
             evidence_id, PENDING))
        if saved and read.text:
            tx.execute("INSERT INTO image_search (rowid, text) VALUES (?, ?)", (evidence_id, read.text))
        return saved == 1

    def save_failure(self, tx: Transaction, evidence_id: int, problem: str, retry_at: datetime | None,
                     *, skipped: bool = False) -> None:
        """A failed attempt: tried again at ``retry_at``, or given up (None): failed, or skipped
        when the file is not an image it makes sense to retry."""
        state = PENDING if retry_at is not None else SKIPPED if skipped else FAILED
        tx.execute(
            "UPDATE evidence_text SET state = ?, attempts = attempts + 1, problem = ?,"
            " next_attempt_at = COALESCE(?, next_attempt_at) WHERE evidence_id = ? AND state = ?",
            (state, problem[:300], to_text(retry_at) if retry_at else None, evidence_id, PENDING))

    @staticmethod
    def of_report(tx: Transaction, report_id: int) -> dict[int, ImageText]:
        """Evidence id -> what was read from it (or why not), for the report's images."""
        rows = tx.fetch_all(
            "SELECT evidence_id, state, text, language, confidence, codes, problem FROM evidence_text"
            " WHERE report_id = ?", (report_id,))
        return {row["evidence_id"]: ImageText(row["state"], row["text"], row["language"], row["confidence"],
                                              tuple(row["codes"].split("\n")) if row["codes"] else (), row["problem"])
                for row in rows}

    @staticmethod
    def read_texts(tx: Transaction, report_id: int) -> Sequence[str]:
        """The texts read from the report's images, in the order the images came."""
        rows = tx.fetch_all(
            "SELECT text FROM evidence_text WHERE report_id = ? AND state = ? AND text != '' ORDER BY evidence_id",
            (report_id, READ))
        return [row["text"] for row in rows]
