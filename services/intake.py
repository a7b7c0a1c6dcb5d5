"""Taking in citizens' messages: new reports, joining messages, follow-up answers, completion.

Every change is one transaction that also records the Telegram update id, so a redelivered
update changes nothing, and the report is on disk before the citizen hears it was received.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from harmline.i18n.languages import FALLBACK, LANGUAGES, negotiate
from harmline.moderation.roles import Roster
from harmline.operations.metrics import Metrics
from harmline.reports.classify import Classification, Classifier
from harmline.reports.followup import delivery_due, looks_like_amount, next_step, steps
from harmline.reports.indicators import extract_indicators, indicators_read
from harmline.reports.language import CONFIDENT, Detection, LanguageDetector
from harmline.reports.model import (
    Category,
    FollowUpStep,
    IncomingMessage,
    Indicator,
    Platform,
    Report,
    ReportStatus,
)
from harmline.reports.purpose import CARD, Card
from harmline.reports.reference import new_reference
from harmline.reports.similarity import compare
from harmline.reports.text import TextParts, report_text
from harmline.repositories import Store, Transaction
from harmline.routing import guess_country, recipients_for, reviewers_for
from harmline.services.prepared import Prepared
from harmline.services.withdrawal import withdraw
from harmline.settings.model import Settings

Clock = Callable[[], datetime]
_MINUTE, _HOUR, _DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Outcome(StrEnum):
    CREATED = "created"  # a new report
    ADDED = "added"  # joined the citizen's open report
    ALBUM = "album"  # another item of an album already acknowledged
    ANSWERED = "answered"  # the message answered the "how much" question
    DUPLICATE = "duplicate"  # a redelivered update: nothing changed
    INFO_ADDED = "info_added"  # the citizen answered a moderator's question
    STALE = "stale"  # a button of a report that is no longer collecting answers
    LIMITED = "limited"  # over the citizen's limits (settings.intake): nothing stored; they are told
    LIMITED_AGAIN = "limited_again"  # the same within the hour: not told again (a flood gets no flood back)
    BLOCKED = "blocked"  # a moderator blocked the citizen: nothing stored; told this once
    BLOCKED_AGAIN = "blocked_again"  # and after that, nothing at all


@dataclass(frozen=True)
class _Analysis:
    """What the text of one message says, worked out before any lock is taken."""

    detection: Detection
    country: str  # the country its local phone numbers are read in
    classification: Classification
    indicators: list[Indicator]


@dataclass(frozen=True)
class IntakeResult:
    outcome: Outcome
    report: Report | None = None
    language: str = FALLBACK  # the language to answer the citizen in
    # DUPLICATE: what the update did when it was first processed, so it is answered the same way.
    first: Outcome | None = None
    # CREATED: the citizen had never been told who receives reports: the acknowledgement says it.
    first_notice: bool = False


def reply_language(chosen: str | None, language_code: str | None, detected: str | None,
                   confidence: float = 0.0, *, current: str | None = None) -> str:
    """The language to answer the citizen in, the first of:

    1. ``chosen``: their explicit /language choice;
    2. ``current``: the language their open report already answers in, so that its follow-ups (a
       photo without text, an answer) do not switch language half-way;
    3. ``detected``, when their text was detected with at least :data:`CONFIDENT` ``confidence``:
       the language they write in, over a Telegram ``language_code`` that says otherwise (many
       Khmer, Lao, Burmese or Tetum speakers run Telegram in English, or send no language_code);
    4. Telegram's ``language_code``;
    5. ``detected``, however unsure;
    6. :data:`FALLBACK`.
    """
    written = detected if confidence >= CONFIDENT else None
    for candidate in (chosen, current, written, negotiate(language_code), detected):
        if candidate in LANGUAGES:
            return candidate
    return FALLBACK


class Intake:
    def __init__(self, store: Store, settings: Settings, detector: LanguageDetector, classifier: Classifier,
                 roster: Roster, *, clock: Clock = utc_now, on_due: Callable[[], None] = lambda: None) -> None:
        self.database = store.database
        self.images = store.images
        self.roster = roster
        self.reports = store.reports
        self.outbox = store.outbox
        self.privacy = store.privacy
        self.settings = settings
        self.detector = detector
        self.classifier = classifier
        self.clock = clock
        self.on_due = on_due  # wakes the delivery worker when something became due now
        self.on_image: Callable[[], None] = lambda: None  # wakes the image reader: an image to read
        self.metrics: Metrics | None = None  # set by the composition root when metrics are served
        self._reading_wait = timedelta(seconds=settings.ocr.max_wait_seconds)
        self._merge_window = timedelta(seconds=settings.intake.merge_window_seconds)
        # Classifications, fingerprints and indicators worked out inside a transaction after all,
        # because the text changed between reading it and the transaction (services/prepared.py).
        self.worked_out_in_transactions = 0
        self._followup_window = timedelta(seconds=settings.intake.followup_window_seconds)

    # --- messages --------------------------------------------------------------------------

    async def receive(self, message: IncomingMessage) -> IntakeResult:
        now = self.clock()
        message = replace(message, text=message.text[: self.settings.intake.max_text_length])
        # Reading the text is the costly part: done before the transaction, for a new report and
        # for the citizen's latest report, which the message may join (services/prepared.py).
        analysis = self._analyse(message)
        prepared = Prepared(self.classifier)
        latest = await self.reports.text_parts(user_id=message.user_id)
        if latest is not None:
            prepared.ahead(latest.with_message(message.text), classify=True)
            if looks_like_amount(message.text):  # an answer that may complete the report
                prepared.ahead(latest.text(), fingerprinted=True)
            if latest.country != analysis.country:
                prepared.ahead(message.text, indicators_in=latest.country)
        result = await self.run_prepared(prepared, lambda tx: self._once(
            tx, message.update_id, message.user_id, message.language_code, now,
            lambda: self._receive(tx, message, analysis, now, prepared)))
        if result.outcome in (Outcome.ANSWERED, Outcome.INFO_ADDED):
            self.on_due()
        if message.attachments and self.settings.ocr.enabled:
            self.on_image()
        if self.metrics is not None and result.outcome is Outcome.CREATED and result.report is not None:
            self.metrics.reports_received.labels(result.report.country).inc()
        return result

    async def run_prepared(self, prepared: Prepared, work: Callable[[Transaction], T]) -> T:
        """``work`` in one transaction; what it had to work out there after all is counted."""
        try:
            return await self.database.run(work)
        finally:
            self.worked_out_in_transactions += prepared.misses

    def _analyse(self, message: IncomingMessage) -> _Analysis:
        # A deployment serving one country is a fair prior (Malay in Malaysia, not Indonesian).
        only_country = self.settings.countries[0] if len(self.settings.countries) == 1 else None
        started = time.perf_counter()
        detection = self.detector.detect(message.text, message.language_code, only_country)
        country = guess_country(message.language_code, detection.language, self.settings.countries)
        analysis = _Analysis(detection, country, self.classifier.classify(message.text),
                             extract_indicators(message.text, country))
        if self.metrics is not None:
            self.metrics.classification.observe(time.perf_counter() - started)
        return analysis

    def _once(self, tx: Transaction, update_id: int, user_id: int, language_code: str | None, now: datetime,
              work: Callable[[], IntakeResult]) -> IntakeResult:
        """``work`` for an update seen the first time, remembering what it did; for an update seen
        before (replayed after a crash), DUPLICATE with what it did then, changing nothing."""
        seen = self.reports.claim_update(tx, update_id, now)
        if seen is None:
            result = work()
            self.reports.record_update(tx, update_id, result.report.id if result.report else None, result.outcome)
            return result
        report = self.reports.get_in(tx, seen.report_id) if seen.report_id is not None else None
        first = Outcome(seen.outcome) if seen.outcome is not None else None
        chosen = self.reports.upsert_reporter(tx, user_id, user_id, language_code, now).language
        language = reply_language(chosen, language_code, None, current=report.reply_language if report else None)
        return IntakeResult(Outcome.DUPLICATE, report, language, first)

    def _receive(self, tx: Transaction, message: IncomingMessage, analysis: _Analysis, now: datetime,
                 prepared: Prepared) -> IntakeResult:
        reporter = self.reports.upsert_reporter(tx, message.user_id, message.chat_id, message.language_code, now)
        block = self.privacy.block_of(tx, message.user_id)
        if block is not None:
            if block.told_at is None:
                self.privacy.mark_block_told(tx, message.user_id, now)
            return IntakeResult(Outcome.BLOCKED if block.told_at is None else Outcome.BLOCKED_AGAIN, None,
                                reply_language(reporter.language, message.language_code, None))
        latest = self.reports.latest_report(tx, reporter.id)
        limits = self.settings.intake
        if self.reports.messages_since(tx, reporter.id, now - _MINUTE) >= limits.messages_per_minute:
            return self._limited(tx, message, reporter.language, now, "messages per minute")
        if latest is not None and self._is_answering(latest, now):
            album = self._continues_album(tx, latest, message)
            indicators = (analysis.indicators if latest.country == analysis.country
                          else prepared.indicators(message.text, latest.country))
            first = self._add_answer(tx, latest, message, indicators, now, prepared)
            outcome = Outcome.INFO_ADDED if first else Outcome.ALBUM if album else Outcome.ADDED
            return IntakeResult(outcome, latest, reply_language(reporter.language, message.language_code, None,
                                                                current=latest.reply_language))
        if latest is None or not self._is_open(tx, latest, now):
            if self.reports.reports_since(tx, reporter.id, now - _HOUR) >= limits.reports_per_hour:
                return self._limited(tx, message, reporter.language, now, "reports per hour")
            if self.reports.reports_since(tx, reporter.id, now - _DAY) >= limits.reports_per_day:
                return self._limited(tx, message, reporter.language, now, "reports per day")
            report = self._create(tx, reporter.id, reporter.language, message, analysis, now)
            if reporter.notice_seen_at is None:
                self.reports.mark_notice_seen(tx, reporter.id, now)
            return IntakeResult(Outcome.CREATED, report, report.reply_language,
                                first_notice=reporter.notice_seen_at is None)
        language = reply_language(reporter.language, message.language_code, None, current=latest.reply_language)
        if latest.followup_step is FollowUpStep.AMOUNT and not message.attachments and looks_like_amount(message.text):
            latest.money_lost, latest.loss_amount = True, message.text.strip()
            self._advance(tx, latest, FollowUpStep.AMOUNT, now, prepared)
            return IntakeResult(Outcome.ANSWERED, latest, language)
        album = self._continues_album(tx, latest, message)
        indicators = (analysis.indicators if latest.country == analysis.country
                      else prepared.indicators(message.text, latest.country))
        self._add(tx, latest, message, indicators, now, prepared)
        return IntakeResult(Outcome.ALBUM if album else Outcome.ADDED, latest, language)

    def _limited(self, tx: Transaction, message: IncomingMessage, chosen: str | None, now: datetime,
                 which: str) -> IntakeResult:
        """Over a limit: nothing stored; audited; the citizen told once an hour."""
        actor = f"telegram:{message.user_id}"
        told = self.reports.audited_since(tx, actor, "citizen.limited", now - _HOUR)
        self.reports.audit(tx, now, actor, "citizen.limited", None, which)
        return IntakeResult(Outcome.LIMITED_AGAIN if told else Outcome.LIMITED, None,
                            reply_language(chosen, message.language_code, None))

    def _continues_album(self, tx: Transaction, report: Report, message: IncomingMessage) -> bool:
        """Another item of an album the report already holds (acknowledged once, not per item)."""
        return bool(message.media_group_id) and self.reports.message_count(
            tx, report.id, message.media_group_id or "") > 0

    def _is_answering(self, report: Report, now: datetime) -> bool:
        """A moderator asked the citizen a question (the answer is due by ``followup_deadline``),
        or the citizen is still sending the rest of an answer (screenshots after the text)."""
        if report.followup_deadline <= now:
            return False
        return report.status is ReportStatus.NEEDS_INFO or (
            report.status is ReportStatus.IN_REVIEW and now - report.last_message_at < self._merge_window)

    def _add_answer(self, tx: Transaction, report: Report, message: IncomingMessage, indicators: list[Indicator],
                    now: datetime, prepared: Prepared) -> bool:
        """Attach the message; if it is the first of an answer, moderators get the card again
        (once the rest of the answer is in). True for the first message of an answer."""
        asked = report.status is ReportStatus.NEEDS_INFO
        self._add(tx, report, message, indicators, now, prepared)
        if not asked:
            return False
        report.status = ReportStatus.IN_REVIEW
        self._save(tx, report)
        answers = self.reports.message_count_of(tx, report.id)
        self.outbox.enqueue(tx, report.id, reviewers_for(report.country, self.settings, self.roster),
                            self._due(tx, report), now, purpose=Card(answers))
        self.reports.audit(tx, now, "citizen", "report.answered", report.id,
                           from_status=ReportStatus.NEEDS_INFO, to_status=ReportStatus.IN_REVIEW)
        return True

    def _is_open(self, tx: Transaction, report: Report, now: datetime) -> bool:
        if report.status is ReportStatus.COLLECTING:
            return report.followup_deadline > now
        recent = now - report.last_message_at < self._merge_window
        return recent and not self.outbox.any_attempted(tx, report.id)

    def _create(self, tx: Transaction, reporter_id: int, chosen_language: str | None, message: IncomingMessage,
                analysis: _Analysis, now: datetime) -> Report:
        detection, classification, country = analysis.detection, analysis.classification, analysis.country
        report = Report(
            id=0,
            reference=new_reference(country),
            country=country,
            status=ReportStatus.COLLECTING,
            reply_language=reply_language(chosen_language, message.language_code, detection.language,
                                          detection.confidence),
            detected_language=detection.language,
            language_confidence=round(detection.confidence, 3),
            category=classification.category,
            category_reason=classification.reason,
            scam_type=classification.scam_type,
            explanation=classification.explanation,
            platform=None,
            money_lost=None,
            loss_amount=None,
            followup_step=steps(self.settings.countries)[0],
            followup_message_id=None,
            created_at=now,
            last_message_at=now,
            followup_deadline=now + self._followup_window,
            completed_at=None,
            reporter_chat_id=message.chat_id,
            keep_on_file=self.settings.consent == "ask",  # forwarded only once the citizen agrees
        )
        report.id = self.reports.insert_report(tx, report, reporter_id)
        self._attach(tx, report.id, message, analysis.indicators, now)
        report.indicators = list(analysis.indicators)
        if self.settings.review == "none" and not report.keep_on_file:
            self.outbox.enqueue(tx, report.id, recipients_for(country, self.settings), report.followup_deadline, now)
        self.reports.audit(tx, now, "citizen", "report.created", report.id,
                           f"{report.category} ({report.category_reason})")
        return report

    def _add(self, tx: Transaction, report: Report, message: IncomingMessage, indicators: list[Indicator],
             now: datetime, prepared: Prepared) -> None:
        self._attach(tx, report.id, message, indicators, now)
        # The category follows everything the citizen has said, not only the first message.
        classification = prepared.classification(self.reports.report_text(tx, report.id))
        if classification.category is not Category.OTHER or report.category is Category.OTHER:
            report.category, report.category_reason = classification.category, classification.reason
            report.scam_type, report.explanation = classification.scam_type, classification.explanation
        report.last_message_at = now
        if report.status is ReportStatus.COLLECTING:
            # A message just before the follow-ups close still makes it into the forward.
            report.followup_deadline = max(report.followup_deadline, now + self._merge_window)
        self._save(tx, report)

    def _attach(self, tx: Transaction, report_id: int, message: IncomingMessage, indicators: list[Indicator],
                now: datetime) -> None:
        self.reports.add_message(tx, report_id, message, indicators)
        if message.attachments and self.settings.ocr.enabled:
            self.images.queue(tx, report_id, now, self.settings.ocr.max_image_bytes)

    def _save(self, tx: Transaction, report: Report) -> None:
        self.reports.update_report(tx, report)
        self.outbox.reschedule_unsent(tx, report.id, self._due(tx, report))

    def _due(self, tx: Transaction, report: Report) -> datetime:
        """When the report's deliveries may go: see :func:`delivery_due`; and not before its
        images are read (or the wait for them is over), so forwards carry what was read."""
        due = delivery_due(report, self._merge_window)
        held = self.images.held_until(tx, report.id, self._reading_wait)
        return max(due, held) if held else due

    # --- text read from evidence images ----------------------------------------------------

    def absorb_image_text(self, tx: Transaction, report_id: int, detection: Detection | None, now: datetime,
                          detail: str, prepared: Prepared) -> None:
        """Text was read from one of the report's images: its category (and, for a report with no
        words of its own, its language) follow the words and the screenshots together; a report
        already complete is compared with earlier scam scripts again."""
        report = self.reports.get_in(tx, report_id)
        if report is None:
            return
        classification = prepared.classification(self.reports.report_text(tx, report_id))
        if classification.category is not Category.OTHER or report.category is Category.OTHER:
            report.category, report.category_reason = classification.category, classification.reason
            report.scam_type, report.explanation = classification.scam_type, classification.explanation
        if detection is not None and not self.reports.report_text(tx, report_id, with_images=False):
            report.detected_language = detection.language
            report.language_confidence = round(detection.confidence, 3)
        self._save(tx, report)
        if report.completed_at is not None:
            self.reports.forget_fingerprint(tx, report_id)
            self._link_same_script(tx, report, prepared)
        self.reports.audit(tx, now, "system", "report.image_read", report_id, detail)

    def release(self, tx: Transaction, report_id: int) -> None:
        """An image of the report will not be read: its forwards stop waiting for it."""
        report = self.reports.get_in(tx, report_id)
        if report is not None:
            self._save(tx, report)

    # --- follow-up answers -----------------------------------------------------------------

    async def answer(self, update_id: int, user_id: int, reference: str, step: FollowUpStep,
                     value: str | None) -> IntakeResult:
        """Record the answer to ``step`` (``value`` None = skipped) and move to the next question."""
        now = self.clock()
        prepared, parts = await self._prepare_completion(reference)
        if parts is not None and step is FollowUpStep.COUNTRY and value is not None and value != parts.country:
            prepared.ahead(report_text(parts.words, ()), indicators_in=value)  # read again there

        def answering(tx: Transaction) -> IntakeResult:
            report = self._own_collecting(tx, user_id, reference, now)
            if isinstance(report, IntakeResult):
                return report
            if report.followup_step is not step:
                return IntakeResult(Outcome.STALE, report, report.reply_language)
            if value is not None:
                country = report.country
                self._apply(report, step, value)
                if report.country != country:
                    self._reroute(tx, report, country, now, prepared)
            self._advance(tx, report, step, now, prepared)
            return IntakeResult(Outcome.ANSWERED, report, report.reply_language)

        result = await self.run_prepared(
            prepared, lambda tx: self._once(tx, update_id, user_id, None, now, lambda: answering(tx)))
        self.on_due()
        return result

    async def send_now(self, update_id: int, user_id: int, reference: str) -> IntakeResult:
        now = self.clock()
        prepared, _ = await self._prepare_completion(reference)

        def sending(tx: Transaction) -> IntakeResult:
            report = self._own_collecting(tx, user_id, reference, now)
            if isinstance(report, IntakeResult):
                return report
            self._complete(tx, report, now, "citizen pressed send now", prepared)
            return IntakeResult(Outcome.ANSWERED, report, report.reply_language)

        result = await self.run_prepared(
            prepared, lambda tx: self._once(tx, update_id, user_id, None, now, lambda: sending(tx)))
        self.on_due()
        return result

    async def choose_forwarding(self, update_id: int, user_id: int, reference: str, forward: bool) -> IntakeResult:
        """The citizen keeps the report on file only, or agrees to forward it ([privacy] consent),
        while it is still being written: nothing has gone to a contact yet."""
        now = self.clock()

        def choosing(tx: Transaction) -> IntakeResult:
            report = self._own_collecting(tx, user_id, reference, now)
            if isinstance(report, IntakeResult) or report.keep_on_file is not forward:
                return report if isinstance(report, IntakeResult) else IntakeResult(
                    Outcome.ANSWERED, report, report.reply_language)
            report.keep_on_file = not forward
            self._save(tx, report)
            if report.keep_on_file:
                self.outbox.cancel(tx, report.id)  # the forwards: no card is queued before completion
            elif self.settings.review == "none":
                self.outbox.enqueue(tx, report.id, recipients_for(report.country, self.settings),
                                    self._due(tx, report), now)
            self.reports.audit(tx, now, "citizen", "report.forward_agreed" if forward else "report.kept_on_file",
                               report.id)
            return IntakeResult(Outcome.ANSWERED, report, report.reply_language)

        return await self.database.run(lambda tx: self._once(tx, update_id, user_id, None, now,
                                                             lambda: choosing(tx)))

    async def notice_shown(self, user_id: int) -> None:
        """The citizen was shown the privacy notice (/start, /privacy)."""
        now = self.clock()

        def work(tx: Transaction) -> None:
            reporter = self.reports.upsert_reporter(tx, user_id, user_id, None, now)
            self.reports.mark_notice_seen(tx, reporter.id, now)

        await self.database.run(work)

    async def _prepare_completion(self, reference: str) -> tuple[Prepared, TextParts | None]:
        """The same-script fingerprint of a report that may be completed now, worked out ahead;
        and the text it was worked out on, for whatever else the caller works out."""
        prepared = Prepared(self.classifier)
        parts = await self.reports.text_parts(reference=reference)
        if parts is not None:
            prepared.ahead(parts.text(), fingerprinted=True)
        return prepared, parts

    async def set_followup_message(self, report: Report, message_id: int) -> None:
        """Remember the message holding the questions, to edit it as they are answered."""
        report.followup_message_id = message_id
        await self.reports.set_followup_message(report.id, message_id)

    def _own_collecting(self, tx: Transaction, user_id: int, reference: str, now: datetime) -> Report | IntakeResult:
        reporter = self.reports.upsert_reporter(tx, user_id, user_id, None, now)
        report = self.reports.latest_report(tx, reporter.id)
        if report is None or report.reference != reference or report.status is not ReportStatus.COLLECTING:
            return IntakeResult(Outcome.STALE, None, reply_language(reporter.language, None, None))
        return report

    def _apply(self, report: Report, step: FollowUpStep, value: str) -> None:
        if step is FollowUpStep.COUNTRY and value in self.settings.countries:
            report.country = value
        elif step is FollowUpStep.PLATFORM and value in Platform.__members__.values():
            report.platform = Platform(value)
        elif step is FollowUpStep.LOSS:
            report.money_lost = value == "yes"

    def _advance(self, tx: Transaction, report: Report, step: FollowUpStep, now: datetime,
                 prepared: Prepared) -> None:
        following = next_step(step, self.settings.countries, money_lost=report.money_lost)
        if following is None:
            self._complete(tx, report, now, f"answered {step}", prepared)
            return
        report.followup_step = following
        self._save(tx, report)

    def _complete(self, tx: Transaction, report: Report, now: datetime, why: str, prepared: Prepared) -> None:
        report.followup_step = None
        report.completed_at = now
        report.status = ReportStatus.NEW
        self._save(tx, report)
        self._link_same_script(tx, report, prepared)
        # Every report is shown to its moderators; with review = "before_forward" their decision
        # is also what releases it to the contacts.
        self.outbox.enqueue(tx, report.id, reviewers_for(report.country, self.settings, self.roster),
                            self._due(tx, report), now, purpose=CARD)
        self.reports.audit(tx, now, "citizen", "report.completed", report.id, why,
                           from_status=ReportStatus.COLLECTING, to_status=ReportStatus.NEW)

    def _link_same_script(self, tx: Transaction, report: Report, prepared: Prepared) -> None:
        """Once its text is final, link the report to earlier ones of the same scam script."""
        mine = prepared.fingerprint(self.reports.report_text(tx, report.id))
        for earlier_id, earlier in self.reports.save_fingerprint(tx, report.id, mine):
            found = compare(mine, earlier)
            if found is not None:
                self.reports.link(tx, report.id, earlier_id, found[0].value, found[1])

    def _reroute(self, tx: Transaction, report: Report, previous_country: str, now: datetime,
                 prepared: Prepared) -> None:
        """The citizen chose another served country: the report goes to that country's contacts,
        its reference takes that country's code (the citizen sees it at once, in the edited
        acknowledgement), and local phone numbers are read again in that country's numbering plan."""
        previous = report.reference
        report.reference = new_reference(report.country)
        self.reports.audit(tx, now, "citizen", "report.country_changed", report.id,
                           f"{previous_country} -> {report.country}, reference {previous} -> {report.reference}")
        text = self.reports.report_text(tx, report.id, with_images=False)
        read = [indicator for image in self.images.of_report(tx, report.id).values()
                for indicator in indicators_read(image.text, image.codes, report.country)]
        self.reports.replace_indicators(tx, report.id, [*prepared.indicators(text, report.country), *read])
        self.outbox.cancel(tx, report.id)
        if self.settings.review == "none" and not report.keep_on_file:
            self.outbox.enqueue(tx, report.id, recipients_for(report.country, self.settings),
                                self._due(tx, report), now)

    # --- closing, cancelling, erasing ------------------------------------------------------

    async def close_expired(self) -> list[Report]:
        """Complete the reports whose follow-up window has closed; returns them."""
        now = self.clock()
        closed = await self.reports.expired_collecting(now)
        prepared = Prepared(self.classifier)
        for report in closed:
            parts = await self.reports.text_parts(report_id=report.id)
            if parts is not None:
                prepared.ahead(parts.text(), fingerprinted=True)

        def work(tx: Transaction) -> None:
            for report in closed:
                self._complete(tx, report, now, "follow-up window closed", prepared)

        await self.run_prepared(prepared, work)
        if closed:
            self.on_due()
        return closed

    async def cancel(self, user_id: int) -> Report | None:
        """Withdraw the citizen's report that is still open and not yet sent anywhere."""
        now = self.clock()

        def work(tx: Transaction) -> Report | None:
            reporter = self.reports.upsert_reporter(tx, user_id, user_id, None, now)
            report = self.reports.latest_report(tx, reporter.id)
            if report is None or not self._is_open(tx, report, now):
                return None
            withdraw(tx, self.reports, self.outbox, report, now, "citizen")
            return report

        return await self.database.run(work)

    async def set_language(self, user_id: int, language: str) -> None:
        now = self.clock()

        def work(tx: Transaction) -> None:
            reporter = self.reports.upsert_reporter(tx, user_id, user_id, None, now)
            self.reports.set_reporter_language(tx, reporter.id, language)

        await self.database.run(work)

    async def erase_reporter(self, user_id: int) -> int:
        now = self.clock()

        def work(tx: Transaction) -> int:
            # Their words, screenshots and files go from the reports too; the numbers and links they
            # reported stay, for /check and the figures (as retention leaves them).
            reports = self.privacy.reports_of_user(tx, user_id)
            kept = self.reports.erase_reporter(tx, user_id)
            self.privacy.deidentify(tx, reports, now)
            self.reports.audit(tx, now, "citizen", "reporter.erased", None, f"{kept} reports de-identified")
            return kept

        return await self.database.run(work)
