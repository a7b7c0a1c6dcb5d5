"""Informed consent, end to end through the loopback Bot API server: the first acknowledgement
says who receives reports (the full notice a tap away), and the citizen may keep a report on file
only ([privacy] consent = "opt_out") or forward it only once they agree ("ask")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from harmline.demo.botapi_server import FakeUser, SentMessage
from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from harmline.reports.model import ReportStatus
from harmline.services.intake import Outcome
from harmline.settings import Settings
from harmline.summaries.build import SummaryBuilder
from harmline.summaries.week import Week
from tests.conftest import Clock
from tests.test_e2e import reference_in, send_now
from tests.test_intake import Harness

NOTICE_LINE = "Who receives your report, what is kept and for how long: tap Privacy."
CONTACT = "National Scam Response Centre"


def _data(message: SentMessage, start: str) -> str:
    [data] = [data for data in message.button_data() if data.startswith(start)]
    return data


async def _edited(local: LocalDeployment, citizen: FakeUser, ack: SentMessage, count: int) -> SentMessage:
    return await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id == ack.message_id
                                       and len(m.edits) >= count)


async def test_opt_out_a_first_report_tells_who_receives_it_and_kept_on_file_goes_nowhere(tmp_path: Path) -> None:
    async with LocalDeployment(str(tmp_path / "harmline.db")) as local:
        citizen = local.server.user(7301, "Farah", language_code="en")  # no /start: never saw the notice
        citizen.send_text("Someone on Facebook sold me a fake phone, paid RM900 to account 5123 4567 8901")
        [ack] = await local.server.wait_for_messages(citizen.id, 1)
        reference = reference_in(ack)
        assert NOTICE_LINE in ack.plain_text and f"It will be forwarded to {CONTACT}" in ack.plain_text
        assert ack.plain_text.endswith("Where did this happen?")  # the question stays last, above its buttons
        assert {"🔒 Privacy", "🗄 Keep on file only, do not forward"} <= set(ack.button_texts())

        citizen.press(ack, "v1:priv:full")
        notice = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > ack.message_id)
        assert f"is forwarded to {CONTACT}" in notice.plain_text
        assert "Reports are kept whole for 180 days" in notice.plain_text
        assert "after 730 days nothing stays" in notice.plain_text

        citizen.press(ack, _data(ack, f"v1:fu:{reference}:keep"))
        kept = await _edited(local, citizen, ack, 1)
        assert f"It is kept on file only and is not forwarded to {CONTACT}" in kept.plain_text
        assert f"📤 Forward it to {CONTACT}" in kept.button_texts()
        citizen.press(kept, send_now(kept))
        done = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id == ack.message_id
                                           and not m.button_data())
        assert f"Report {reference} is complete and is kept on file only: it was not forwarded." in done.plain_text

        # Moderators still see it, marked; no contact, no webhook gets it.
        report = await local.services.reports.find(reference)
        assert report is not None and report.keep_on_file and report.status is ReportStatus.NEW
        await local.server.wait_idle()
        assert [m for m in local.server.sent if m.chat_id == CONTACT_CHAT_ID] == []
        assert local.receiver.received == []
        citizen.send_text(f"/status {reference}")
        status = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "/status" not in m.plain_text
                                             and "kept on file only, as you chose" in m.plain_text)
        assert reference in status.plain_text
        rows = await local.services.database.fetch_all(
            "SELECT actor, action FROM audit_log WHERE action = 'report.kept_on_file'")
        assert [tuple(row) for row in rows] == [("citizen", "report.kept_on_file")]

        # Told once: the next report's acknowledgement has no notice line and no Privacy button.
        citizen.send_text("Another one: a fake courier SMS asking for a customs fee at bit.ly/pay-customs")
        second = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > status.message_id
                                             and "Reference" in m.plain_text)
        assert NOTICE_LINE not in second.plain_text and "🔒 Privacy" not in second.button_texts()


async def test_ask_a_report_is_forwarded_only_once_the_citizen_agrees(tmp_path: Path) -> None:
    async with LocalDeployment(str(tmp_path / "harmline.db"), privacy={"consent": "ask"}) as local:
        citizen = local.server.user(7302, "Tan", language_code="en")
        citizen.send_text("/start")
        welcome = await local.server.wait_for(lambda m: m.chat_id == citizen.id)
        citizen.send_text("Investment group promised 30% a week, I sent RM2000 to 5123 4567 8901")
        ack = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > welcome.message_id)
        reference = reference_in(ack)
        assert NOTICE_LINE not in ack.plain_text  # /start already told them
        assert f"It is kept on file only and is not forwarded to {CONTACT}" in ack.plain_text
        citizen.press(ack, _data(ack, f"v1:fu:{reference}:fwd"))
        agreed = await _edited(local, citizen, ack, 1)
        assert f"It will be forwarded to {CONTACT}" in agreed.plain_text
        citizen.press(agreed, send_now(agreed))
        forward = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID, timeout=10)
        assert reference in forward.plain_text

        # A citizen who never agrees: the report stays on file when the questions close.
        other = local.server.user(7303, "Lim", language_code="en")
        other.send_text("Fake loan app charged me an upfront fee to 5123 4567 8901")
        [unagreed] = await local.server.wait_for_messages(other.id, 1)
        other.press(unagreed, send_now(unagreed))
        await local.server.wait_for(lambda m: m.chat_id == other.id and m.message_id == unagreed.message_id
                                    and not m.button_data())
        await local.server.wait_idle()
        forwards = [m for m in local.server.sent if m.chat_id == CONTACT_CHAT_ID]
        assert [reference_in(m) for m in forwards] == [reference]


async def test_a_report_kept_on_file_is_not_counted_in_summaries_and_agreeing_again_queues_its_forward(
        make_settings: Callable[..., Settings], clock: Clock) -> None:
    h = Harness(make_settings(), clock)
    await h.database.open()
    try:
        created = await h.intake.receive(h.message("Scam: transfer RM500 to 5123 4567 8901 for a prize"))
        assert created.outcome is Outcome.CREATED and created.report is not None
        reference = created.report.reference
        builder = SummaryBuilder(h.store.summaries)
        week = Week(2026, 48)
        assert (await builder.country("MY", week, clock())).received == 1

        await h.intake.choose_forwarding(9001, 77, reference, forward=False)
        assert [d.state for d in await h.outbox.for_report(created.report.id)] == ["cancelled"]
        summary = await builder.country("MY", week, clock())
        assert summary.received == 0 and summary.top_indicators == ()

        await h.intake.choose_forwarding(9002, 77, reference, forward=True)  # changed their mind
        assert [d.state for d in await h.outbox.for_report(created.report.id)] == ["pending"]
        assert (await builder.country("MY", week, clock())).received == 1
    finally:
        await h.database.close()


async def test_none_offers_no_choice_and_forwards(tmp_path: Path) -> None:
    async with LocalDeployment(str(tmp_path / "harmline.db"), privacy={"consent": "none"}) as local:
        citizen = local.server.user(7304, "Wong", language_code="en")
        citizen.send_text("Fake bank SMS: verify at bit.ly/mbb-verify or your account is closed")
        [ack] = await local.server.wait_for_messages(citizen.id, 1)
        assert not any("Keep on file" in text or "Forward it" in text for text in ack.button_texts())
        assert "🔒 Privacy" in ack.button_texts()  # being told is not optional
        citizen.press(ack, send_now(ack))
        forward = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID, timeout=10)
        assert reference_in(ack) in forward.plain_text
