"""Ordered schema migrations. Append only: a shipped migration is never edited.

Each migration is a list of single statements run inside one transaction by
:meth:`storage.database.Database.migrate` (never ``executescript``, which commits on its own).
The SQL sticks to what SQLite and PostgreSQL share (except the full-text index of migration 6,
FTS5); times are ISO-8601 UTC text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harmline.reports.money import parse_loss
from harmline.repositories.privacy import CITIZEN_ACTIONS
from harmline.repositories.unit_of_work import Transaction

# The audit rows of citizens' attempts that still name the account (see deletion_indexes).
CITIZEN_ROWS = "action IN (" + ", ".join(f"'{action}'" for action in CITIZEN_ACTIONS) + ") AND actor <> 'citizen'"


@dataclass(frozen=True)
class Migration:
    name: str
    statements: tuple[str, ...]
    # Run after the statements, in the same transaction: data SQL cannot compute (a parse in Python).
    then: Callable[[Transaction], None] | None = None

    def apply(self, tx: Transaction) -> None:
        """The statements, then the Python step, inside the caller's transaction."""
        for statement in self.statements:
            tx.execute(statement)
        if self.then is not None:
            self.then(tx)


def several_processes(integer: str) -> Migration:
    """The same on both backends but for the integer type (SQLite's INTEGER, PostgreSQL's BIGINT)."""
    return Migration(
        "several bot processes on one database: each update's chat, chats and delivery lanes claimed",
        (
            # Which chat an update belongs to (0: none), so one chat's updates are handled in order
            # even when several processes receive them.
            f"ALTER TABLE inbox ADD COLUMN chat_id {integer} NOT NULL DEFAULT 0",
            "CREATE INDEX ix_inbox_chat_pending ON inbox (chat_id, update_id) WHERE state = 'pending'",
            # A process handling a chat's updates holds its claim until ``until``, renewing it; a
            # claim that was not renewed (its process died) may be taken by another.
            f"""CREATE TABLE chat_claims (
                chat_id {integer} PRIMARY KEY,
                worker TEXT NOT NULL,
                until TEXT NOT NULL
            )""",
            # The same for the outbox's lanes: one process sends to a target at a time, in order.
            """CREATE TABLE delivery_lanes (
                target TEXT PRIMARY KEY,
                worker TEXT NOT NULL,
                until TEXT NOT NULL
            )""",
        ),
    )


def privacy_controls(integer: str) -> Migration:
    """The same on both backends but for the integer type: blocks, retention and consent."""
    return Migration(
        "privacy and abuse controls: blocked citizens, de-identified reports, consent",
        (
            # A citizen a moderator blocked by one of their reports' references (the reference is
            # kept so /unblock works even once that report was de-identified); told_at: the one
            # notice they get, on their next message.
            f"""CREATE TABLE blocked_users (
                telegram_user_id {integer} PRIMARY KEY,
                reference TEXT NOT NULL,
                blocked_at TEXT NOT NULL,
                blocked_by TEXT NOT NULL,
                told_at TEXT
            )""",
            "CREATE INDEX ix_blocked_users_reference ON blocked_users (reference)",
            # When retention took the report's words, files and reporter away (statistics stay).
            "ALTER TABLE reports ADD COLUMN deidentified_at TEXT",
            "CREATE INDEX ix_reports_identified ON reports (country, created_at) WHERE deidentified_at IS NULL",
            # The citizen asked to keep the report on file only: it is never forwarded or counted
            # in what goes out of harmline.
            f"ALTER TABLE reports ADD COLUMN keep_on_file {integer} NOT NULL DEFAULT 0",
            # When the citizen was first told who receives reports (the line under the first
            # acknowledgement, or /start and /privacy).
            "ALTER TABLE reporters ADD COLUMN notice_seen_at TEXT",
        ),
    )


