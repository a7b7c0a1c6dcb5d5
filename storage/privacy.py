"""Blocked citizens and the retention of reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from harmline.repositories.privacy import Block, RetentionCounts
from harmline.repositories.unit_of_work import Row, Transaction
from harmline.storage.codec import from_text, optional_from_text, to_text
from harmline.storage.migrations import CITIZEN_ROWS
from harmline.storage.units import SQLDatabase


def _block(row: Row) -> Block:
    return Block(row["telegram_user_id"], row["reference"], from_text(row["blocked_at"]), row["blocked_by"],
                 optional_from_text(row["told_at"]))


def _ids(report_ids: Sequence[int]) -> tuple[str, tuple[int, ...]]:
    """``IN (?, ?, …)`` for the ids, and the ids as parameters."""
    return "(" + ", ".join("?" * len(report_ids)) + ")", tuple(report_ids)


class PrivacyStore:
    def __init__(self, database: SQLDatabase) -> None:
        self.database = database

    # --- blocked citizens ------------------------------------------------------------------

    def reporter_user_of(self, tx: Transaction, report_id: int) -> int | None:
        row = tx.fetch_one("SELECT p.telegram_user_id FROM reports r JOIN reporters p ON p.id = r.reporter_id"
                           " WHERE r.id = ?", (report_id,))
        return int(row["telegram_user_id"]) if row else None

    def reports_of_user(self, tx: Transaction, user_id: int) -> list[int]:
        rows = tx.fetch_all("SELECT r.id FROM reports r JOIN reporters p ON p.id = r.reporter_id"
                            " WHERE p.telegram_user_id = ? ORDER BY r.id", (user_id,))
        return [int(row["id"]) for row in rows]

    def block_of(self, tx: Transaction, user_id: int) -> Block | None:
        row = tx.fetch_one("SELECT * FROM blocked_users WHERE telegram_user_id = ?", (user_id,))
        return _block(row) if row else None

    def block_by_reference(self, tx: Transaction, reference: str) -> Block | None:
        row = tx.fetch_one("SELECT * FROM blocked_users WHERE reference = ?", (reference,))
        return _block(row) if row else None

    def block(self, tx: Transaction, user_id: int, reference: str, now: datetime, by: str) -> bool:
        return tx.execute(
            "INSERT INTO blocked_users (telegram_user_id, reference, blocked_at, blocked_by) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (telegram_user_id) DO NOTHING", (user_id, reference, to_text(now), by)) == 1

    def unblock(self, tx: Transaction, user_id: int) -> bool:
        return tx.execute("DELETE FROM blocked_users WHERE telegram_user_id = ?", (user_id,)) == 1

    def mark_block_told(self, tx: Transaction, user_id: int, now: datetime) -> None:
        tx.execute("UPDATE blocked_users SET told_at = ? WHERE telegram_user_id = ?", (to_text(now), user_id))

    # --- retention -------------------------------------------------------------------------

    def identified_before(self, tx: Transaction, country: str, moment: datetime, limit: int) -> list[int]:
        rows = tx.fetch_all("SELECT id FROM reports WHERE country = ? AND created_at < ? AND deidentified_at IS NULL"
                            " ORDER BY created_at LIMIT ?", (country, to_text(moment), limit))
        return [int(row["id"]) for row in rows]

    def received_before(self, tx: Transaction, country: str, moment: datetime, limit: int) -> list[int]:
        rows = tx.fetch_all("SELECT id FROM reports WHERE country = ? AND created_at < ? ORDER BY created_at LIMIT ?",
                            (country, to_text(moment), limit))
        return [int(row["id"]) for row in rows]

    @staticmethod
    def _forget_search(tx: Transaction, where: str, ids: tuple[int, ...]) -> None:
        """Take the reports' words and screenshot texts out of the /find indexes first: SQLite's
        index keeps its own copy of every trigram, which deleting the text would leave behind."""
        tx.execute("DELETE FROM report_search WHERE rowid IN (SELECT id FROM report_messages"
                   f" WHERE report_id IN {where} AND text <> '')", ids)
        tx.execute("DELETE FROM image_search WHERE rowid IN (SELECT evidence_id FROM evidence_text"
                   f" WHERE report_id IN {where} AND text <> '')", ids)

    def deidentify(self, tx: Transaction, report_ids: Sequence[int], now: datetime) -> None:
        if not report_ids:
            return
        where, ids = _ids(report_ids)
        self._forget_search(tx, where, ids)
        tx.execute(f"UPDATE report_messages SET text = '', origin_name = NULL WHERE report_id IN {where}", ids)
        tx.execute("UPDATE evidence SET file_id = '', file_unique_id = '', file_name = NULL, caption = NULL"
                   f" WHERE report_id IN {where}", ids)
        tx.execute(f"UPDATE evidence_text SET text = '', codes = '' WHERE report_id IN {where}", ids)
        # Fingerprints are made of the words: without them a report is compared by its indicators.
        tx.execute(f"DELETE FROM report_fingerprints WHERE report_id IN {where}", ids)
        tx.execute(f"DELETE FROM report_bands WHERE report_id IN {where}", ids)
        # The amount as typed may name someone ("RM500 to my cousin Ali"); the parsed amount stays.
        tx.execute("UPDATE reports SET reporter_id = NULL, category_explanation = NULL, followup_message_id = NULL,"
                   f" loss_amount = NULL, deidentified_at = ? WHERE id IN {where}", (to_text(now), *ids))

    def delete(self, tx: Transaction, report_ids: Sequence[int]) -> None:
        if not report_ids:
            return
        where, ids = _ids(report_ids)
        self._forget_search(tx, where, ids)
        tx.execute(f"DELETE FROM reports WHERE id IN {where}", ids)

    def forget_idle_reporters(self, tx: Transaction, moment: datetime) -> int:
        return tx.execute("DELETE FROM reporters WHERE created_at < ? AND NOT EXISTS"
                          " (SELECT 1 FROM reports r WHERE r.reporter_id = reporters.id)", (to_text(moment),))

    def forget_citizen_actors(self, tx: Transaction, moment: datetime) -> int:
        return tx.execute(f"UPDATE audit_log SET actor = 'citizen', actor_name = NULL WHERE at < ? AND {CITIZEN_ROWS}",
                          (to_text(moment),))

    async def retention_counts(self, country: str, deidentify_before: datetime,
                               delete_before: datetime | None) -> RetentionCounts:
        identified = await self.database.fetch_one(
            "SELECT COUNT(*) AS n FROM reports WHERE country = ? AND created_at < ? AND deidentified_at IS NULL",
            (country, to_text(deidentify_before)))
        deletable = None
        if delete_before is not None:
            deletable = await self.database.fetch_one(
                "SELECT COUNT(*) AS n FROM reports WHERE country = ? AND created_at < ?",
                (country, to_text(delete_before)))
        return RetentionCounts(country, int(identified["n"]) if identified else 0,
                               int(deletable["n"]) if deletable else 0)
