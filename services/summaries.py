"""Weekly summaries as a service: queue the ones due into the outbox, and make a summary's
message, charts, PDF and CSV for a scope, week and reader's language."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from harmline.i18n import Catalogs
from harmline.reports.purpose import Summary
from harmline.repositories import Store, Transaction
from harmline.routing import Recipient, summary_recipients
from harmline.settings.model import REGIONAL, Settings
from harmline.summaries.build import SummaryBuilder
from harmline.summaries.figures import CountrySummary, RegionalSummary
from harmline.summaries.schedule import Run, latest_run, purpose
from harmline.summaries.week import Week

if TYPE_CHECKING:
    from harmline.summaries.files import SummaryFiles

log = logging.getLogger(__name__)


class Summaries:
    def __init__(self, store: Store, settings: Settings, catalogs: Catalogs, clock: Callable[[], datetime]) -> None:
        self.database = store.database
        self.settings = settings
        self.outbox = store.outbox
        self.catalogs = catalogs
        self.store = store.summaries
        self.builder = SummaryBuilder(self.store)
        self.exports = store.exports
        self.clock = clock
        self.on_due: Callable[[], None] = lambda: None  # wakes the outbox worker
        # Runs already queued by this process, and when the schedule first ran: the schedule is
        # checked every minute, the database only when a new week comes due.
        self._queued: set[Run] = set()
        self._since: datetime | None = None

    def scopes(self) -> list[str]:
        return [*self.settings.countries, REGIONAL]

    async def queue_due(self) -> int:
        """Queue every summary due now (the latest scheduled one of each scope) for its recipients
        that do not have it yet; return how many deliveries were queued."""
        now = self.clock()
        if self._since is None:
            self._since = await self.database.run(lambda tx: self.store.schedule_since(tx, now))
        since = self._since
        queued = 0
        for scope in self.scopes():
            recipients = summary_recipients(scope, self.settings)
            run = latest_run(scope, self.settings.time_zone_of(scope), now, self.settings.summaries)
            if not recipients or run.at < since or run in self._queued:
                continue
            label = purpose(scope, run.week)

            def enqueue(tx: Transaction, recipients: list[Recipient] = recipients, label: Summary = label) -> int:
                return self.outbox.enqueue_standalone(tx, recipients, label, now, now)

            added = await self.database.run(enqueue)
            self._queued.add(run)
            if added:
                log.info("weekly summary %s queued for %d recipient(s)", label, added)
            queued += added
        if queued:
            self.on_due()
        return queued

    async def figures(self, scope: str, week: Week) -> CountrySummary | RegionalSummary:
        now = self.clock()
        if scope == REGIONAL:
            return await self.builder.regional(self.settings.countries, week, now)
        return await self.builder.country(scope, week, now)

    async def files(self, scope: str, week: Week, language: str) -> SummaryFiles:
        """Everything a recipient gets; the drawing runs in a thread so the bot keeps answering."""
        summary = await self.figures(scope, week)
        start, end = week.bounds(self.settings.time_zone_of(scope))
        countries = self.settings.countries if scope == REGIONAL else (scope,)
        forwarded = await self.exports.reports_between(countries, start, end)  # received that week
        # Imported on first use: matplotlib and fpdf2 weigh about 90 MB, which a bot that makes a
        # summary once a week need not carry from start-up.
        from harmline.summaries.files import make_files

        return await asyncio.to_thread(make_files, summary, forwarded, language, self.catalogs.gettext(language))
