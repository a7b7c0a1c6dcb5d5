"""What moderators work with: the queue, searches, figures, a report's history, decisions,
the cards they were shown, forum topics, and moderators added at run time."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import datetime, timedelta

from harmline.moderation.roles import Grant
from harmline.reports.model import Category, ReportStatus
from harmline.repositories.moderation import SEARCH_COUNT_CAP, AuditEntry, CountryFigures, Page, QueueItem, ReviewCard
from harmline.repositories.unit_of_work import Row, Transaction
from harmline.storage.codec import from_text, optional_from_text, to_text
from harmline.storage.units import SQLDatabase

_HOUR, _DAY, _WEEK = timedelta(hours=1), timedelta(days=1), timedelta(days=7)
# Literal, not bound: SQLite uses a partial index only when the query repeats its WHERE terms.
_UNDECIDED = "r.status IN ('new', 'in_review')"
_ITEM_COLUMNS = (
    "r.id, r.reference, r.country, r.category, r.detected_language, r.status, r.urgent, r.created_at,"
    " r.completed_at, (SELECT substr(m.text, 1, 200) FROM report_messages m WHERE m.report_id = r.id"
    " ORDER BY m.id LIMIT 1) AS excerpt"
)












def _item(row: Row) -> QueueItem:
    return QueueItem(
        reference=row["reference"], country=row["country"], category=Category(row["category"]),
        language=row["detected_language"], status=ReportStatus(row["status"]), urgent=bool(row["urgent"]),
        received_at=from_text(row["created_at"]), completed_at=optional_from_text(row["completed_at"]),
        excerpt=row["excerpt"] or "",
    )


def _placeholders(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


class ModerationStore:
    def __init__(self, database: SQLDatabase) -> None:
        self.database = database

    # --- decisions -------------------------------------------------------------------------

    def record_decision(self, tx: Transaction, report_id: int, *, decided_at: datetime, decided_by: str,
                        seconds: int | None, merged_into: int | None = None) -> None:
        tx.execute(
            "UPDATE reports SET decided_at = ?, decided_by = ?, decision_seconds = ?, merged_into = ? WHERE id = ?",
            (to_text(decided_at), decided_by, seconds, merged_into, report_id),
        )

    def mark_urgent(self, tx: Transaction, report_id: int) -> None:
        tx.execute("UPDATE reports SET urgent = 1 WHERE id = ?", (report_id,))

    def report_id(self, tx: Transaction, reference: str) -> int | None:
        row = tx.fetch_one("SELECT id FROM reports WHERE reference = ?", (reference,))
        return int(row["id"]) if row else None

    async def history(self, report_id: int) -> list[AuditEntry]:
        rows = await self.database.fetch_all(
            "SELECT at, actor, actor_name, action, from_status, to_status, detail FROM audit_log"
            " WHERE report_id = ? ORDER BY id", (report_id,))
        return [AuditEntry(from_text(r["at"]), r["actor"], r["actor_name"], r["action"], r["from_status"],
                           r["to_status"], r["detail"]) for r in rows]

    # --- the queue -------------------------------------------------------------------------

    async def queue(self, countries: Sequence[str], *, category: str | None = None, language: str | None = None,
                    offset: int = 0, limit: int = 5) -> Page:
        """Undecided reports, oldest first. One ordered index range per country, merged here,
        so a moderator of several countries does not make SQLite sort the whole backlog."""
        where = f"{_UNDECIDED} AND r.country = ?"
        extra: list[object] = []
        if category:
            where += " AND r.category = ?"
            extra.append(category)
        if language:
            where += " AND r.detected_language = ?"
            extra.append(language)
        total, heads = 0, []
        for country in countries:
            params = (country, *extra)
            row = await self.database.fetch_one(
                f"SELECT COUNT(*) AS n FROM reports r INDEXED BY ix_reports_undecided WHERE {where}", params)
            count = int(row["n"]) if row else 0
            total += count
            if count:  # its first rows may belong on this page even when it has fewer than ``offset``
                heads.append(await self.database.fetch_all(
                    f"SELECT r.completed_at, r.id FROM reports r INDEXED BY ix_reports_undecided WHERE {where}"
                    " ORDER BY r.completed_at, r.id LIMIT ?", (*params, offset + limit)))
        merged = heapq.merge(*heads, key=lambda row: (row["completed_at"], row["id"]))
        ids = [row["id"] for row in list(merged)[offset:offset + limit]]
        return Page(await self._items(ids), total, offset)

    async def _items(self, ids: Sequence[int]) -> list[QueueItem]:
        if not ids:
            return []
        rows = await self.database.fetch_all(
            f"SELECT {_ITEM_COLUMNS} FROM reports r WHERE r.id IN ({_placeholders(ids)})", tuple(ids))
        by_id = {row["id"]: _item(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    # --- search ----------------------------------------------------------------------------

    async def find_indicator(self, kind: str, value: str, countries: Sequence[str], *, offset: int = 0,
                             limit: int = 5) -> Page:
        """Reports containing the indicator, newest first (withdrawn and harmless ones too)."""
        where = f"kind = ? AND value = ? AND report_country IN ({_placeholders(countries)})"
        params = (kind, value, *countries)
        row = await self.database.fetch_one(f"SELECT COUNT(*) AS n FROM indicators WHERE {where}", params)
        rows = await self.database.fetch_all(
            f"SELECT report_id FROM indicators WHERE {where} ORDER BY report_created_at DESC, report_id DESC"
            " LIMIT ? OFFSET ?", (*params, limit, offset))
        return Page(await self._items([r["report_id"] for r in rows]), int(row["n"]) if row else 0, offset)

    async def find_text(self, text: str, countries: Sequence[str], *, offset: int = 0, limit: int = 5) -> Page:
        """Reports whose citizen's words, or the text read from their screenshots, contain ``text``
        (at least three characters), newest first. ``text`` is matched literally, whatever search
        syntax it holds."""
        in_countries = f"r.country IN ({_placeholders(countries)})"
        words = (
            "FROM report_search s JOIN report_messages m ON m.id = s.rowid JOIN reports r ON r.id = m.report_id"
            f" WHERE {self.database.text_match('report_search', 's')} AND {in_countries}"
        )
        screens = (
            "FROM image_search i JOIN evidence_text t ON t.evidence_id = i.rowid JOIN reports r ON r.id = t.report_id"
            f" WHERE {self.database.text_match('image_search', 'i')} AND {in_countries}"
        )
        params = (self.database.text_pattern(text), *countries)
        # A common word is in 100,000 texts: the count stops past SEARCH_COUNT_CAP, and each page
        # follows its index newest first, so neither sorts every hit (400 ms -> 3 ms at 1M reports).
        row = await self.database.fetch_one(
            f"SELECT COUNT(*) AS n FROM (SELECT * FROM (SELECT DISTINCT m.report_id {words} LIMIT ?) AS w"
            f" UNION SELECT * FROM (SELECT DISTINCT t.report_id {screens} LIMIT ?) AS i) AS hits",
            (*params, SEARCH_COUNT_CAP + 1, *params, SEARCH_COUNT_CAP + 1))
        shown = offset + limit
        in_words = await self.database.fetch_all(
            self.database.newest_first("m.report_id", words, "s.rowid"), (*params, shown))
        in_screens = await self.database.fetch_all(
            self.database.newest_first("t.report_id", screens, "i.rowid"), (*params, shown))
        ids = [r["report_id"] for r in in_words]
        if in_screens:  # both lists newest first: merged by report (ids grow with time)
            ids = sorted({*ids, *(r["report_id"] for r in in_screens)}, reverse=True)
        return Page(await self._items(ids[offset:shown]), int(row["n"]) if row else 0, offset)

    async def save_search(self, user_id: int, query: str, now: datetime) -> int:
        return await self.database.run(lambda tx: tx.insert(
            "INSERT INTO saved_searches (telegram_user_id, query, created_at) VALUES (?, ?, ?)",
            (user_id, query, to_text(now))))

    async def saved_search(self, search_id: int, user_id: int) -> str | None:
        """The search's terms, only for the moderator who made it."""
        row = await self.database.fetch_one(
            "SELECT query FROM saved_searches WHERE id = ? AND telegram_user_id = ?", (search_id, user_id))
        return str(row["query"]) if row else None

    async def merge_candidates(self, report_id: int, country: str, limit: int = 5) -> list[QueueItem]:
        """Reports this one may duplicate: the same scam text, or a shared number, link or account."""
        rows = await self.database.fetch_all(
            "SELECT id FROM reports WHERE id IN ("
            " SELECT earlier_id FROM report_links WHERE report_id = ?"
            " UNION SELECT report_id FROM report_links WHERE earlier_id = ?"
            " UNION SELECT * FROM (SELECT o.report_id FROM indicators i JOIN indicators o"
            "  ON o.kind = i.kind AND o.value = i.value WHERE i.report_id = ? AND o.report_id <> ?"
            "  ORDER BY o.report_id DESC LIMIT 200) AS sharing)"
            " AND id <> ? AND country = ? AND status NOT IN ('merged', 'cancelled', 'collecting')"
            " ORDER BY id DESC LIMIT ?", (*[report_id] * 5, country, limit))
        return await self._items([r["id"] for r in rows])

    # --- figures ---------------------------------------------------------------------------

    async def figures(self, country: str, *, day_start: datetime, week_start: datetime,
                      now: datetime) -> CountryFigures:
        async def count(sql: str, *params: object) -> int:
            row = await self.database.fetch_one(sql, params)
            return int(row[0] or 0) if row else 0

        received = "SELECT COUNT(*) FROM reports INDEXED BY ix_reports_received WHERE country = ? AND created_at >= ?"
        decided = ("SELECT COUNT(*) FROM reports INDEXED BY ix_reports_decided WHERE country = ? AND decided_at >= ?"
                   " AND decided_at IS NOT NULL")
        decided_week = await count(decided, country, to_text(week_start))
        median = None
        if decided_week:
            row = await self.database.fetch_one(
                "SELECT decision_seconds FROM reports INDEXED BY ix_reports_decided WHERE country = ?"
                " AND decided_at >= ? AND decided_at IS NOT NULL ORDER BY decision_seconds LIMIT 1 OFFSET ?",
                (country, to_text(week_start), decided_week // 2))
            median = row[0] if row else None
        hour, day, week = (to_text(now - span) for span in (_HOUR, _DAY, _WEEK))
        row = await self.database.fetch_one(
            "SELECT COUNT(*), COUNT(CASE WHEN completed_at < ? THEN 1 END),"
            " COUNT(CASE WHEN completed_at < ? THEN 1 END), COUNT(CASE WHEN completed_at < ? THEN 1 END)"
            f" FROM reports r INDEXED BY ix_reports_undecided WHERE {_UNDECIDED} AND country = ?",
            (hour, day, week, country))
        backlog = [int(value or 0) for value in row] if row else [0, 0, 0, 0]
        return CountryFigures(
            country=country,
            received_today=await count(received, country, to_text(day_start)),
            received_week=await count(received, country, to_text(week_start)),
            decided_today=await count(decided, country, to_text(day_start)),
            decided_week=decided_week,
            median_decision_seconds=median,
            backlog=backlog[0], backlog_over_hour=backlog[1], backlog_over_day=backlog[2],
            backlog_over_week=backlog[3],
            waiting_for_citizen=await count(
                "SELECT COUNT(*) FROM reports INDEXED BY ix_reports_needs_info WHERE status = 'needs_info'"
                " AND country = ?", country),
        )

    # --- cards, topics, moderators ---------------------------------------------------------

    async def add_card(self, report_id: int, chat_id: int, message_id: int, language: str,
                       thread_id: int | None) -> None:
        await self.database.run(lambda tx: tx.execute(
            "INSERT INTO review_cards (chat_id, message_id, report_id, language, thread_id) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (chat_id, message_id) DO NOTHING", (chat_id, message_id, report_id, language, thread_id)))

    async def forget_card(self, chat_id: int, message_id: int) -> None:
        """A card that is gone (deleted, or can no longer be edited) is not redrawn again."""
        await self.database.run(lambda tx: tx.execute(
            "DELETE FROM review_cards WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)))

    async def cards_of(self, report_id: int) -> list[ReviewCard]:
        rows = await self.database.fetch_all(
            "SELECT chat_id, message_id, language, thread_id FROM review_cards WHERE report_id = ? ORDER BY rowid",
            (report_id,))
        return [ReviewCard(r["chat_id"], r["message_id"], r["language"], r["thread_id"]) for r in rows]

    async def card(self, chat_id: int, message_id: int) -> ReviewCard | None:
        """The card shown as this message, if it is one."""
        row = await self.database.fetch_one(
            "SELECT chat_id, message_id, language, thread_id FROM review_cards WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id))
        return ReviewCard(row["chat_id"], row["message_id"], row["language"], row["thread_id"]) if row else None

    async def topics(self) -> dict[tuple[int, str], int]:
        rows = await self.database.fetch_all("SELECT chat_id, country, thread_id FROM forum_topics")
        return {(r["chat_id"], r["country"]): r["thread_id"] for r in rows}

    async def save_topic(self, chat_id: int, country: str, thread_id: int) -> None:
        await self.database.run(lambda tx: tx.execute(
            "INSERT INTO forum_topics (chat_id, country, thread_id) VALUES (?, ?, ?)"
            " ON CONFLICT (chat_id, country) DO UPDATE SET thread_id = excluded.thread_id",
            (chat_id, country, thread_id)))

    async def grants(self) -> list[Grant]:
        rows = await self.database.fetch_all("SELECT telegram_user_id, countries, on_duty FROM moderators")
        return [Grant(r["telegram_user_id"], tuple(c for c in r["countries"].split(",") if c), bool(r["on_duty"]))
                for r in rows]

    def save_grant(self, tx: Transaction, grant: Grant, changed_by: int, now: datetime) -> None:
        tx.execute(
            "INSERT INTO moderators (telegram_user_id, countries, on_duty, changed_by, changed_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (telegram_user_id) DO UPDATE SET countries = excluded.countries,"
            " on_duty = excluded.on_duty, changed_by = excluded.changed_by, changed_at = excluded.changed_at",
            (grant.user_id, ",".join(grant.countries), int(grant.on_duty), changed_by, to_text(now)),
        )


