"""Ordered schema migrations. Append only: a shipped migration is never edited.

Each migration is a list of single statements run inside one transaction by
:meth:`storage.database.Database.migrate` (never ``executescript``, which commits on its own).
The SQL sticks to what SQLite and PostgreSQL share; times are ISO-8601 UTC text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "reporters, reports, evidence, indicators, outbox, audit log, processed updates",
        (
            # A citizen who talked to the bot. Erased whole by /deleteme; reports keep no link.
            """CREATE TABLE reporters (
                id INTEGER PRIMARY KEY,
                telegram_user_id INTEGER NOT NULL UNIQUE,
                chat_id INTEGER NOT NULL,
                language TEXT,
                telegram_language_code TEXT,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE reports (
                id INTEGER PRIMARY KEY,
                reference TEXT NOT NULL UNIQUE,
                reporter_id INTEGER REFERENCES reporters(id) ON DELETE SET NULL,
                country TEXT NOT NULL,
                status TEXT NOT NULL,
                reply_language TEXT NOT NULL,
                detected_language TEXT,
                language_confidence REAL,
                category TEXT NOT NULL,
                category_reason TEXT NOT NULL,
                platform TEXT,
                money_lost INTEGER,
                loss_amount TEXT,
                followup_step TEXT,
                followup_message_id INTEGER,
                created_at TEXT NOT NULL,
                last_message_at TEXT NOT NULL,
                followup_deadline TEXT NOT NULL,
                completed_at TEXT
            )""",
            "CREATE INDEX ix_reports_reporter ON reports (reporter_id, created_at)",
            "CREATE INDEX ix_reports_status ON reports (status, followup_deadline)",
            # The citizen's messages that make up one report (text, screenshot, more text …).
            """CREATE TABLE report_messages (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                telegram_message_id INTEGER NOT NULL,
                text TEXT NOT NULL,
                media_group_id TEXT,
                origin_type TEXT,
                origin_name TEXT,
                origin_date TEXT,
                received_at TEXT NOT NULL
            )""",
            "CREATE INDEX ix_report_messages_report ON report_messages (report_id, id)",
            """CREATE TABLE evidence (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                message_id INTEGER NOT NULL REFERENCES report_messages(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                file_id TEXT NOT NULL,
                file_unique_id TEXT NOT NULL,
                file_size INTEGER,
                mime_type TEXT,
                file_name TEXT,
                caption TEXT
            )""",
            "CREATE INDEX ix_evidence_report ON evidence (report_id, id)",
            """CREATE TABLE indicators (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                UNIQUE (report_id, kind, value)
            )""",
            "CREATE INDEX ix_indicators_value ON indicators (kind, value)",
            # The outbox: one row per report and recipient, each with its own state.
            """CREATE TABLE deliveries (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                contact_name TEXT NOT NULL,
                channel TEXT NOT NULL,
                target TEXT NOT NULL,
                language TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT,
                created_at TEXT NOT NULL,
                delivered_at TEXT,
                UNIQUE (report_id, channel, target)
            )""",
            "CREATE INDEX ix_deliveries_due ON deliveries (state, next_attempt_at)",
            """CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                report_id INTEGER REFERENCES reports(id) ON DELETE SET NULL,
                detail TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX ix_audit_report ON audit_log (report_id, id)",
            # Telegram redelivers an update whose acknowledgement was lost: remember what we did.
            """CREATE TABLE processed_updates (
                update_id INTEGER PRIMARY KEY,
                processed_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "deliveries remember how far a multi-message forward got",
        (
            # A Telegram forward is a card and then evidence: a retry resumes after what was sent.
            "ALTER TABLE deliveries ADD COLUMN progress INTEGER NOT NULL DEFAULT 0",
        ),
    ),
    Migration(
        "indicators keep what names them: bank, wallet, registrable domain, network",
        ("ALTER TABLE indicators ADD COLUMN detail TEXT",),
    ),
    Migration(
        "indicators carry their report's country, category, time and liveness for /check",
        (
            # A copy of four report fields on each indicator row, kept in step by the store in the
            # same transaction, so a lookup of a number reported thousands of times reads one
            # covering index range instead of visiting thousands of reports.
            "ALTER TABLE indicators ADD COLUMN report_country TEXT",
            "ALTER TABLE indicators ADD COLUMN report_category TEXT",
            "ALTER TABLE indicators ADD COLUMN report_created_at TEXT",
            "ALTER TABLE indicators ADD COLUMN report_live INTEGER NOT NULL DEFAULT 1",
            "UPDATE indicators SET report_country = (SELECT country FROM reports WHERE reports.id = report_id),"
            " report_category = (SELECT category FROM reports WHERE reports.id = report_id),"
            " report_created_at = (SELECT created_at FROM reports WHERE reports.id = report_id),"
            " report_live = (SELECT status <> 'cancelled' FROM reports WHERE reports.id = report_id)",
            "CREATE INDEX ix_indicators_lookup ON indicators"
            " (kind, value, report_live, report_category, report_country, report_created_at)",
            "DROP INDEX ix_indicators_value",
        ),
    ),
    Migration(
        "fingerprints of report texts, and links between reports of the same scam script",
        (
            """CREATE TABLE report_fingerprints (
                report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
                text_hash TEXT NOT NULL,
                script_hash TEXT NOT NULL,
                script_length INTEGER NOT NULL,
                signature TEXT NOT NULL
            )""",
            "CREATE INDEX ix_fingerprints_text ON report_fingerprints (text_hash)",
            "CREATE INDEX ix_fingerprints_script ON report_fingerprints (script_hash)",
            """CREATE TABLE report_bands (
                band TEXT NOT NULL,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                PRIMARY KEY (band, report_id)
            )""",
            """CREATE TABLE report_links (
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                earlier_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                match TEXT NOT NULL,
                score REAL NOT NULL,
                PRIMARY KEY (report_id, earlier_id)
            )""",
            "CREATE INDEX ix_report_links_earlier ON report_links (earlier_id)",
        ),
    ),
)
