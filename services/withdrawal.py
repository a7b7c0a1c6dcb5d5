"""Withdrawing a report: by the citizen (/cancel), or because a moderator blocked them."""

from __future__ import annotations

from datetime import datetime

from harmline.reports.model import Report, ReportStatus
from harmline.repositories import OutboxRepository, ReportRepository, Transaction


def withdraw(tx: Transaction, reports: ReportRepository, outbox: OutboxRepository, report: Report, now: datetime,
             actor: str, why: str = "") -> None:
    """The report is withdrawn, its untried forwards and cards cancelled, and the change audited."""
    previous = report.status
    report.status, report.followup_step = ReportStatus.CANCELLED, None
    reports.update_report(tx, report)
    outbox.cancel(tx, report.id)
    reports.audit(tx, now, actor, "report.cancelled", report.id, why, from_status=previous,
                  to_status=ReportStatus.CANCELLED)
