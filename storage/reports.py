"""Reports, their messages, evidence and indicators; reporters; processed updates; audit log."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from harmline.reports.model import (
    Category,
    Evidence,
    Explanation,
    FollowUpStep,
    IncomingMessage,
    Indicator,
    IndicatorHistory,
    Origin,
    Platform,
    Report,
    ReportMessage,
    ReportStatus,
)
from harmline.reports.money import parse_loss
from harmline.reports.similarity import Fingerprint
from harmline.reports.text import TextParts, report_text
from harmline.repositories.reports import Reporter, SeenUpdate
from harmline.repositories.unit_of_work import Row, Transaction
from harmline.storage.codec import from_text, optional_from_text, to_text
from harmline.storage.image_text import ImageTextStore
from harmline.storage.units import SQLDatabase

_REPORT_COLUMNS = (
    "r.id, r.reference, r.country, r.status, r.reply_language, r.detected_language,"
    " r.language_confidence, r.category, r.category_reason, r.platform, r.money_lost, r.loss_amount,"
    " r.followup_step, r.followup_message_id, r.created_at, r.last_message_at, r.followup_deadline,"
    " r.completed_at, p.chat_id AS reporter_chat_id, r.urgent, r.decided_at, r.decided_by, r.scam_type,"
    " r.category_explanation, r.keep_on_file,"
    " (SELECT m.reference FROM reports m WHERE m.id = r.merged_into) AS merged_into"
)
# Reports that count in an indicator's history (/check, repeat counts): not withdrawn by the
# citizen, not found harmless by a moderator.
_NOT_LIVE = (ReportStatus.CANCELLED.value, ReportStatus.REJECTED.value)
_REPORT_FROM = "FROM reports r LEFT JOIN reporters p ON p.id = r.reporter_id"






def _fingerprint(row: Row) -> Fingerprint:
    return Fingerprint(row["text_hash"], row["script_hash"], row["script_length"],
                       tuple(int(v) for v in row["signature"].split(",")))


def _reporter(row: Row) -> Reporter:
    return Reporter(row["id"], row["telegram_user_id"], row["chat_id"], row["language"],
                    row["telegram_language_code"], optional_from_text(row["notice_seen_at"]))


def _explanation_json(explanation: Explanation | None) -> str | None:
    if explanation is None:
        return None
    return json.dumps({"confidence": explanation.confidence, "cues": list(explanation.cues),
                       "words": list(explanation.words), "uncertain": explanation.uncertain}, ensure_ascii=False)


def _explanation(stored: str | None) -> Explanation | None:
    if not stored:
        return None
    data = json.loads(stored)
    return Explanation(float(data["confidence"]), tuple(data["cues"]), tuple(data["words"]), bool(data["uncertain"]))


def _report(row: Row) -> Report:
    return Report(
        id=row["id"],
        reference=row["reference"],
        country=row["country"],
        status=ReportStatus(row["status"]),
        reply_language=row["reply_language"],
        detected_language=row["detected_language"],
        language_confidence=row["language_confidence"],
        category=Category(row["category"]),
        category_reason=row["category_reason"],
        platform=Platform(row["platform"]) if row["platform"] else None,
        money_lost=None if row["money_lost"] is None else bool(row["money_lost"]),
        loss_amount=row["loss_amount"],
        followup_step=FollowUpStep(row["followup_step"]) if row["followup_step"] else None,
        followup_message_id=row["followup_message_id"],
        created_at=from_text(row["created_at"]),
        last_message_at=from_text(row["last_message_at"]),
        followup_deadline=from_text(row["followup_deadline"]),
        completed_at=optional_from_text(row["completed_at"]),
        reporter_chat_id=row["reporter_chat_id"],
        urgent=bool(row["urgent"]),
        scam_type=row["scam_type"],
        explanation=_explanation(row["category_explanation"]),
        merged_into=row["merged_into"],
        decided_at=optional_from_text(row["decided_at"]),
        decided_by=row["decided_by"],
        keep_on_file=bool(row["keep_on_file"]),
    )


class ReportStore:
    def __init__(self, database: SQLDatabase) -> None:
        self.database = database

    # --- updates and reporters -------------------------------------------------------------

    def claim_update(self, tx: Transaction, update_id: int, now: datetime) -> SeenUpdate | None:
        """Remember ``update_id``; if it was seen before (an update replayed after a crash), what
        it did then: the report and the outcome :meth:`record_update` kept."""
        changed = tx.execute(
            "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)"
            " ON CONFLICT (update_id) DO NOTHING",
            (update_id, to_text(now)),
        )
        if changed == 1:
            return None
        row = tx.fetch_one("SELECT report_id, outcome FROM processed_updates WHERE update_id = ?", (update_id,))
        return SeenUpdate(row["report_id"], row["outcome"]) if row else SeenUpdate(None, None)

    def record_update(self, tx: Transaction, update_id: int, report_id: int | None, outcome: str) -> None:
        """What the claimed update did, for answering it again if it is replayed."""
        tx.execute("UPDATE processed_updates SET report_id = ?, outcome = ? WHERE update_id = ?",
                   (report_id, outcome, update_id))

    async def forget_updates_before(self, moment: datetime) -> int:
        return await self.database.run(
            lambda tx: tx.execute("DELETE FROM processed_updates WHERE processed_at < ?", (to_text(moment),)))

    def upsert_reporter(self, tx: Transaction, user_id: int, chat_id: int,
                              language_code: str | None, now: datetime) -> Reporter:
        row = tx.fetch_one(
            "INSERT INTO reporters (telegram_user_id, chat_id, telegram_language_code, created_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (telegram_user_id) DO UPDATE SET chat_id = excluded.chat_id,"
            " telegram_language_code = COALESCE(excluded.telegram_language_code,"
            " reporters.telegram_language_code)"
            " RETURNING id, telegram_user_id, chat_id, language, telegram_language_code, notice_seen_at",
            (user_id, chat_id, language_code, to_text(now)),
        )
        assert row is not None
        return _reporter(row)

    async def reporter(self, user_id: int) -> Reporter | None:
        row = await self.database.fetch_one("SELECT * FROM reporters WHERE telegram_user_id = ?", (user_id,))
        return _reporter(row) if row else None

    def set_reporter_language(self, tx: Transaction, reporter_id: int, language: str) -> None:
        tx.execute("UPDATE reporters SET language = ? WHERE id = ?", (language, reporter_id))

    def mark_notice_seen(self, tx: Transaction, reporter_id: int, now: datetime) -> None:
        tx.execute("UPDATE reporters SET notice_seen_at = COALESCE(notice_seen_at, ?) WHERE id = ?",
                   (to_text(now), reporter_id))

    def erase_reporter(self, tx: Transaction, user_id: int) -> int:
        """Delete the reporter; their reports stay, unlinked (ON DELETE SET NULL). Returns reports kept."""
        row = tx.fetch_one(
            "SELECT p.id, COUNT(r.id) AS reports FROM reporters p LEFT JOIN reports r ON r.reporter_id = p.id"
            " WHERE p.telegram_user_id = ? GROUP BY p.id",
            (user_id,),
        )
        if row is None:
            return 0
        tx.execute("DELETE FROM reporters WHERE id = ?", (row["id"],))
        return int(row["reports"])

    # --- reports ---------------------------------------------------------------------------

    def latest_report(self, tx: Transaction, reporter_id: int) -> Report | None:
        row = tx.fetch_one(
            f"SELECT {_REPORT_COLUMNS} {_REPORT_FROM} WHERE r.reporter_id = ? AND r.status <> ?"
            " ORDER BY r.id DESC LIMIT 1",
            (reporter_id, ReportStatus.CANCELLED.value),
        )
        return _report(row) if row else None

    def insert_report(self, tx: Transaction, report: Report, reporter_id: int) -> int:
        return tx.insert(
            "INSERT INTO reports (reference, reporter_id, created_at, country, status, reply_language,"
            " detected_language, language_confidence, category, category_reason, platform, money_lost,"
            " loss_amount, followup_step, followup_message_id, last_message_at, followup_deadline,"
            " completed_at, scam_type, category_explanation, keep_on_file, loss_value, loss_currency)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (report.reference, reporter_id, to_text(report.created_at), *self._mutable(report)),
        )

    @staticmethod
    def _mutable(report: Report) -> tuple[Any, ...]:
        # The amount lost is parsed here, where it is written, so summaries and exports read it
        # parsed; a bare number's currency is the country's, so it is parsed again on every write.
        loss = parse_loss(report.loss_amount, report.country) if report.loss_amount else None
        return (
            report.country, report.status.value, report.reply_language, report.detected_language,
            report.language_confidence, report.category.value, report.category_reason,
            report.platform.value if report.platform else None,
            None if report.money_lost is None else int(report.money_lost), report.loss_amount,
            report.followup_step.value if report.followup_step else None, report.followup_message_id,
            to_text(report.last_message_at), to_text(report.followup_deadline),
            to_text(report.completed_at) if report.completed_at else None, report.scam_type,
            _explanation_json(report.explanation), int(report.keep_on_file),
            str(loss.amount) if loss else None, loss.currency if loss else None,
        )

    def update_report(self, tx: Transaction, report: Report) -> None:
        tx.execute(
            "UPDATE reports SET reference = ?, country = ?, status = ?, reply_language = ?, detected_language = ?,"
            " language_confidence = ?, category = ?, category_reason = ?, platform = ?, money_lost = ?,"
            " loss_amount = ?, followup_step = ?, followup_message_id = ?, last_message_at = ?,"
            " followup_deadline = ?, completed_at = ?, scam_type = ?, category_explanation = ?, keep_on_file = ?,"
            # A de-identified report has no typed amount left to parse: its parsed one is kept.
            " loss_value = CASE WHEN deidentified_at IS NULL THEN ? ELSE loss_value END,"
            " loss_currency = CASE WHEN deidentified_at IS NULL THEN ? ELSE loss_currency END WHERE id = ?",
            (report.reference, *self._mutable(report), report.id),
        )
        tx.execute(
            "UPDATE indicators SET report_country = ?, report_category = ?, report_live = ? WHERE report_id = ?",
            (report.country, report.category.value, int(report.status not in _NOT_LIVE), report.id),
        )

    def add_message(self, tx: Transaction, report_id: int, message: IncomingMessage,
                          indicators: Sequence[Indicator]) -> None:
        origin = message.origin
        message_row = tx.insert(
            "INSERT INTO report_messages (report_id, telegram_message_id, text, media_group_id, origin_type,"
            " origin_name, origin_date, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (report_id, message.message_id, message.text, message.media_group_id,
             origin.type if origin else None, origin.name if origin else None,
             to_text(origin.date) if origin and origin.date else None, to_text(message.received_at)),
        )
        if message.text:
            tx.execute("INSERT INTO report_search (rowid, text) VALUES (?, ?)", (message_row, message.text))
        if message.attachments:
            tx.execute_many(
                "INSERT INTO evidence (report_id, message_id, kind, file_id, file_unique_id, file_size,"
                " mime_type, file_name, caption) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(report_id, message_row, a.kind, a.file_id, a.file_unique_id, a.file_size, a.mime_type,
                  a.file_name, message.text or None) for a in message.attachments],
            )
        self._insert_indicators(tx, report_id, indicators)

    def replace_indicators(self, tx: Transaction, report_id: int, indicators: Sequence[Indicator]) -> None:
        tx.execute("DELETE FROM indicators WHERE report_id = ?", (report_id,))
        self._insert_indicators(tx, report_id, indicators)

    def add_indicators(self, tx: Transaction, report_id: int, indicators: Sequence[Indicator]) -> None:
        """Add indicators; one the report already has (typed, or in another image) is kept as it is."""
        self._insert_indicators(tx, report_id, indicators)

    @staticmethod
    def _insert_indicators(tx: Transaction, report_id: int, indicators: Sequence[Indicator]) -> None:
        if indicators:
            tx.execute_many(
                "INSERT INTO indicators (report_id, kind, value, detail, found_in, report_country, report_category,"
                " report_created_at, report_live) SELECT ?, ?, ?, ?, ?, country, category, created_at,"
                " CASE WHEN status NOT IN (?, ?) THEN 1 ELSE 0 END FROM reports WHERE id = ?"
                " ON CONFLICT (report_id, kind, value) DO NOTHING",
                [(report_id, i.kind, i.value, i.detail, i.found_in, *_NOT_LIVE, report_id) for i in indicators],
            )

    def message_count(self, tx: Transaction, report_id: int, media_group_id: str) -> int:
        row = tx.fetch_one(
            "SELECT COUNT(*) AS n FROM report_messages WHERE report_id = ? AND media_group_id = ?",
            (report_id, media_group_id),
        )
        return int(row["n"]) if row else 0

    def audited_since(self, tx: Transaction, actor: str, action: str, moment: datetime) -> bool:
        """Whether ``actor`` has an audit row of ``action`` since ``moment``."""
        return tx.fetch_one("SELECT 1 FROM audit_log WHERE actor = ? AND action = ? AND at >= ? LIMIT 1",
                            (actor, action, to_text(moment))) is not None

    def reports_since(self, tx: Transaction, reporter_id: int, moment: datetime) -> int:
        """Reports the reporter made since ``moment`` (withdrawn ones too: a flood is a flood)."""
        row = tx.fetch_one("SELECT COUNT(*) AS n FROM reports WHERE reporter_id = ? AND created_at >= ?",
                           (reporter_id, to_text(moment)))
        return int(row["n"]) if row else 0

    def messages_since(self, tx: Transaction, reporter_id: int, moment: datetime) -> int:
        """Messages of the reporter's reports received since ``moment``."""
        row = tx.fetch_one(
            "SELECT COUNT(*) AS n FROM report_messages m JOIN reports r ON r.id = m.report_id"
            " WHERE r.reporter_id = ? AND r.last_message_at >= ? AND m.received_at >= ?",
            (reporter_id, to_text(moment), to_text(moment)))
        return int(row["n"]) if row else 0

    def message_count_of(self, tx: Transaction, report_id: int) -> int:
        row = tx.fetch_one("SELECT COUNT(*) AS n FROM report_messages WHERE report_id = ?", (report_id,))
        return int(row["n"]) if row else 0

    def report_text(self, tx: Transaction, report_id: int, *, with_images: bool = True) -> str:
        """The citizen's words, then (``with_images``) the text read from their screenshots: what
        the report is classified and compared on."""
        rows = tx.fetch_all("SELECT text FROM report_messages WHERE report_id = ? ORDER BY id",
                                  (report_id,))
        words = [row["text"] for row in rows]
        return report_text(words, ImageTextStore.read_texts(tx, report_id) if with_images else ())

    async def text_parts(self, *, report_id: int | None = None, reference: str | None = None,
                         user_id: int | None = None) -> TextParts | None:
        """A report's words and image texts, read outside any transaction (for the work done on
        them before one): by id, by reference, or the latest report of a Telegram user."""
        if report_id is not None:
            found = await self.database.fetch_one("SELECT id, country FROM reports WHERE id = ?", (report_id,))
        elif reference is not None:
            found = await self.database.fetch_one("SELECT id, country FROM reports WHERE reference = ?", (reference,))
        else:
            found = await self.database.fetch_one(
                "SELECT r.id, r.country FROM reports r JOIN reporters p ON p.id = r.reporter_id"
                " WHERE p.telegram_user_id = ? AND r.status <> ? ORDER BY r.id DESC LIMIT 1",
                (user_id, ReportStatus.CANCELLED.value))
        if found is None:
            return None
        report_id = int(found["id"])
        words = await self.database.fetch_all(
            "SELECT text FROM report_messages WHERE report_id = ? ORDER BY id", (report_id,))
        images = await self.database.fetch_all(
            "SELECT evidence_id, text FROM evidence_text WHERE report_id = ? AND state = 'read' AND text <> ''"
            " ORDER BY evidence_id", (report_id,))
        return TextParts(report_id, found["country"], tuple(row["text"] for row in words),
                         tuple((int(row["evidence_id"]), row["text"]) for row in images))

    def save_fingerprint(self, tx: Transaction, report_id: int,
                         fingerprint: Fingerprint) -> list[tuple[int, Fingerprint]]:
        """Store the text's fingerprint; return the earlier reports that may share its script."""
        bands = fingerprint.bands
        rows = tx.fetch_all(
            "SELECT report_id, text_hash, script_hash, script_length, signature FROM report_fingerprints"
            " WHERE text_hash = ? OR script_hash = ? OR report_id IN (SELECT report_id FROM report_bands"
            f" WHERE band IN ({', '.join('?' * len(bands))})) LIMIT 500",
            (fingerprint.text_hash, fingerprint.script_hash, *bands),
        )
        tx.execute(
            "INSERT INTO report_fingerprints (report_id, text_hash, script_hash, script_length, signature)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (report_id) DO NOTHING",
            (report_id, fingerprint.text_hash, fingerprint.script_hash, fingerprint.script_length,
             ",".join(map(str, fingerprint.signature))),
        )
        tx.execute_many("INSERT INTO report_bands (band, report_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [(band, report_id) for band in bands])
        return [(row["report_id"], _fingerprint(row)) for row in rows if row["report_id"] != report_id]

    @staticmethod
    def forget_fingerprint(tx: Transaction, report_id: int) -> None:
        """Before the report's text is fingerprinted again (it grew by what a screenshot holds)."""
        row = tx.fetch_one("SELECT text_hash, script_hash, script_length, signature FROM report_fingerprints"
                           " WHERE report_id = ?", (report_id,))
        if row is None:
            return
        old = _fingerprint(row)
        # Deleted band by band: report_bands is keyed (band, report_id), for lookups by band.
        tx.execute_many("DELETE FROM report_bands WHERE band = ? AND report_id = ?",
                        [(band, report_id) for band in old.bands])
        tx.execute("DELETE FROM report_fingerprints WHERE report_id = ?", (report_id,))

    def link(self, tx: Transaction, report_id: int, earlier_id: int, match: str, score: float) -> None:
        tx.execute("INSERT INTO report_links (report_id, earlier_id, match, score) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT (report_id, earlier_id) DO NOTHING", (report_id, earlier_id, match, score))

    async def set_followup_message(self, report_id: int, message_id: int) -> None:
        await self.database.run(lambda tx: tx.execute(
            "UPDATE reports SET followup_message_id = ? WHERE id = ?", (message_id, report_id)))

    def find_in(self, tx: Transaction, reference: str) -> Report | None:
        """The report's own row only (no messages), read inside a transaction."""
        row = tx.fetch_one(f"SELECT {_REPORT_COLUMNS} {_REPORT_FROM} WHERE r.reference = ?", (reference,))
        return _report(row) if row else None

    def get_in(self, tx: Transaction, report_id: int) -> Report | None:
        row = tx.fetch_one(f"SELECT {_REPORT_COLUMNS} {_REPORT_FROM} WHERE r.id = ?", (report_id,))
        return _report(row) if row else None

    async def find(self, reference: str) -> Report | None:
        """The report with all its messages, evidence and indicators."""
        return await self.database.run(lambda tx: self._load(tx, "r.reference = ?", reference))

    async def by_id(self, report_id: int) -> Report | None:
        return await self.database.run(lambda tx: self._load(tx, "r.id = ?", report_id))

    @staticmethod
    def _load(tx: Transaction, where: str, value: object) -> Report | None:
        row = tx.fetch_one(f"SELECT {_REPORT_COLUMNS} {_REPORT_FROM} WHERE {where}", (value,))
        if row is None:
            return None
        report = _report(row)
        rows = tx.fetch_all(
            "SELECT text, received_at, origin_type, origin_name, origin_date FROM report_messages"
            " WHERE report_id = ? ORDER BY id", (report.id,))
        report.messages = [
            ReportMessage(
                text=r["text"], received_at=from_text(r["received_at"]),
                origin=Origin(r["origin_type"], r["origin_name"] or "", optional_from_text(r["origin_date"]))
                if r["origin_type"] else None,
            )
            for r in rows
        ]
        rows = tx.fetch_all(
            "SELECT id, kind, file_id, file_unique_id, file_size, mime_type, file_name, caption FROM evidence"
            " WHERE report_id = ? ORDER BY id", (report.id,))
        read = ImageTextStore.of_report(tx, report.id)
        report.evidence = [Evidence(r["kind"], r["file_id"], r["file_unique_id"], r["file_size"], r["mime_type"],
                                    r["file_name"], r["caption"], read.get(r["id"])) for r in rows]
        rows = tx.fetch_all("SELECT kind, value, detail, found_in FROM indicators WHERE report_id = ? ORDER BY id",
                            (report.id,))
        report.indicators = [Indicator(r["kind"], r["value"], r["detail"], r["found_in"]) for r in rows]
        report.history = {(i.kind, i.value): ReportStore._history(tx, i.kind, i.value) for i in report.indicators}
        for row in tx.fetch_all("SELECT match, COUNT(*) AS n FROM report_links WHERE report_id = ? GROUP BY match",
                                (report.id,)):
            if row["match"] == "suggested":
                report.possible_duplicates += int(row["n"])
            else:
                report.same_script_reports += int(row["n"])
        return report

    async def indicator_history(self, kind: str, value: str) -> IndicatorHistory:
        """Reports containing the indicator: how many, since when, where and as what. Reporters
        and report texts are not part of the answer."""
        return await self.database.run(lambda tx: self._history(tx, kind, value))

    @staticmethod
    def _history(tx: Transaction, kind: str, value: str) -> IndicatorHistory:
        # One range of ix_indicators_lookup: each row is one report (UNIQUE report_id, kind, value).
        rows = tx.fetch_all(
            "SELECT report_category AS category, report_country AS country, MIN(report_created_at) AS first_seen,"
            " MAX(report_created_at) AS last_seen, COUNT(*) AS reports FROM indicators"
            " WHERE kind = ? AND value = ? AND report_live = 1 GROUP BY report_category, report_country",
            (kind, value),
        )
        by_category: dict[str, int] = {}
        for row in rows:
            by_category[row["category"]] = by_category.get(row["category"], 0) + int(row["reports"])
        return IndicatorHistory(
            kind=kind,
            value=value,
            reports=sum(int(row["reports"]) for row in rows),
            first_seen=min((from_text(row["first_seen"]) for row in rows), default=None),
            last_seen=max((from_text(row["last_seen"]) for row in rows), default=None),
            countries=tuple(sorted({row["country"] for row in rows})),
            categories=tuple(sorted(by_category.items(), key=lambda item: (-item[1], item[0]))),
        )

    async def of_reporter(self, user_id: int, limit: int = 10) -> list[Report]:
        rows = await self.database.fetch_all(
            f"SELECT {_REPORT_COLUMNS} {_REPORT_FROM} WHERE p.telegram_user_id = ?"
            " ORDER BY r.id DESC LIMIT ?",
            (user_id, limit),
        )
        return [_report(row) for row in rows]

    async def expired_collecting(self, now: datetime) -> list[Report]:
        rows = await self.database.fetch_all(
            f"SELECT {_REPORT_COLUMNS} {_REPORT_FROM} WHERE r.status = ? AND r.followup_deadline <= ?"
            " ORDER BY r.followup_deadline LIMIT 100",
            (ReportStatus.COLLECTING.value, to_text(now)),
        )
        return [_report(row) for row in rows]

    def audit(self, tx: Transaction, now: datetime, actor: str, action: str,
              report_id: int | None = None, detail: str = "", *, actor_name: str | None = None,
              from_status: ReportStatus | None = None, to_status: ReportStatus | None = None) -> None:
        """One row of the audit trail: who, when, what, from which state to which, and why."""
        tx.execute(
            "INSERT INTO audit_log (at, actor, action, report_id, detail, actor_name, from_status, to_status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (to_text(now), actor, action, report_id, detail, actor_name,
             from_status.value if from_status else None, to_status.value if to_status else None),
        )
