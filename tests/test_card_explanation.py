"""What a moderator reads under "Why this category": the classifier's cues and the citizen's own
words, in the moderator's language, kept across a restart (stored with the report), escaped for
Telegram's HTML; a category a moderator set keeps its stored reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from harmline.channels.card import render_card
from harmline.i18n import Catalogs
from harmline.reports.cues import CUES
from harmline.reports.learned import LearnedClassifier
from harmline.reports.model import Category, IncomingMessage, Platform, Report, ReportStatus
from harmline.storage.reports import ReportStore
from tests.backends import make_database

CATALOGS = Catalogs()
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
TEXT = "Ma, ini nomor baru aku. Tolong transfer 2jt ke rek BCA 1234567890 skrg ya <penting>"


def _report(classifier: LearnedClassifier, text: str = TEXT) -> Report:
    result = classifier.classify(text)
    return Report(
        id=0, reference="ID-7K2Q9", country="ID", status=ReportStatus.NEW, reply_language="id",
        detected_language="id", language_confidence=0.9, category=result.category, category_reason=result.reason,
        platform=Platform.WHATSAPP, money_lost=None, loss_amount=None, followup_step=None, followup_message_id=None,
        created_at=NOW, last_message_at=NOW, followup_deadline=NOW, completed_at=NOW, scam_type=result.scam_type,
        explanation=result.explanation,
    )


async def test_the_reason_is_stored_and_shown_in_the_moderators_language(tmp_path: Path) -> None:
    classifier = LearnedClassifier()
    report = _report(classifier)
    assert report.category is Category.SCAM and report.explanation is not None
    database = make_database(tmp_path / "harmline.db")
    await database.open()
    try:
        store = ReportStore(database)

        def save(tx: object) -> int:
            reporter = store.upsert_reporter(tx, 5001, 5001, "id", NOW)  # type: ignore[arg-type]
            report_id = store.insert_report(tx, report, reporter.id)  # type: ignore[arg-type]
            store.add_message(tx, report_id, IncomingMessage(  # type: ignore[arg-type]
                update_id=1, user_id=5001, chat_id=5001, message_id=1, text=TEXT, received_at=NOW), [])
            return report_id

        report_id = await database.run(save)
        stored = await store.by_id(report_id)
    finally:
        await database.close()
    assert stored is not None and stored.explanation == report.explanation

    for language in ("th", "en", "km"):
        _ = CATALOGS.gettext(language)
        card = render_card(stored, language, CATALOGS, for_moderators=True, now=NOW)
        why = next(line for line in card.splitlines() if line.startswith("<b>" + _("Why this category")))
        for cue in stored.explanation.cues if stored.explanation else ():
            assert _(CUES[cue].description) in why
            if language != "en":
                assert _(CUES[cue].description) != CUES[cue].description  # translated, not English
        assert "“transfer”" in why  # the citizen's own word, as written
        assert "<penting>" not in card  # escaped
        category_line = next(line for line in card.splitlines() if line.startswith("<b>" + _("Category")))
        assert _("{percent} sure").format(percent=f"{stored.explanation.confidence:.0%}") in category_line


def test_an_uncertain_category_is_shown_as_uncertain() -> None:
    report = _report(LearnedClassifier(), "Sir kindly check")
    assert report.explanation is not None
    report.explanation = type(report.explanation)(0.41, report.explanation.cues, report.explanation.words,
                                                  uncertain=True)
    card = render_card(report, "en", CATALOGS, for_moderators=True, now=NOW)
    assert "(uncertain, 41%)" in card


def test_a_category_set_by_a_moderator_keeps_its_reason_and_citizens_never_see_why() -> None:
    report = _report(LearnedClassifier())
    report.category, report.category_reason, report.explanation = (
        Category.FRAUDULENT_CONTENT, "set by a moderator (was scam)", None)
    card = render_card(report, "en", CATALOGS, for_moderators=True, now=NOW)
    assert "set by a moderator (was scam)" in card and "sure" not in card
    citizen_card = render_card(_report(LearnedClassifier()), "en", CATALOGS, now=NOW)
    assert "Why this category" not in citizen_card and "sure" not in citizen_card
