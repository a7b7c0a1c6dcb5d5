"""Moderators' decisions: each one transaction that checks who may decide, changes the state,
writes the audit row, queues what must follow (forward, notice) and records the update id, so a
forged, late or redelivered button press changes nothing."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from harmline.moderation.roles import EVERY_COUNTRY, Grant, Roster
from harmline.reports.decisions import Action, next_status
from harmline.reports.indicators import extract_indicators
from harmline.reports.labels import QUESTIONS
from harmline.reports.model import Category, Report, ReportStatus
from harmline.repositories import Store, Transaction
from harmline.repositories.moderation import CountryFigures, Page
from harmline.routing import recipients_for
from harmline.services import notices
from harmline.services.notices import Notices
from harmline.services.withdrawal import withdraw
from harmline.settings.model import TIME_ZONES, Settings

MIN_SEARCH_LENGTH = 3  # the full-text index is of character trigrams
MAX_SEARCH_LENGTH = 200

# How long the citizen has to answer a moderator's question; later messages are new reports.
ANSWER_WINDOW = timedelta(days=7)


def search_terms(text: str) -> str:
    """What to search for in what a moderator typed: control characters (NUL, escapes, line
    breaks) become spaces, lone surrogates are dropped, runs of spaces become one, and at most
    :data:`MAX_SEARCH_LENGTH` characters are kept. Everything else (quotes, operators, any
    script, combining and direction marks, emoji) is searched for literally."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" ")
        elif category != "Cs":
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_SEARCH_LENGTH].strip()


class Verdict(StrEnum):
    DONE = "done"
    DUPLICATE = "duplicate"  # a redelivered update: nothing changed
    REFUSED = "refused"  # not a moderator of the report's country (or of any country)
    NOT_FOUND = "not_found"
    ALREADY_DECIDED = "already_decided"
    NOT_READY = "not_ready"  # still being written by the citizen, or withdrawn
    INVALID = "invalid"  # a merge target or question that does not exist
    UNREACHABLE = "unreachable"  # the citizen erased their data: nobody to ask


@dataclass(frozen=True)
class Moderator:
    user_id: int
    name: str

    @property
    def actor(self) -> str:
        return f"telegram:{self.user_id}"


@dataclass(frozen=True)
class Ruling:
    verdict: Verdict
    report: Report | None = None
    previous: ReportStatus | None = None


