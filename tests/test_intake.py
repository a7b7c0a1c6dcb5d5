"""Taking in reports without Telegram: joining, follow-ups, completion, duplicates, privacy."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from itertools import count
from typing import Any

import pytest

from harmline.moderation import Roster
from harmline.reports.classify import Classification, KeywordClassifier
from harmline.reports.language import LayeredLanguageDetector
from harmline.reports.model import Attachment, Category, FollowUpStep, IncomingMessage, Platform, ReportStatus
from harmline.reports.reference import REFERENCE_PATTERN
from harmline.reports.text import TextParts
from harmline.services.intake import Intake, Outcome
from harmline.settings import Settings
from harmline.storage import open_store
from tests.conftest import Clock

_update_ids = count(1000)
DETECTOR = LayeredLanguageDetector()


class Harness:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.store = store = open_store(settings.database, settings.database_url)
        self.database, self.reports, self.outbox = store.database, store.reports, store.outbox
        self.clock = clock
        self.woken = 0
        self.intake = Intake(store, settings, DETECTOR, KeywordClassifier(), Roster(settings), clock=clock,
                             on_due=self._wake)

    def _wake(self) -> None:
        self.woken += 1

    def message(self, text: str, *, user: int = 77, update_id: int | None = None, **extra: Any) -> IncomingMessage:
        return IncomingMessage(update_id=update_id or next(_update_ids), user_id=user, chat_id=user,
                               message_id=next(_update_ids), text=text, received_at=self.clock(), **extra)


@pytest.fixture
async def harness(make_settings: Callable[..., Settings], clock: Clock) -> AsyncIterator[Harness]:
    h = Harness(make_settings(), clock)
    await h.database.open()
    yield h
    await h.database.close()


async def test_a_first_message_makes_a_stored_report_with_a_reference_and_a_deferred_delivery(
        harness: Harness) -> None:
    result = await harness.intake.receive(harness.message(
        "Tahniah! Anda menang hadiah RM5000. Klik pautan hxxps://hadiah-percuma[.]com dan hubungi 012-345 6789",
        language_code="en"))
    assert result.outcome is Outcome.CREATED and result.report is not None
    stored = await harness.reports.find(result.report.reference)
    assert stored is not None
    assert REFERENCE_PATTERN.match(stored.reference) and stored.reference.startswith("MY-")
    assert stored.detected_language == "ms"
    assert stored.reply_language == "en"  # Telegram's language_code comes before the detected language
    assert stored.category is Category.SCAM
    assert {(i.kind, i.value) for i in stored.indicators} == {("url", "https://hadiah-percuma.com"),
                                                              ("phone", "+60123456789")}
    deliveries = await harness.outbox.for_report(stored.id)
    assert [(d.contact_name, d.channel, d.target) for d in deliveries] == [
        ("National Scam Response Centre", "telegram", "-100123")]
    # Nothing goes out before the citizen finished the questions or the window closed.
    assert deliveries[0].next_attempt_at == stored.followup_deadline
    assert await harness.outbox.due(harness.clock()) == []


async def test_a_redelivered_update_does_not_make_a_second_report(harness: Harness) -> None:
    first = await harness.intake.receive(harness.message("I was scammed by this number", update_id=5))
    again = await harness.intake.receive(harness.message("I was scammed by this number", update_id=5))
    assert first.outcome is Outcome.CREATED
    assert again.outcome is Outcome.DUPLICATE
    assert len(await harness.reports.of_reporter(77)) == 1


async def test_screenshot_then_text_then_screenshot_make_one_report(harness: Harness, clock: Clock) -> None:
    photo = Attachment("photo", "file-1", "uniq-1", 1000, "image/jpeg")
    first = await harness.intake.receive(harness.message("", attachments=(photo,)))
    clock.advance(5)
    second = await harness.intake.receive(harness.message("This page asked for my bank OTP"))
    clock.advance(5)
    third = await harness.intake.receive(harness.message("", attachments=(Attachment("photo", "f2", "u2"),)))
    assert [first.outcome, second.outcome, third.outcome] == [Outcome.CREATED, Outcome.ADDED, Outcome.ADDED]
    assert first.report is not None
    stored = await harness.reports.find(first.report.reference)
    assert stored is not None
    assert len(stored.evidence) == 2
    assert stored.text == "This page asked for my bank OTP"
    assert stored.category is Category.SCAM  # re-classified once the text arrived
    assert len(await harness.reports.of_reporter(77)) == 1


async def test_album_items_after_the_first_are_not_acknowledged_again(harness: Harness) -> None:
    outcomes = [(await harness.intake.receive(harness.message(
        "", media_group_id="album-1", attachments=(Attachment("photo", f"f{i}", f"u{i}"),)))).outcome
        for i in range(3)]
    assert outcomes == [Outcome.CREATED, Outcome.ALBUM, Outcome.ALBUM]


async def test_answering_every_question_completes_the_report_and_releases_its_delivery(
        harness: Harness, clock: Clock) -> None:
    created = await harness.intake.receive(harness.message("Slot gacor maxwin, deposit 10rb"))
    assert created.report is not None and created.report.followup_step is FollowUpStep.PLATFORM
    ref = created.report.reference
    platform = await harness.intake.answer(next(_update_ids), 77, ref, FollowUpStep.PLATFORM, "tiktok")
    assert platform.report is not None and platform.report.followup_step is FollowUpStep.LOSS
    clock.advance(2)
    loss = await harness.intake.answer(next(_update_ids), 77, ref, FollowUpStep.LOSS, "yes")
    assert loss.report is not None and loss.report.followup_step is FollowUpStep.AMOUNT
    woken = harness.woken
    amount = await harness.intake.receive(harness.message("RM 8,500"))
    assert amount.outcome is Outcome.ANSWERED
    stored = await harness.reports.find(ref)
    assert stored is not None
    assert stored.status is ReportStatus.NEW and stored.followup_step is None
    assert (stored.platform, stored.money_lost, stored.loss_amount) == (Platform.TIKTOK, True, "RM 8,500")
    assert stored.category is Category.ILLEGAL_GAMBLING
    assert stored.text == "Slot gacor maxwin, deposit 10rb"  # the amount is an answer, not report text
    assert harness.woken > woken  # completion wakes the delivery worker
    # Due a merge window after the last message, so a late screenshot still joins: the forward to
    # the contact, and the card for the country's moderator (in private: there is no moderators' group).
    clock.advance(15)
    due = await harness.outbox.due(clock())
    assert [(d.report_id, str(d.purpose), d.target) for d in due] == [(stored.id, "forward", "-100123"),
                                                                  (stored.id, "card", "900001")]


async def test_send_now_skips_the_remaining_questions(harness: Harness, clock: Clock) -> None:
    created = await harness.intake.receive(harness.message("Pinjaman segera tanpa dokumen, bayar yuran dulu"))
    assert created.report is not None
    result = await harness.intake.send_now(next(_update_ids), 77, created.report.reference)
    assert result.report is not None and result.report.status is ReportStatus.NEW
    late = await harness.intake.answer(next(_update_ids), 77, created.report.reference, FollowUpStep.PLATFORM,
                                       "sms")
    assert late.outcome is Outcome.STALE


async def test_someone_elses_button_cannot_change_a_report(harness: Harness) -> None:
    created = await harness.intake.receive(harness.message("scam link here", user=1))
    assert created.report is not None
    forged = await harness.intake.answer(next(_update_ids), 2, created.report.reference, FollowUpStep.PLATFORM,
                                         "sms")
    assert forged.outcome is Outcome.STALE
    stored = await harness.reports.find(created.report.reference)
    assert stored is not None and stored.platform is None


async def test_a_message_after_the_window_starts_a_new_report(harness: Harness, clock: Clock) -> None:
    first = await harness.intake.receive(harness.message("first scam"))
    clock.advance(301)
    closed = await harness.intake.close_expired()
    assert [r.reference for r in closed] == [first.report.reference if first.report else ""]
    second = await harness.intake.receive(harness.message("another scam, different one"))
    assert second.outcome is Outcome.CREATED


async def test_cancel_withdraws_an_open_report_and_its_deliveries(harness: Harness, clock: Clock) -> None:
    created = await harness.intake.receive(harness.message("oops, not a scam"))
    cancelled = await harness.intake.cancel(77)
    assert cancelled is not None and created.report is not None
    assert [d.state for d in await harness.outbox.for_report(created.report.id)] == ["cancelled"]
    clock.advance(600)
    assert await harness.outbox.due(clock()) == []
    assert await harness.intake.cancel(77) is None


async def test_deleteme_erases_the_reporter_and_their_words_but_keeps_the_reported_number(harness: Harness) -> None:
    created = await harness.intake.receive(harness.message("I was scammed via WhatsApp +60 12-345 6789"))
    assert created.report is not None
    assert await harness.intake.erase_reporter(77) == 1
    assert await harness.reports.reporter(77) is None
    assert await harness.reports.of_reporter(77) == []
    kept = await harness.reports.find(created.report.reference)
    assert kept is not None and kept.reporter_chat_id is None
    assert kept.text == ""  # their words went with them
    assert [(i.kind, i.value) for i in kept.indicators] == [("phone", "+60123456789")]


async def test_choosing_another_served_country_routes_to_that_countrys_contact(
        make_settings: Callable[..., Settings], clock: Clock) -> None:
    settings = make_settings(
        deployment={"countries": ["MY", "SG"]},
        contacts=[{"country": "MY", "name": "NSRC", "telegram_chat_id": -1001, "language": "ms"},
                  {"country": "SG", "name": "ScamShield", "telegram_chat_id": -1002, "language": "en"}])
    h = Harness(settings, clock)
    await h.database.open()
    created = await h.intake.receive(h.message("scam call from fake police"))
    assert created.report is not None and created.report.followup_step is FollowUpStep.COUNTRY
    answered = await h.intake.answer(next(_update_ids), 77, created.report.reference, FollowUpStep.COUNTRY, "SG")
    assert answered.report is not None
    # The reference follows the country, so the Singapore contact never sees an "MY-" report.
    assert answered.report.reference.startswith("SG-") and answered.report.reference != created.report.reference
    assert await h.reports.find(created.report.reference) is None
    await h.intake.send_now(next(_update_ids), 77, answered.report.reference)
    deliveries = await h.outbox.for_report(created.report.id)
    assert {(d.contact_name, d.state) for d in deliveries} == {("NSRC", "cancelled"), ("ScamShield", "pending")}
    clock.advance(timedelta(seconds=20).total_seconds())
    assert [d.contact_name for d in await h.outbox.due(clock())] == ["ScamShield"]
    await h.database.close()


async def test_a_new_report_starts_in_the_country_of_the_citizens_language(
        make_settings: Callable[..., Settings], clock: Clock) -> None:
    settings = make_settings(
        deployment={"countries": ["MY", "TH"]},
        contacts=[{"country": "MY", "name": "NSRC", "telegram_chat_id": -1001, "language": "ms"},
                  {"country": "TH", "name": "Thai Police", "telegram_chat_id": -1003, "language": "th"}])
    h = Harness(settings, clock)
    await h.database.open()
    thai = await h.intake.receive(h.message("มิจฉาชีพโทรมา ให้โอนเงิน โทร 081-234-5678", user=1, language_code="th"))
    english = await h.intake.receive(h.message("fake courier call, pay now", user=2, language_code="en"))
    assert thai.report is not None and english.report is not None
    assert thai.report.reference.startswith("TH-") and english.report.reference.startswith("MY-")
    stored = await h.reports.find(thai.report.reference)
    assert stored is not None and [i.value for i in stored.indicators] == ["+66812345678"]
    # Told otherwise, the report moves and its local numbers are read in the new numbering plan.
    moved = await h.intake.receive(h.message("scam call 012-345 6789", user=3, language_code="th"))
    assert moved.report is not None
    answered = await h.intake.answer(next(_update_ids), 3, moved.report.reference, FollowUpStep.COUNTRY, "MY")
    assert answered.report is not None and answered.report.reference.startswith("MY-")
    stored = await h.reports.find(answered.report.reference)
    assert stored is not None and [i.value for i in stored.indicators] == ["+60123456789"]
    await h.database.close()


async def test_the_same_scam_script_with_other_numbers_is_linked_and_short_texts_only_suggested(
        harness: Harness, clock: Clock) -> None:
    script = ("Tahniah! Anda menang hadiah wang tunai {amount} daripada Bank Negara. Sila klik {link} dan bayar "
              "yuran pemprosesan. WhatsApp {phone}")
    first = await harness.intake.receive(harness.message(
        script.format(amount="RM5,000", link="hxxps://bnm-hadiah[.]com", phone="012-345 6789"), user=11))
    second = await harness.intake.receive(harness.message(
        script.format(amount="RM8,000", link="https://bnm-prize.top/claim", phone="019-888 1234"), user=12))
    short_a = await harness.intake.receive(harness.message("call me back now", user=13))
    short_b = await harness.intake.receive(harness.message("call me back now!", user=14))
    for result, user in ((first, 11), (second, 12), (short_a, 13), (short_b, 14)):
        assert result.report is not None
        await harness.intake.send_now(next(_update_ids), user, result.report.reference)
    assert second.report is not None and short_b.report is not None
    linked = await harness.reports.find(second.report.reference)
    assert linked is not None and (linked.same_script_reports, linked.possible_duplicates) == (1, 0)
    short = await harness.reports.find(short_b.report.reference)
    assert short is not None and (short.same_script_reports, short.possible_duplicates) == (0, 1)


KHMER = "ខ្ញុំត្រូវបានគេបោកប្រាស់ តាមតេឡេក្រាម គេឱ្យខ្ញុំផ្ទេរប្រាក់"
TETUM = "Ha'u simu mensajen husi numeru la koñese, sira dehan ha'u manan premiu no ha'u tenke selu osan"


@pytest.mark.parametrize(("text", "language_code", "expected"), [
    (KHMER, "en", "km"),
    ("ຂ້ອຍຖືກຫລອກລວງ ໃຫ້ໂອນເງິນ", "en", "lo"),
    ("ငွေလွှဲခိုင်းတယ်", None, "my"),
    (TETUM, "en", "tet"),
    (TETUM, "pt", "tet"),
    ("gw udah transfer tp blm masuk jg nih", "en", "id"),
])
async def test_a_citizen_is_answered_in_the_language_they_write_over_telegrams_language_code(
        harness: Harness, text: str, language_code: str | None, expected: str) -> None:
    result = await harness.intake.receive(harness.message(text, language_code=language_code))
    assert result.outcome is Outcome.CREATED and result.report is not None
    assert result.language == expected
    stored = await harness.reports.find(result.report.reference)
    assert stored is not None and stored.reply_language == expected


@pytest.mark.parametrize(("text", "language_code", "expected"), [
    ("ok scam", "km", "km"),  # too short to be sure: Telegram's language_code decides
    ("https://bit.ly/3zExAmP", "lo", "lo"),  # a link says nothing about the language
    ("https://bit.ly/3zExAmP", None, "en"),  # nothing to go by: the fallback
])
async def test_telegrams_language_code_decides_when_the_text_is_not_clear(
        harness: Harness, text: str, language_code: str | None, expected: str) -> None:
    result = await harness.intake.receive(harness.message(text, language_code=language_code))
    assert result.report is not None and result.report.reply_language == expected


async def test_the_citizens_language_choice_wins_over_the_language_they_write(harness: Harness) -> None:
    await harness.intake.set_language(77, "th")
    result = await harness.intake.receive(harness.message(KHMER, language_code="en"))
    assert result.language == "th"


async def test_a_reports_reply_language_stays_through_its_follow_ups(harness: Harness, clock: Clock) -> None:
    created = await harness.intake.receive(harness.message(KHMER, language_code="en", update_id=4242))
    assert created.language == "km" and created.report is not None
    clock.advance(5)
    photo = await harness.intake.receive(harness.message(
        "", language_code="en", attachments=(Attachment("photo", "f-km", "u-km"),)))
    assert (photo.outcome, photo.language) == (Outcome.ADDED, "km")
    clock.advance(5)
    english = await harness.intake.receive(harness.message("they also called me", language_code="en"))
    assert (english.outcome, english.language) == (Outcome.ADDED, "km")
    replayed = await harness.intake.receive(harness.message(KHMER, language_code="en", update_id=4242))
    assert (replayed.outcome, replayed.language) == (Outcome.DUPLICATE, "km")
    answered = await harness.intake.answer(next(_update_ids), 77, created.report.reference,
                                           FollowUpStep.PLATFORM, "telegram")
    assert answered.language == "km"
    # The citizen's own choice, made half-way, is followed from then on.
    await harness.intake.set_language(77, "en")
    clock.advance(5)
    chosen = await harness.intake.receive(harness.message("", attachments=(Attachment("photo", "f2", "u2"),)))
    assert chosen.language == "en"


class CountingClassifier(KeywordClassifier):
    """The keyword classifier, counting its calls and whether each ran inside a transaction."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def classify(self, text: str) -> Classification:
        self.calls.append(text)
        return super().classify(text)


