"""Retention: reports are de-identified after a period, then deleted, in bounded batches.

Each batch is one transaction, so the bot keeps taking reports while a large backlog is worked
through, and a crash half-way leaves whole batches done and the rest for the next run. Every
batch is audited (how many, of which country, received before when); nothing personal is kept
in the audit row.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from harmline.repositories import Store, Transaction
from harmline.repositories.privacy import RetentionCounts
from harmline.settings.model import ASEAN_COUNTRIES, Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Cutoffs:
    """Reports of ``country`` received before these moments are de-identified, or deleted."""

    country: str
    deidentify_before: datetime
    delete_before: datetime


@dataclass(frozen=True)
class RetentionDone:
    country: str
    deidentified: int
    deleted: int


class Retention:
    def __init__(self, store: Store, settings: Settings, clock: Callable[[], datetime]) -> None:
        self.database = store.database
        self.privacy = store.privacy
        self.reports = store.reports
        self.settings = settings.retention
        self.clock = clock

    def cutoffs(self, now: datetime) -> list[Cutoffs]:
        """Every ASEAN country, served or not: reports of a country no longer served still age."""
        cutoffs = []
        for country in ASEAN_COUNTRIES:
            period = self.settings.period(country)
            cutoffs.append(Cutoffs(country, now - timedelta(days=period.deidentify_after_days),
                                   now - timedelta(days=period.delete_after_days)))
        return cutoffs

    async def preview(self) -> list[RetentionCounts]:
        """What a run now would take, per country (``harmline retention --dry-run``)."""
        return [await self.privacy.retention_counts(c.country, c.deidentify_before, c.delete_before)
                for c in self.cutoffs(self.clock())]

    async def run(self) -> list[RetentionDone]:
        """De-identify, then delete, what is past its period; the countries where anything was done."""
        now = self.clock()
        done = []
        for cutoff in self.cutoffs(now):
            deleted = await self._batches(functools.partial(self._delete, cutoff=cutoff, now=now))
            deidentified = await self._batches(functools.partial(self._deidentify, cutoff=cutoff, now=now))
            if deidentified or deleted:
                done.append(RetentionDone(cutoff.country, deidentified, deleted))
        before = now - timedelta(days=self.settings.shortest_deidentify_days)
        await self.database.run(lambda tx: self._forget_citizens(tx, before, now))
        return done

    async def _batches(self, batch: Callable[[Transaction], int]) -> int:
        total = 0
        while True:
            count = await self.database.run(batch)
            total += count
            if count < self.settings.batch_size:
                return total
            await asyncio.sleep(0)  # let the bot's own work in between batches

    def _deidentify(self, tx: Transaction, cutoff: Cutoffs, now: datetime) -> int:
        ids = self.privacy.identified_before(tx, cutoff.country, cutoff.deidentify_before, self.settings.batch_size)
        if ids:
            self.privacy.deidentify(tx, ids, now)
            self.reports.audit(tx, now, "system", "retention.deidentified", None,
                               f"{cutoff.country}: {len(ids)} reports received before "
                               f"{cutoff.deidentify_before:%Y-%m-%d}")
        return len(ids)

    def _delete(self, tx: Transaction, cutoff: Cutoffs, now: datetime) -> int:
        ids = self.privacy.received_before(tx, cutoff.country, cutoff.delete_before, self.settings.batch_size)
        if ids:
            self.privacy.delete(tx, ids)
            self.reports.audit(tx, now, "system", "retention.deleted", None,
                               f"{cutoff.country}: {len(ids)} reports received before "
                               f"{cutoff.delete_before:%Y-%m-%d}")
        return len(ids)

    def _forget_citizens(self, tx: Transaction, before: datetime, now: datetime) -> None:
        reporters = self.privacy.forget_idle_reporters(tx, before)
        actors = self.privacy.forget_citizen_actors(tx, before)
        if reporters or actors:
            self.reports.audit(tx, now, "system", "retention.citizens_forgotten", None,
                               f"{reporters} reporters without reports, {actors} audit rows of citizens' attempts, "
                               f"before {before:%Y-%m-%d}")
