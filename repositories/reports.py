"""Reports, their reporters, messages, evidence, indicators and audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from harmline.reports.model import IncomingMessage, Indicator, IndicatorHistory, Report, ReportStatus
from harmline.reports.similarity import Fingerprint
from harmline.reports.text import TextParts
from harmline.repositories.unit_of_work import Transaction


@dataclass(frozen=True)
class SeenUpdate:
    """What an update did when it was first processed (both None if it recorded nothing)."""

    report_id: int | None
    outcome: str | None


@dataclass(frozen=True)
class Reporter:
    id: int
    telegram_user_id: int
    chat_id: int
    language: str | None
    telegram_language_code: str | None
    notice_seen_at: datetime | None = None  # when they were first told who receives reports


class ReportRepository(Protocol):
    """Reports, their reporters, messages, evidence, indicators and audit trail."""

    def claim_update(self, tx: Transaction, update_id: int, now: datetime) -> SeenUpdate | None:
        """Remember ``update_id``; if it was seen before (an update replayed after a crash), what
        it did then: the report and the outcome :meth:`record_update` kept."""
        ...

    def record_update(self, tx: Transaction, update_id: int, report_id: int | None, outcome: str) -> None:
        """What the claimed update did, for answering it again if it is replayed."""
        ...

    async def forget_updates_before(self, moment: datetime) -> int: ...

    def upsert_reporter(
        self, tx: Transaction, user_id: int, chat_id: int, language_code: str | None, now: datetime
    ) -> Reporter: ...

    async def reporter(self, user_id: int) -> Reporter | None: ...

    def set_reporter_language(self, tx: Transaction, reporter_id: int, language: str) -> None: ...

    def mark_notice_seen(self, tx: Transaction, reporter_id: int, now: datetime) -> None:
        """The reporter was told who receives reports (kept: the first time)."""
        ...

    def erase_reporter(self, tx: Transaction, user_id: int) -> int:
        """Delete the reporter; their reports stay, unlinked (ON DELETE SET NULL). Returns reports kept."""
        ...

    def latest_report(self, tx: Transaction, reporter_id: int) -> Report | None: ...

    def insert_report(self, tx: Transaction, report: Report, reporter_id: int) -> int: ...

    def update_report(self, tx: Transaction, report: Report) -> None: ...

    def add_message(
        self, tx: Transaction, report_id: int, message: IncomingMessage, indicators: Sequence[Indicator]
    ) -> None: ...

    def replace_indicators(self, tx: Transaction, report_id: int, indicators: Sequence[Indicator]) -> None: ...

    def add_indicators(self, tx: Transaction, report_id: int, indicators: Sequence[Indicator]) -> None:
        """Add indicators; one the report already has (typed, or in another image) is kept as it is."""
        ...

    def message_count(self, tx: Transaction, report_id: int, media_group_id: str) -> int: ...

    def audited_since(self, tx: Transaction, actor: str, action: str, moment: datetime) -> bool:
        """Whether ``actor`` has an audit row of ``action`` since ``moment``."""
        ...

    def reports_since(self, tx: Transaction, reporter_id: int, moment: datetime) -> int:
        """Reports the reporter made since ``moment`` (withdrawn ones too: a flood is a flood)."""
        ...

    def messages_since(self, tx: Transaction, reporter_id: int, moment: datetime) -> int:
        """Messages of the reporter's reports received since ``moment``."""
        ...

    def message_count_of(self, tx: Transaction, report_id: int) -> int: ...

    def report_text(self, tx: Transaction, report_id: int, *, with_images: bool = True) -> str:
        """The citizen's words, then (``with_images``) the text read from their screenshots: what
        the report is classified and compared on."""
        ...

    async def text_parts(
        self, *, report_id: int | None = None, reference: str | None = None, user_id: int | None = None
    ) -> TextParts | None:
        """A report's words and image texts, read outside any transaction (for the work done on
        them before one): by id, by reference, or the latest report of a Telegram user."""
        ...

    def save_fingerprint(
        self, tx: Transaction, report_id: int, fingerprint: Fingerprint
    ) -> list[tuple[int, Fingerprint]]:
        """Store the text's fingerprint; return the earlier reports that may share its script."""
        ...

    @staticmethod
    def forget_fingerprint(tx: Transaction, report_id: int) -> None:
        """Before the report's text is fingerprinted again (it grew by what a screenshot holds)."""
        ...

    def link(self, tx: Transaction, report_id: int, earlier_id: int, match: str, score: float) -> None: ...

    async def set_followup_message(self, report_id: int, message_id: int) -> None: ...

    def find_in(self, tx: Transaction, reference: str) -> Report | None:
        """The report's own row only (no messages), read inside a transaction."""
        ...

    def get_in(self, tx: Transaction, report_id: int) -> Report | None: ...

    async def find(self, reference: str) -> Report | None:
        """The report with all its messages, evidence and indicators."""
        ...

    async def by_id(self, report_id: int) -> Report | None: ...

    async def indicator_history(self, kind: str, value: str) -> IndicatorHistory:
        """Reports containing the indicator: how many, since when, where and as what. Reporters
        and report texts are not part of the answer."""
        ...

    async def of_reporter(self, user_id: int, limit: int = 10) -> list[Report]: ...

    async def expired_collecting(self, now: datetime) -> list[Report]: ...

    def audit(
        self,
        tx: Transaction,
        now: datetime,
        actor: str,
        action: str,
        report_id: int | None = None,
        detail: str = "",
        *,
        actor_name: str | None = None,
        from_status: ReportStatus | None = None,
        to_status: ReportStatus | None = None,
    ) -> None:
        """One row of the audit trail: who, when, what, from which state to which, and why."""
        ...