async def test_classification_and_fingerprints_are_worked_out_before_the_transaction(
        make_settings: Callable[..., Settings], clock: Clock) -> None:
    """A report's category (as its messages arrive), its screenshot-free same-script fingerprint
    (at completion) and its indicators are not computed while the write transaction is open."""
    harness = Harness(make_settings(), clock)
    await harness.database.open()
    try:
        inside = []
        original = harness.database.run

        async def run(work: Any) -> Any:  # every unit of work, watched for the classifier running in it
            before = len(classifier.calls)
            result = await original(work)
            inside.append(len(classifier.calls) - before)
            return result

        classifier = CountingClassifier()
        harness.intake.classifier = classifier
        harness.database.run = run  # type: ignore[method-assign]
        created = await harness.intake.receive(harness.message("Fake bank SMS asks for my OTP"))
        clock.advance(5)
        added = await harness.intake.receive(harness.message("the link was bit.ly/x1 and they called 0123456789"))
        assert created.report is not None and added.outcome is Outcome.ADDED
        await harness.intake.send_now(next(_update_ids), 77, created.report.reference)
        stored = await harness.reports.find(created.report.reference)
        assert stored is not None and stored.category is Category.SCAM
        assert stored.text == "Fake bank SMS asks for my OTP\n\nthe link was bit.ly/x1 and they called 0123456789"
        assert classifier.calls  # it did run: before the transactions
        assert inside and set(inside) == {0}
        assert harness.intake.worked_out_in_transactions == 0
    finally:
        await harness.database.close()


