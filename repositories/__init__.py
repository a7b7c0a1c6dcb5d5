"""The storage interface: a unit of work and the repositories the services use, as Protocols.

``harmline.storage`` implements it (SQLite by default). The services, the handlers and the
channels name only these types, so a backend is chosen in one place, the composition root.
"""

from __future__ import annotations

from dataclasses import dataclass

from harmline.repositories.exports import ExportRepository
from harmline.repositories.images import ImageTextRepository
from harmline.repositories.inbox import InboxRepository
from harmline.repositories.moderation import ModerationRepository
from harmline.repositories.outbox import OutboxRepository
from harmline.repositories.privacy import PrivacyRepository
from harmline.repositories.reports import ReportRepository
from harmline.repositories.summaries import SummaryRepository
from harmline.repositories.unit_of_work import Row, Transaction, UnitOfWork


@dataclass(frozen=True)
class Store:
    """One database and its repositories, as the composition root hands them out."""

    database: UnitOfWork
    reports: ReportRepository
    images: ImageTextRepository
    moderation: ModerationRepository
    outbox: OutboxRepository
    summaries: SummaryRepository
    exports: ExportRepository
    inbox: InboxRepository
    privacy: PrivacyRepository


__all__ = [
    "ExportRepository", "ImageTextRepository", "InboxRepository", "ModerationRepository", "OutboxRepository",
    "PrivacyRepository", "ReportRepository", "Row", "Store", "SummaryRepository", "Transaction", "UnitOfWork",
]