class Moderation:
    def __init__(self, store: Store, roster: Roster, settings: Settings, clock: Callable[[], datetime]) -> None:
        self.database = store.database
        self.reports = store.reports
        self.store = store.moderation
        self.outbox = store.outbox
        self.privacy = store.privacy
        self.notices = Notices(store.outbox, store.reports)
        self.roster = roster
        self.settings = settings
        self.clock = clock
        self.on_due: Callable[[], None] = lambda: None  # wakes the delivery worker

    # --- decisions -------------------------------------------------------------------------

    async def decide(self, update_id: int, moderator: Moderator, reference: str, action: Action,
                     argument: str | None = None) -> Ruling:
        now = self.clock()
        ruling = await self.database.run(lambda tx: self._decide(tx, update_id, moderator, reference, action,
                                                                 argument, now))
        if ruling.verdict is Verdict.DONE:
            self.on_due()
        return ruling

    def _decide(self, tx: Transaction, update_id: int, moderator: Moderator, reference: str, action: Action,
                argument: str | None, now: datetime) -> Ruling:
        if self.reports.claim_update(tx, update_id, now) is not None:
            # Handled before (replayed after a crash, or after Telegram failed under the redraw):
            # nothing is decided again, but the report's moderator may have its cards redrawn.
            seen = self.reports.find_in(tx, reference)
            mine = seen is not None and self.roster.may_moderate(moderator.user_id, seen.country)
            return Ruling(Verdict.DUPLICATE, seen if mine else None)
        report = self._visible(tx, moderator, reference, f"{action} {reference}", now)
        if isinstance(report, Ruling):
            return report
        previous = report.status
        following = next_status(previous, action)
        if following is None:
            return Ruling(Verdict.ALREADY_DECIDED if previous.decided else Verdict.NOT_READY, report, previous)
        why = self._apply(tx, report, action, argument, moderator, now)
        if isinstance(why, Verdict):
            return Ruling(why, report, previous)
        if following is previous and action is Action.OPEN:
            return Ruling(Verdict.DONE, report, previous)
        report.status = following
        if following.decided:
            report.decided_at, report.decided_by = now, moderator.name
            completed = report.completed_at or report.created_at
            target = self.store.report_id(tx, report.merged_into) if report.merged_into else None
            self.store.record_decision(tx, report.id, decided_at=now, decided_by=moderator.name,
                                       seconds=max(int((now - completed).total_seconds()), 0), merged_into=target)
        self.reports.update_report(tx, report)
        self.reports.audit(tx, now, moderator.actor, f"report.{action}", report.id, why, actor_name=moderator.name,
                           from_status=previous, to_status=following)
        return Ruling(Verdict.DONE, report, previous)

    def _visible(self, tx: Transaction, moderator: Moderator, reference: str, what: str,
                 now: datetime) -> Report | Ruling:
        """The report, if ``moderator`` may moderate it; else the refusal, audited. Someone who
        may not see the report learns nothing about it, not even that it exists."""
        report = self.reports.find_in(tx, reference)
        if report is not None and self.roster.may_moderate(moderator.user_id, report.country):
            return report
        self.reports.audit(tx, now, moderator.actor, "moderation.refused", report.id if report else None, what,
                           actor_name=moderator.name)
        return Ruling(Verdict.REFUSED if report or not self.roster.is_moderator(moderator.user_id)
                      else Verdict.NOT_FOUND)

    def _apply(self, tx: Transaction, report: Report, action: Action, argument: str | None, moderator: Moderator,
               now: datetime) -> str | Verdict:
        """What the action does besides changing the state; returns the audit's "why"."""
        if action is Action.CONFIRM:
            forwarding = bool(self.outbox.forwards_of(tx, report.id))
            self._forward(tx, report, now)
            # Already with the contact (review = "none", or escalated): say it was confirmed. Otherwise
            # the "forwarded" notice, once it arrived, says both.
            if forwarding:
                self.notices.tell(tx, report, notices.CONFIRMED, now)
            return "confirmed"
        if action is Action.REJECT:
            self.outbox.cancel(tx, report.id)
            self.notices.tell(tx, report, notices.REJECTED, now)
            return argument or "not harmful"
        if action is Action.MERGE:
            target = self.reports.find_in(tx, argument or "")
            while target is not None and target.merged_into:  # join the report the target was joined to
                target = self.reports.find_in(tx, target.merged_into)
            if (target is None or target.id == report.id or target.country != report.country
                    or target.status in (ReportStatus.COLLECTING, ReportStatus.CANCELLED)):
                return Verdict.INVALID
            report.merged_into = target.reference
            self.outbox.cancel(tx, report.id)
            self.notices.tell(tx, report, notices.MERGED, now)
            return f"into {target.reference}"
        if action is Action.ASK:
            if argument not in QUESTIONS:
                return Verdict.INVALID
            if not self.notices.tell(tx, report, notices.ASK_PREFIX + argument, now):
                return Verdict.UNREACHABLE
            # The citizen's next messages until then answer the question (reports.intake).
            report.followup_deadline = now + ANSWER_WINDOW
            return f"asked: {argument}"
        if action is Action.ESCALATE:
            report.urgent = True
            self.store.mark_urgent(tx, report.id)
            self._forward(tx, report, now)
            return argument or "urgent"
        if action is Action.RECATEGORISE:
            if argument is None or argument not in Category.__members__.values():
                return Verdict.INVALID
            before, report.category = report.category, Category(argument)
            report.category_reason = f"set by a moderator (was {before})"
            report.explanation = None
            if report.category is not Category.SCAM:
                report.scam_type = None
            return f"{before} -> {argument}"
        return "opened"

    def _forward(self, tx: Transaction, report: Report, now: datetime) -> None:
        """Release the report to its contacts now (with review = "none" it was queued at intake;
        the outbox keeps one delivery per contact either way)."""
        if self.settings.review == "before_forward" and not report.keep_on_file:  # the citizen's choice holds
            self.outbox.enqueue(tx, report.id, recipients_for(report.country, self.settings), now, now)

    # --- blocking ---------------------------------------------------------------------------

    async def block(self, update_id: int, moderator: Moderator, reference: str, *, blocked: bool) -> Ruling:
        """``/block REF`` and ``/unblock REF``: the citizen who sent the report, known to the
        moderator only by the reference. A moderator of the report's country only; audited.
        Blocking also withdraws what the citizen is still writing, so nothing of it is forwarded.
        DONE, or DUPLICATE, NOT_FOUND, REFUSED, ALREADY_DECIDED (already so) or UNREACHABLE (the
        citizen erased their data, or the report was de-identified)."""
        now = self.clock()

        def work(tx: Transaction) -> Ruling:
            if self.reports.claim_update(tx, update_id, now) is not None:
                return Ruling(Verdict.DUPLICATE)
            report = self._visible(tx, moderator, reference, f"{'block' if blocked else 'unblock'} {reference}", now)
            if isinstance(report, Ruling):
                return report
            user_id = self.privacy.reporter_user_of(tx, report.id)
            if user_id is None and not blocked:  # the block outlives the report's link to its reporter
                block = self.privacy.block_by_reference(tx, reference)
                user_id = block.telegram_user_id if block else None
            if user_id is None:
                return Ruling(Verdict.UNREACHABLE, report)
            changed = (self.privacy.block(tx, user_id, reference, now, moderator.actor) if blocked
                       else self.privacy.unblock(tx, user_id))
            if not changed:
                return Ruling(Verdict.ALREADY_DECIDED, report)
            if blocked:
                self._withdraw_open(tx, user_id, now)
            self.reports.audit(tx, now, moderator.actor, "reporter.blocked" if blocked else "reporter.unblocked",
                               report.id, actor_name=moderator.name)
            return Ruling(Verdict.DONE, report)

        return await self.database.run(work)

    def _withdraw_open(self, tx: Transaction, user_id: int, now: datetime) -> None:
        """The blocked citizen's report still being written is withdrawn with its forwards."""
        reporter = self.reports.upsert_reporter(tx, user_id, user_id, None, now)
        report = self.reports.latest_report(tx, reporter.id)
        if report is not None and report.status is ReportStatus.COLLECTING:
            withdraw(tx, self.reports, self.outbox, report, now, "system", "reporter blocked")

    # --- what moderators look at -----------------------------------------------------------

    async def queue(self, user_id: int, *, country: str | None = None, category: str | None = None,
                    language: str | None = None, offset: int = 0, limit: int = 5) -> Page:
        """Undecided reports of the moderator's countries (or one of them), oldest first."""
        countries = self.roster.countries_of(user_id)
        if country is not None:
            countries = tuple(c for c in countries if c == country)
        return await self.store.queue(countries, category=category, language=language, offset=offset, limit=limit)

    async def find(self, user_id: int, text: str, *, offset: int = 0, limit: int = 5) -> Page | None:
        """Reports with the number, link, account or handle in ``text`` if it holds one, else
        with ``text`` in the citizen's words; None if ``text`` is too short to search."""
        text = search_terms(text)
        countries = self.roster.countries_of(user_id)
        for country in countries:
            found = extract_indicators(text, country)
            if found:
                return await self.store.find_indicator(found[0].kind, found[0].value, countries, offset=offset,
                                                       limit=limit)
        if len(text.strip()) < MIN_SEARCH_LENGTH:
            return None
        return await self.store.find_text(text.strip(), countries, offset=offset, limit=limit)

    async def figures(self, user_id: int) -> list[CountryFigures]:
        """Today and this week (from Monday) in each country's own time, per country."""
        now = self.clock()
        figures = []
        for country in self.roster.countries_of(user_id):
            local = now.astimezone(ZoneInfo(TIME_ZONES[country]))
            day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
            week_start = day_start - timedelta(days=local.weekday())
            figures.append(await self.store.figures(country, day_start=day_start, week_start=week_start, now=now))
        return figures

    # --- moderators ------------------------------------------------------------------------

    async def change_moderator(self, admin: Moderator, user_id: int, countries: tuple[str, ...], *,
                               add: bool) -> Grant | None:
        """``/mod add|remove``: give or take countries (none named on remove: all). Admins only;
        None if ``admin`` is not one. Stored, audited, and effective at once."""
        if not self.roster.is_admin(admin.user_id):
            await self.refuse(admin, f"/mod {'add' if add else 'remove'} {user_id}")
            return None
        now = self.clock()
        current = set(self.roster.countries_of(user_id)) if not self.roster.is_admin(user_id) else set()
        if EVERY_COUNTRY in countries:
            countries = self.settings.countries
        removed = set(countries) if countries else current  # "/mod remove ID": every country
        scope = current | set(countries) if add else current - removed
        grant = Grant(user_id, tuple(c for c in self.settings.countries if c in scope), self.roster.on_duty(user_id))

        def work(tx: Transaction) -> None:
            self.store.save_grant(tx, grant, admin.user_id, now)
            self.reports.audit(tx, now, admin.actor, "moderator.added" if add else "moderator.removed", None,
                               f"{user_id}: {','.join(sorted(current)) or '-'} -> {','.join(grant.countries) or '-'}",
                               actor_name=admin.name)

        await self.database.run(work)
        self.roster.apply(grant)
        return grant

    async def set_on_duty(self, moderator: Moderator, on_duty: bool) -> bool:
        """``/duty on|off``: receive new reports' cards in private, or stop. False if not a moderator."""
        if not self.roster.is_moderator(moderator.user_id) or self.roster.is_admin(moderator.user_id):
            return False
        now = self.clock()
        grant = Grant(moderator.user_id, self.roster.countries_of(moderator.user_id), on_duty)

        def work(tx: Transaction) -> None:
            self.store.save_grant(tx, grant, moderator.user_id, now)
            self.reports.audit(tx, now, moderator.actor, "moderator.duty", None, "on" if on_duty else "off",
                               actor_name=moderator.name)

        await self.database.run(work)
        self.roster.apply(grant)
        return True

    async def refuse(self, user: Moderator, what: str, update_id: int | None = None) -> None:
        """Record that someone who is not a moderator tried a moderator's command or button (once
        per update: one replayed after a crash is not audited twice)."""
        now = self.clock()

        def work(tx: Transaction) -> None:
            if update_id is not None and self.reports.claim_update(tx, update_id, now) is not None:
                return
            self.reports.audit(tx, now, user.actor, "moderation.refused", None, what[:200], actor_name=user.name)

        await self.database.run(work)