async def test_a_text_that_changed_before_the_transaction_is_worked_out_there_and_still_right(
        harness: Harness, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    created = await harness.intake.receive(harness.message("My parcel is held, pay the customs fee"))
    assert created.report is not None
    clock.advance(5)
    # As if another message had been stored between the read ahead and the transaction.
    monkeypatch.setattr(harness.reports, "text_parts", _stale_text_parts)
    added = await harness.intake.receive(harness.message("Slot gacor deposit bonus 100% at judi888"))
    assert added.outcome is Outcome.ADDED
    stored = await harness.reports.find(created.report.reference)
    assert stored is not None
    # Worked out on the text the transaction found: both messages.
    assert stored.category is KeywordClassifier().classify(stored.text).category
    assert harness.intake.worked_out_in_transactions == 1


async def _stale_text_parts(**_: Any) -> TextParts:
    return TextParts(1, "MY", ("something else entirely",), ())


async def test_limits_per_citizen_refuse_a_flood_and_tell_the_citizen_once_an_hour(
        make_settings: Callable[..., Settings], clock: Clock) -> None:
    harness = Harness(make_settings(intake={"merge_window_seconds": 1, "reports_per_hour": 3,
                                            "reports_per_day": 5, "messages_per_minute": 4}), clock)
    await harness.database.open()
    try:
        async def report(text: str, user: int = 77) -> Outcome:
            result = await harness.intake.receive(harness.message(text, user=user))
            await harness.intake.cancel(user)  # closed at once: the next message is a new report
            return result.outcome

        made = [await report(f"Scam number {n}: call 0123456{n:03d}") for n in range(3)]
        assert made == [Outcome.CREATED] * 3
        # The fourth report within the hour is refused; the citizen is told once, then not again.
        assert await report("Scam number 4") is Outcome.LIMITED
        assert await report("Scam number 5") is Outcome.LIMITED_AGAIN
        assert len(await harness.reports.of_reporter(77)) == 3  # nothing of the refused ones stored
        assert await report("Another citizen is not affected", user=78) is Outcome.CREATED
        # An hour on: three more, then the day's limit (5) stops the sixth.
        clock.advance(3601)
        assert [await report(f"Later scam {n}") for n in range(2)] == [Outcome.CREATED] * 2
        assert await report("One too many today") is Outcome.LIMITED
        # Messages per minute count every message, also those joining an open report.
        flood = [(await harness.intake.receive(harness.message(f"part {n}", user=79))).outcome for n in range(6)]
        assert flood == [Outcome.CREATED, Outcome.ADDED, Outcome.ADDED, Outcome.ADDED, Outcome.LIMITED,
                         Outcome.LIMITED_AGAIN]
        clock.advance(61)
        assert (await harness.intake.receive(harness.message("part 6", user=79))).outcome is Outcome.ADDED
    finally:
        await harness.database.close()
