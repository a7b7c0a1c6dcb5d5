"""Blocked citizens and the retention of reports: de-identifying, then deleting, in batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from harmline.repositories.unit_of_work import Transaction

# Audit actions done by citizens, not moderators, whose rows name the Telegram account (and
# name): a citizen over their limits, someone who is not a moderator trying a moderator's command.
CITIZEN_ACTIONS = ("citizen.limited", "moderation.refused")


@dataclass(frozen=True)
class Block:
    """A citizen a moderator blocked, by one of their reports' references."""

    telegram_user_id: int
    reference: str
    blocked_at: datetime
    blocked_by: str
    told_at: datetime | None  # when they got the one notice (None: not yet)


@dataclass(frozen=True)
class RetentionCounts:
    """What retention would take from one country's reports before the given moments."""

    country: str
    to_deidentify: int
    to_delete: int


class PrivacyRepository(Protocol):
    """Blocked citizens and the retention of reports."""

    def reporter_user_of(self, tx: Transaction, report_id: int) -> int | None:
        """The Telegram user id of the report's reporter (None once erased or de-identified)."""
        ...

    def reports_of_user(self, tx: Transaction, user_id: int) -> list[int]:
        """The ids of the reports the Telegram user made (for /deleteme)."""
        ...

    def block_of(self, tx: Transaction, user_id: int) -> Block | None: ...

    def block_by_reference(self, tx: Transaction, reference: str) -> Block | None:
        """The block made with ``reference`` (it outlives the report's link to its reporter)."""
        ...

    def block(self, tx: Transaction, user_id: int, reference: str, now: datetime, by: str) -> bool:
        """Block the user; False if they were blocked already."""
        ...

    def unblock(self, tx: Transaction, user_id: int) -> bool:
        """Lift the user's block; False if there was none."""
        ...

    def mark_block_told(self, tx: Transaction, user_id: int, now: datetime) -> None: ...

    def identified_before(self, tx: Transaction, country: str, moment: datetime, limit: int) -> list[int]:
        """Reports of ``country`` received before ``moment`` that still hold words, files or a
        reporter, oldest first, at most ``limit``."""
        ...

    def received_before(self, tx: Transaction, country: str, moment: datetime, limit: int) -> list[int]:
        """Reports of ``country`` received before ``moment``, oldest first, at most ``limit``."""
        ...

    def deidentify(self, tx: Transaction, report_ids: Sequence[int], now: datetime) -> None:
        """Take the reports' words, screenshot texts, files, forward names, explanation and reporter
        away; keep what statistics and /check need (indicators, category, country, dates, loss)."""
        ...

    def delete(self, tx: Transaction, report_ids: Sequence[int]) -> None:
        """Delete the reports and everything that hangs on them."""
        ...

    def forget_idle_reporters(self, tx: Transaction, moment: datetime) -> int:
        """Delete reporters first seen before ``moment`` who have no report left linked to them."""
        ...

    def forget_citizen_actors(self, tx: Transaction, moment: datetime) -> int:
        """Audit rows of :data:`CITIZEN_ACTIONS` before ``moment`` lose who did them."""
        ...

    async def retention_counts(self, country: str, deidentify_before: datetime,
                               delete_before: datetime | None) -> RetentionCounts: ...
