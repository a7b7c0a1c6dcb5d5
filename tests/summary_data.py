"""A week of reports whose summary figures were worked out by hand (tests/test_summaries.py
checks them; the end-to-end summary tests send them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from harmline.reports.money import parse_loss
from harmline.repositories import Transaction
from harmline.storage import Database
from harmline.storage.codec import to_text
from harmline.summaries.week import Week

W47 = Week(2026, 47)  # Monday 16 – Sunday 22 November 2026; in Bangkok (UTC+7) it starts Sun 15 Nov 17:00 UTC
URL, SLOT, PHONE = "https://bad.example/login", "https://slot.example/", "+66811111111"


def bangkok(day: int, hour: int, minute: int = 0) -> datetime:
    """November ``day``, local time in Bangkok, as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@dataclass
class Row:
    at: datetime
    category: str
    status: str
    platform: str | None = None
    language: str | None = "th"
    scam_type: str | None = None
    loss: str | None = None
    indicators: tuple[tuple[str, str], ...] = ()
    decided: datetime | None = None
    decision_seconds: int | None = None
    country: str = "TH"


# The known data set. This week (W47, local days Mon 16 … Sun 22):
DATA = [
    Row(bangkok(16, 0, 30), "scam", "confirmed", "sms", scam_type="phishing", loss="5,000 บาท",
        indicators=(("url", URL),), decided=bangkok(16, 3), decision_seconds=7200),
    Row(bangkok(16, 10), "scam", "confirmed", "sms", scam_type="phishing", loss="฿12,000",
        indicators=(("url", URL), ("phone", PHONE)), decided=bangkok(16, 11), decision_seconds=3600),
    # Found harmless: counted as received and decided, but its loss and indicators do not count.
    Row(bangkok(17, 9), "scam", "rejected", "facebook", scam_type="investment", loss="1,000,000",
        indicators=(("url", URL),), decided=bangkok(17, 10), decision_seconds=1800),
    Row(bangkok(18, 9), "illegal_gambling", "new", "facebook", indicators=(("url", SLOT),)),
    Row(bangkok(19, 9), "illegal_gambling", "in_review", "tiktok", language="en",
        indicators=(("url", SLOT), ("phone", PHONE))),
    Row(bangkok(20, 9), "illegal_gambling", "needs_info", "facebook", language="my", indicators=(("url", SLOT),)),
    # A duplicate merged into another report: received, decided, but its loss is the other report's.
    Row(bangkok(21, 9), "scam", "merged", "whatsapp", language="en", scam_type="job", loss="USD 300",
        decided=bangkok(21, 10), decision_seconds=600),
    Row(bangkok(22, 23, 30), "scam", "confirmed", "sms", scam_type="phishing", loss="USD 200",
        indicators=(("phone", PHONE),), decided=bangkok(22, 23, 50), decision_seconds=14400),
    # Withdrawn by the citizen: not counted at all.
    Row(bangkok(17, 12), "scam", "cancelled", "sms", indicators=(("url", SLOT),)),
    # Another country's report the same week: not Thailand's figures.
    Row(bangkok(18, 12), "scam", "confirmed", "sms", indicators=(("url", SLOT),), country="MY"),
    # Last week (W46, Mon 9 … Sun 15): the phone was reported once before; the last one is Sunday 23:30
    # in Bangkok, which is already Monday in no time zone the summary uses, so it is last week's.
    Row(bangkok(10, 9), "scam", "confirmed", "sms", scam_type="phishing", indicators=(("phone", PHONE),),
        decided=bangkok(17, 9), decision_seconds=86400),
    Row(bangkok(12, 9), "other", "new", "facebook", language="en"),
    Row(bangkok(15, 23, 30), "illegal_gambling", "new", "facebook"),
]


async def insert_rows(database: Database, rows: list[Row]) -> None:
    def work(tx: Transaction) -> None:
        for number, row in enumerate(rows):
            loss = parse_loss(row.loss, row.country) if row.loss else None  # as the report store parses it
            report_id = tx.insert(
                "INSERT INTO reports (reference, country, status, reply_language, detected_language, category,"
                " category_reason, platform, money_lost, loss_amount, loss_value, loss_currency, created_at,"
                " last_message_at, followup_deadline, completed_at, decided_at, decision_seconds, scam_type)"
                " VALUES (?, ?, ?, 'th', ?, ?, 'test', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (f"{row.country}-TEST{number:04d}", row.country, row.status, row.language, row.category,
                 row.platform, 1 if row.loss else None, row.loss, str(loss.amount) if loss else None,
                 loss.currency if loss else None, to_text(row.at), to_text(row.at), to_text(row.at),
                 to_text(row.at), to_text(row.decided) if row.decided else None, row.decision_seconds,
                 row.scam_type))
            for kind, value in row.indicators:
                tx.execute(
                    "INSERT INTO indicators (report_id, kind, value, report_country, report_category,"
                    " report_created_at, report_live) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (report_id, kind, value, row.country, row.category, to_text(row.at),
                     int(row.status not in ("cancelled", "rejected"))))

    await database.run(work)
