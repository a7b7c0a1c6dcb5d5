"""Telling citizens what became of their report, through the outbox (so a notice survives a
restart or Telegram's flood limits like any forward)."""

from __future__ import annotations

from datetime import datetime

from harmline.reports.model import Delivery, Report, ReportStatus
from harmline.reports.purpose import FORWARD, Notice
from harmline.repositories import OutboxRepository, ReportRepository, Transaction
from harmline.repositories.outbox import DELIVERED, PENDING
from harmline.routing import citizen_of

CONFIRMED, FORWARDED, REJECTED, MERGED = "confirmed", "forwarded", "rejected", "merged"
UNREADABLE = "unreadable"  # the report is only a picture, and its text could not be read
ASK_PREFIX = "ask:"  # + the question's key (i18n.labels.QUESTIONS)


class Notices:
    def __init__(self, outbox: OutboxRepository, reports: ReportRepository) -> None:
        self.outbox = outbox
        self.reports = reports

    def tell(self, tx: Transaction, report: Report, event: str, now: datetime) -> bool:
        """Queue a notice of ``event``; False when the citizen cannot be reached (erased their data)."""
        recipients = citizen_of(report.reporter_chat_id, report.reply_language)
        self.outbox.enqueue(tx, report.id, recipients, now, now, purpose=Notice(event))
        return bool(recipients)

    def after_delivery(self, tx: Transaction, delivery: Delivery, now: datetime) -> None:
        """Once every forward of a report reached its contact, the citizen hears where it went."""
        if delivery.purpose != FORWARD or delivery.report_id is None:
            return
        states = self.outbox.forwards_of(tx, delivery.report_id)
        if states.get(PENDING) or not states.get(DELIVERED):
            return
        report = self.reports.get_in(tx, delivery.report_id)
        if report is not None and report.status not in (ReportStatus.REJECTED, ReportStatus.MERGED):
            self.tell(tx, report, FORWARDED, now)