def deletion_indexes() -> Migration:
    """The same on both backends (SQLite 14, PostgreSQL 5). Deleting a report (retention) checks every foreign key that
    points at it or at its rows: without an index on the pointing column each check reads the
    whole table (500 deletions took 3.9 s on 20,000 reports; 0.02 s with these)."""
    return Migration(
        "indexes for deleting reports, for exports of forwarded reports, and for citizens' audit rows",
        (
            "CREATE INDEX ix_reports_merged_into ON reports (merged_into) WHERE merged_into IS NOT NULL",
            "CREATE INDEX ix_evidence_message ON evidence (message_id)",
            "CREATE INDEX ix_report_bands_report ON report_bands (report_id)",
            "CREATE INDEX ix_processed_updates_report ON processed_updates (report_id) WHERE report_id IS NOT NULL",
            # Exports: "was the report's forward delivered?" in one step per report.
            "CREATE INDEX ix_deliveries_report ON deliveries (report_id, purpose, state)",
            # Retention takes the account out of these rows; the query repeats this WHERE so the
            # planner may use the index (storage/privacy.py).
            f"CREATE INDEX ix_audit_citizens ON audit_log (at) WHERE {CITIZEN_ROWS}",
        ),
    )


def parsed_losses() -> Migration:
    """The same on both backends (SQLite 15, PostgreSQL 6). The amount a citizen lost, as typed,
    is parsed once when it is stored instead of at every summary (2,200 parses took 110 ms of a
    busy week's summary); the index of reports by country and date carries the columns the
    summaries count by, so their counts read the index alone."""
    return Migration(
        "losses parsed when stored; the summaries' counts from the index alone",
        (
            "ALTER TABLE reports ADD COLUMN loss_value TEXT",  # a decimal, exact, as text
            "ALTER TABLE reports ADD COLUMN loss_currency TEXT",
            "DROP INDEX ix_reports_received",
            "CREATE INDEX ix_reports_received ON reports (country, created_at, status, keep_on_file, category,"
            " scam_type, platform, detected_language)",
        ),
        then=_parse_stored_losses,
    )


