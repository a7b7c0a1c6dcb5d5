"""What moderators work with: queue, searches, figures, history, decisions, cards, topics, added moderators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from harmline.moderation.roles import Grant
from harmline.reports.model import Category, ReportStatus
from harmline.repositories.unit_of_work import Transaction

SEARCH_COUNT_CAP = 1000


@dataclass(frozen=True)
class QueueItem:
    """One line of a list of reports (queue, search results, merge candidates)."""

    reference: str
    country: str
    category: Category
    language: str | None
    status: ReportStatus
    urgent: bool
    received_at: datetime
    completed_at: datetime | None
    excerpt: str


@dataclass(frozen=True)
class Page:
    items: list[QueueItem]
    total: int
    offset: int


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    actor_name: str | None
    action: str
    from_status: str | None
    to_status: str | None
    detail: str


@dataclass(frozen=True)
class CountryFigures:
    """One country's figures for /stats: a day and a week, both in the country's own time."""

    country: str
    received_today: int
    received_week: int
    decided_today: int
    decided_week: int
    median_decision_seconds: int | None  # of this week's decisions
    backlog: int  # undecided (new, in review)
    backlog_over_hour: int
    backlog_over_day: int
    backlog_over_week: int
    waiting_for_citizen: int  # needs info


@dataclass(frozen=True)
class ReviewCard:
    chat_id: int
    message_id: int
    language: str
    thread_id: int | None = None


class ModerationRepository(Protocol):
    """What moderators work with: queue, searches, figures, history, decisions, cards, topics, added moderators."""

    def record_decision(
        self,
        tx: Transaction,
        report_id: int,
        *,
        decided_at: datetime,
        decided_by: str,
        seconds: int | None,
        merged_into: int | None = None,
    ) -> None: ...

    def mark_urgent(self, tx: Transaction, report_id: int) -> None: ...

    def report_id(self, tx: Transaction, reference: str) -> int | None: ...

    async def history(self, report_id: int) -> list[AuditEntry]: ...

    async def queue(
        self,
        countries: Sequence[str],
        *,
        category: str | None = None,
        language: str | None = None,
        offset: int = 0,
        limit: int = 5,
    ) -> Page:
        """Undecided reports, oldest first. One ordered index range per country, merged here,
        so a moderator of several countries does not make SQLite sort the whole backlog."""
        ...

    async def find_indicator(
        self, kind: str, value: str, countries: Sequence[str], *, offset: int = 0, limit: int = 5
    ) -> Page:
        """Reports containing the indicator, newest first (withdrawn and harmless ones too)."""
        ...

    async def find_text(self, text: str, countries: Sequence[str], *, offset: int = 0, limit: int = 5) -> Page:
        """Reports whose citizen's words, or the text read from their screenshots, contain ``text``
        (at least three characters), newest first. ``text`` is matched literally, whatever FTS5
        syntax it holds."""
        ...

    async def save_search(self, user_id: int, query: str, now: datetime) -> int: ...

    async def saved_search(self, search_id: int, user_id: int) -> str | None:
        """The search's terms, only for the moderator who made it."""
        ...

    async def merge_candidates(self, report_id: int, country: str, limit: int = 5) -> list[QueueItem]:
        """Reports this one may duplicate: the same scam text, or a shared number, link or account."""
        ...

    async def figures(
        self, country: str, *, day_start: datetime, week_start: datetime, now: datetime
    ) -> CountryFigures: ...

    async def add_card(
        self, report_id: int, chat_id: int, message_id: int, language: str, thread_id: int | None
    ) -> None: ...

    async def forget_card(self, chat_id: int, message_id: int) -> None:
        """A card that is gone (deleted, or can no longer be edited) is not redrawn again."""
        ...

    async def cards_of(self, report_id: int) -> list[ReviewCard]: ...

    async def card(self, chat_id: int, message_id: int) -> ReviewCard | None:
        """The card shown as this message, if it is one."""
        ...

    async def topics(self) -> dict[tuple[int, str], int]: ...

    async def save_topic(self, chat_id: int, country: str, thread_id: int) -> None: ...

    async def grants(self) -> list[Grant]: ...

    def save_grant(self, tx: Transaction, grant: Grant, changed_by: int, now: datetime) -> None: ...