def _parse_stored_losses(tx: Transaction) -> None:
    rows = tx.fetch_all("SELECT id, country, loss_amount FROM reports WHERE loss_amount IS NOT NULL")
    parsed = [(money, row["id"]) for row in rows if (money := parse_loss(row["loss_amount"], row["country"]))]
    tx.execute_many("UPDATE reports SET loss_value = ?, loss_currency = ? WHERE id = ?",
                    [(str(money.amount), money.currency, report_id) for money, report_id in parsed])


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
    Migration(
        "moderation: decision states, urgency, merges, run-time moderators, card messages, forum topics, search",
        (
            # One state machine: "awaiting_review" and "submitted" both meant "complete, undecided".
            "UPDATE reports SET status = 'new' WHERE status IN ('awaiting_review', 'submitted')",
            "ALTER TABLE reports ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE reports ADD COLUMN merged_into INTEGER REFERENCES reports(id) ON DELETE SET NULL",
            "ALTER TABLE reports ADD COLUMN decided_at TEXT",
            "ALTER TABLE reports ADD COLUMN decided_by TEXT",
            # Seconds from completion to decision, so /stats reads a median from an index alone.
            "ALTER TABLE reports ADD COLUMN decision_seconds INTEGER",
            # The queue: undecided reports of a country, oldest first, filterable without the table.
            "CREATE INDEX ix_reports_undecided ON reports (country, completed_at, id, category, detected_language)"
            " WHERE status IN ('new', 'in_review')",
            "CREATE INDEX ix_reports_received ON reports (country, created_at)",
            "CREATE INDEX ix_reports_decided ON reports (country, decided_at, decision_seconds)"
            " WHERE decided_at IS NOT NULL",
            "CREATE INDEX ix_reports_needs_info ON reports (country, completed_at) WHERE status = 'needs_info'",
            "ALTER TABLE audit_log ADD COLUMN actor_name TEXT",
            "ALTER TABLE audit_log ADD COLUMN from_status TEXT",
            "ALTER TABLE audit_log ADD COLUMN to_status TEXT",
            # A report now has several deliveries to one target (the first moderators' card, a card
            # after the citizen answered, notices to the citizen): the purpose joins the unique key.
            # SQLite cannot change a UNIQUE constraint in place, so the table is rebuilt.
            """CREATE TABLE deliveries_v6 (
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
                progress INTEGER NOT NULL DEFAULT 0,
                purpose TEXT NOT NULL DEFAULT 'forward',
                UNIQUE (report_id, channel, target, purpose)
            )""",
            "INSERT INTO deliveries_v6 (id, report_id, contact_name, channel, target, language, state, attempts,"
            " next_attempt_at, last_error, created_at, delivered_at, progress, purpose)"
            " SELECT id, report_id, contact_name, channel, target, language, state, attempts, next_attempt_at,"
            " last_error, created_at, delivered_at, progress,"
            " CASE channel WHEN 'review' THEN 'card' ELSE 'forward' END FROM deliveries",
            "DROP TABLE deliveries",
            "ALTER TABLE deliveries_v6 RENAME TO deliveries",
            "CREATE INDEX ix_deliveries_due ON deliveries (state, next_attempt_at)",
            # Moderators added or removed at run time (/mod); a row overrides the config for that user
            # (no countries left: no longer a moderator).
            """CREATE TABLE moderators (
                telegram_user_id INTEGER PRIMARY KEY,
                countries TEXT NOT NULL,
                on_duty INTEGER NOT NULL DEFAULT 0,
                changed_by INTEGER NOT NULL,
                changed_at TEXT NOT NULL
            )""",
            # Every card shown to moderators, so a decision updates all copies (group, topic, private).
            """CREATE TABLE review_cards (
                chat_id INTEGER NOT NULL,
                message_id INTEGER NOT NULL,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                language TEXT NOT NULL,
                thread_id INTEGER,
                PRIMARY KEY (chat_id, message_id)
            )""",
            "CREATE INDEX ix_review_cards_report ON review_cards (report_id)",
            # The topic per country in a moderators' group that has topics (created by the bot).
            """CREATE TABLE forum_topics (
                chat_id INTEGER NOT NULL,
                country TEXT NOT NULL,
                thread_id INTEGER NOT NULL,
                PRIMARY KEY (chat_id, country)
            )""",
            # /find terms, so its paging buttons still work after a restart.
            """CREATE TABLE saved_searches (
                id INTEGER PRIMARY KEY,
                telegram_user_id INTEGER NOT NULL,
                query TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
            # Substring search over citizens' words in every script (trigrams need no word breaks,
            # which Thai, Lao, Khmer, Burmese and Chinese do not write). External content: the text
            # is stored once, in report_messages.
            "CREATE VIRTUAL TABLE report_search USING fts5(text, content='report_messages', content_rowid='id',"
            " tokenize='trigram')",
            "INSERT INTO report_search (report_search) VALUES ('rebuild')",
        ),
    ),
    Migration(
        "weekly summaries: scam type on reports, deliveries that belong to no report, schedule state",
        (
            # The classifier's scam type (phishing, investment, …), counted in the weekly summaries.
            "ALTER TABLE reports ADD COLUMN scam_type TEXT",
            # A weekly summary goes through the same outbox as forwards but belongs to no report:
            # report_id becomes optional (a rebuild; SQLite cannot drop NOT NULL in place). Such a
            # delivery is unique per channel, target and purpose ("summary:TH:2026-W47"), so a week's
            # summary is never queued twice for one recipient, whatever restarts happen.
            """CREATE TABLE deliveries_v7 (
                id INTEGER PRIMARY KEY,
                report_id INTEGER REFERENCES reports(id) ON DELETE CASCADE,
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
                progress INTEGER NOT NULL DEFAULT 0,
                purpose TEXT NOT NULL DEFAULT 'forward',
                UNIQUE (report_id, channel, target, purpose)
            )""",
            "INSERT INTO deliveries_v7 SELECT id, report_id, contact_name, channel, target, language, state,"
            " attempts, next_attempt_at, last_error, created_at, delivered_at, progress, purpose FROM deliveries",
            "DROP TABLE deliveries",
            "ALTER TABLE deliveries_v7 RENAME TO deliveries",
            "CREATE INDEX ix_deliveries_due ON deliveries (state, next_attempt_at)",
            "CREATE UNIQUE INDEX ux_deliveries_unattached ON deliveries (channel, target, purpose)"
            " WHERE report_id IS NULL",
            # Small facts the bot keeps about itself (when the summary schedule first ran).
            """CREATE TABLE bot_state (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        "durable intake: every update on disk before Telegram hears it arrived; what each update did",
        (
            # The inbox: each update exactly as Telegram sent it, stored (committed) before the next
            # getUpdates confirms it or the webhook answers 200, processed from here, and replayed
            # at start-up when a crash came between. Once handled its payload (names, texts) is
            # erased; the id stays a week so a redelivered update is recognised.
            """CREATE TABLE inbox (
                update_id INTEGER PRIMARY KEY,
                received_at TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                replays INTEGER NOT NULL DEFAULT 0,
                handled_at TEXT
            )""",
            "CREATE INDEX ix_inbox_pending ON inbox (update_id) WHERE state = 'pending'",
            "CREATE INDEX ix_inbox_received ON inbox (received_at)",
            # The report an update made or changed and what it did, so an update replayed after a
            # crash is answered as the first time (same reference) instead of with silence.
            "ALTER TABLE processed_updates ADD COLUMN report_id INTEGER REFERENCES reports(id) ON DELETE SET NULL",
            "ALTER TABLE processed_updates ADD COLUMN outcome TEXT",
        ),
    ),
    Migration(
        "the classifier's explanation (confidence, cues, words) kept to be shown in each reader's language",
        (
            "ALTER TABLE reports ADD COLUMN category_explanation TEXT",
        ),
    ),
    Migration(
        "text and QR codes read from evidence images, indicators marked by where they were found",
        (
            # One row per evidence image to read: queued with the evidence (pending), then read,
            # failed (after its attempts) or skipped (too large, not an image). The text is kept
            # apart from the citizen's words so nobody mistakes one for the other.
            """CREATE TABLE evidence_text (
                evidence_id INTEGER PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                state TEXT NOT NULL,
                text TEXT NOT NULL DEFAULT '',
                language TEXT,
                confidence REAL,
                codes TEXT NOT NULL DEFAULT '',
                models TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                problem TEXT,
                queued_at TEXT NOT NULL,
                next_attempt_at TEXT NOT NULL,
                read_at TEXT
            )""",
            "CREATE INDEX ix_evidence_text_due ON evidence_text (state, next_attempt_at)",
            "CREATE INDEX ix_evidence_text_report ON evidence_text (report_id, state)",
            # /find searches what was read from screenshots as it searches the citizen's words.
            "CREATE VIRTUAL TABLE image_search USING fts5(text, content='evidence_text',"
            " content_rowid='evidence_id', tokenize='trigram')",
            # text: the citizen's words; image: read from a screenshot; qr: a QR code's content.
            "ALTER TABLE indicators ADD COLUMN found_in TEXT NOT NULL DEFAULT 'text'",
        ),
    ),
    several_processes("INTEGER"),
    # Per-citizen limits: "was this citizen told they are over a limit within the hour?"
    Migration("the audit trail by actor", ("CREATE INDEX ix_audit_actor ON audit_log (actor, action, at)",)),
    privacy_controls("INTEGER"),
    deletion_indexes(),
    parsed_losses(),
)
