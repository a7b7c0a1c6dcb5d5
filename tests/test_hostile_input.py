"""Inputs that must never hurt, end to end through the loopback Bot API server: forged button
data, strangers pressing moderators' buttons, /find with FTS5 syntax and control characters, and
Telegram refusing edits ("message to edit not found", "message can't be edited", "message is not
modified", "query is too old"). Each gets a polite answer or is ignored: at most one WARNING
line, never an error or a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest

from harmline.demo.botapi_server import BotApiServer, FakeUser, SentMessage
from harmline.demo.environment import LocalDeployment
from harmline.handlers.callbacks import ALERT_LIMIT, answer
from tests.test_e2e import report_and_send_now
from tests.test_e2e_moderation import ADMIN, MOD_MY, MODERATORS_GROUP, STRANGER, _config, button, card_of

FTS_TEXT = 'He wrote "pay AND send" NOT later, OR (x*y) ^z col:val -- NEAR(a b) 50% {brace} \\ back'


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    deployment = LocalDeployment(str(tmp_path / "harmline.db"), config=_config)
    deployment.server.make_forum(MODERATORS_GROUP)
    async with deployment:
        yield deployment


class Quiet:
    """The log records of one hostile step: at most ``warnings`` WARNING lines, no ERROR, no traceback."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    def check(self, *, warnings: int = 1) -> None:
        records = self.caplog.records
        assert not [r for r in records if r.levelno >= logging.ERROR], [r.getMessage() for r in records]
        assert not [r for r in records if r.exc_info], [r.getMessage() for r in records if r.exc_info]
        found = [r.getMessage() for r in records if r.levelno == logging.WARNING]
        assert len(found) <= warnings, found
        assert not [line for line in found if "\n" in line], found
        self.caplog.clear()


@pytest.fixture
def quiet(caplog: pytest.LogCaptureFixture) -> Iterator[Quiet]:
    caplog.set_level(logging.INFO)
    checker = Quiet(caplog)
    yield checker
    checker.check(warnings=10**6)  # whatever the test allowed, never an error or a traceback


async def press(local: LocalDeployment, user: FakeUser, message: SentMessage, data: str,
                **options: Any) -> dict[str, Any] | None:
    """Press ``data`` on ``message``; the answer the bot gave to the press (None: an expired press,
    which Telegram refuses to let the bot answer)."""
    answers = len(local.server.callback_answers)
    user.press(message, data, force=True, **options)
    reply = None if options.get("expired") else await local.server.wait_for_answer(answers)
    await local.server.wait_idle()
    assert len(local.server.callback_answers) == answers + (reply is not None)
    return reply


async def private_message(local: LocalDeployment, user: FakeUser) -> SentMessage:
    """Any bot message in the user's private chat, to press forged buttons on."""
    before = len(local.server.messages_to(user.id))
    user.send_text("/help")
    return (await local.server.wait_for_messages(user.id, before + 1))[-1]


async def test_forged_numbers_in_button_data_are_refused_politely(local: LocalDeployment, quiet: Quiet) -> None:
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    stranger = local.server.user(STRANGER, "Mallory", language_code="en")
    for user in (moderator, stranger):
        message = await private_message(local, user)
        quiet.check(warnings=0)
        for data in ("v1:find:" + "9" * 20 + ":0", "v1:find:1:" + "9" * 20, "v1:q:" + "9" * 20 + ":-:-:-",
                     "v1:find:²:0", "v1:q:٣:-:-:-", "v1:find:-1:0", "v1:find:1:0:" + ":" * 60, "v1:find:1\x00:0",
                     "v1:mod:confirm:MY-22222222:" + "9" * 30, "v1:lang:xx", "v1:fu:MY-22222222:amount:9" + "9" * 25):
            reply = await press(local, user, message, data)
            assert reply is not None and reply["text"] == "This button is no longer valid.", data
            quiet.check(warnings=1)
    assert not [e for e in local.server.errors if e[1] >= 500]


async def test_a_stranger_is_refused_before_anything_reaches_the_database(
        local: LocalDeployment, quiet: Quiet, monkeypatch: pytest.MonkeyPatch) -> None:
    citizen = local.server.user(8801, "Mei", language_code="en")
    reference, _ack = await report_and_send_now(local, citizen, "Fake parcel SMS: pay RM3 at poslaju-redeliver.com")
    card = await card_of(local, reference)
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    moderator.send_text("/find poslaju")
    found = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "found for" in m.plain_text)
    [search_id] = [row["id"] for row in await local.services.database.fetch_all("SELECT id FROM saved_searches")]
    quiet.check(warnings=0)

    # From here on, whatever a stranger sends must not reach these.
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the database was asked for a stranger: {args}")

    services = local.services
    monkeypatch.setattr(services.moderation, "decide", forbidden)
    monkeypatch.setattr(services.moderation.store, "saved_search", forbidden)
    monkeypatch.setattr(services.moderation.store, "merge_candidates", forbidden)
    monkeypatch.setattr(services.moderation, "queue", forbidden)
    monkeypatch.setattr(services.moderation, "find", forbidden)
    monkeypatch.setattr(services.reports, "find", forbidden)

    stranger = local.server.user(STRANGER, "Mallory", language_code="en")
    for message, data in [(card, button(card, "confirm")), (card, button(card, "cat")),
                          (card, f"v1:mod:cat:{reference}:other"), (card, f"v1:mod:merge:{reference}:MY-22222222"),
                          (card, f"v1:mod:open:{reference}"), (card, button(card, "ask")),
                          (found, f"v1:find:{search_id}:0"), (found, "v1:find:1999999999:5"),
                          (found, "v1:q:5:MY:scam:ms")]:
        reply = await press(local, stranger, message, data)
        assert reply is not None and reply["show_alert"], data
        assert reply["text"] in ("Only moderators of this report's country can do this.",
                                 "This is only for moderators."), data
        quiet.check(warnings=1)
    for command in (f"/report {reference}", "/merge MY-22222222 MY-33333333", "/find 9999999999999999999999",
                    "/queue MY", "/mod add 99999999999999999999999 MY", "/summary 0001-W01"):
        stranger.send_text(command)
        await local.server.wait_idle()
        assert local.server.messages_to(STRANGER)[-1].plain_text.startswith(
            "Sorry, this command is only for moderators.")
        quiet.check(warnings=1)
    monkeypatch.undo()
    refused = await local.services.database.fetch_all(
        "SELECT report_id FROM audit_log WHERE actor = ? AND action = 'moderation.refused'", (f"telegram:{STRANGER}",))
    assert len(refused) == 15 and {row["report_id"] for row in refused} == {None}  # audited, nothing looked up
    stored = await local.services.reports.find(reference)
    assert stored is not None and stored.status.value == "new"


async def test_find_matches_fts5_syntax_control_characters_and_odd_unicode_literally(
        local: LocalDeployment, quiet: Quiet) -> None:
    citizen = local.server.user(8802, "Ali", language_code="en")
    reference, _ack = await report_and_send_now(local, citizen, FTS_TEXT)
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    await local.server.wait_idle()
    quiet.check(warnings=0)

    async def find(terms: str) -> str:
        before = len(local.server.messages_to(MOD_MY))
        moderator.send_text(f"/find {terms}")
        [*_, reply] = await local.server.wait_for_messages(MOD_MY, before + 1)
        await local.server.wait_idle()
        quiet.check(warnings=0)
        return reply.plain_text

    # FTS5 syntax is searched for as written, and finds the report that contains it.
    for terms in ('"pay AND send"', "NOT later", "(x*y)", "^z col", "col:val", "-- NEAR(a b)", "50%", "{brace}",
                  "\\ back", 'pay AND send" NOT'):
        text = await find(terms)
        assert "1 report(s) found" in text and reference in text, terms
    # Operators and odd characters that are not in it: nothing found, politely.
    for terms in ('"', '""', '"""', "AND", "OR OR OR", "NEAR(", "*", "^^^", ":::", "((((", "----", "'; DROP TABLE",
                  "pay\x00send", "\x00\x00\x00", "\x01\x02\x7f\x1b[31m", "a\u0301\u0301\u0301",
                  "\u200f\u200e\u202e\u2066", "🤖🤖🤖", "👨‍👩‍👧‍👦", "\ufeff\ufffe\uffff", "x" * 4000,
                  "𝕊𝕔𝕒𝕞 ᄀᄀᄀ", "ﷺ ﷽"):
        text = await find(terms)
        assert any(polite in text for polite in ("report(s) found", "at least 3 characters",
                                                 "Send /find followed by")), repr(terms)
    # Too short to search, after control characters are taken out.
    assert "at least 3 characters" in await find("\x00a\x00")
    # A page button of a search with odd terms pages like any other.
    assert not [e for e in local.server.errors if e[1] >= 500]


async def test_moderators_commands_with_odd_arguments_get_their_usage(local: LocalDeployment, quiet: Quiet) -> None:
    admin = local.server.user(ADMIN, "Admin Lim", language_code="en")
    cases = {
        "/mod add ²³ MY": "Send /mod add USER_ID", "/mod add 99999999999999999999 MY": "Send /mod add USER_ID",
        "/mod add -5 MY": "Send /mod add USER_ID", "/mod remove ٣": "Send /mod add USER_ID",
        "/mod add 0 MY": "Send /mod add USER_ID", "/mod add 123 ẞ": "Countries served",
        "/summary 0001-W01": "Send /summary", "/summary 9999-W52": "Send /summary",
        "/summary 2026-W99": "Send /summary",
        "/summary ALL ALL \x00": "Send /summary", "/queue ² ' \"": "Unknown filter", "/queue MY\x00": "Unknown filter",
        "/merge MY-22222222 MY-22222222 MY-22222222": "Send /merge", "/merge ² ³": "Send /merge",
        "/report " + "9" * 40: "Send /report", "/report \x00": "Send /report", "/duty ²": "Send /duty",
        "/find " + "\x00" * 3: "Send /find", "/report MY-22222222": "No report MY-22222222",
    }
    for command, expected in cases.items():
        before = len(local.server.messages_to(ADMIN))
        admin.send_text(command)
        [*_, reply] = await local.server.wait_for_messages(ADMIN, before + 1)
        assert expected in reply.plain_text, (command, reply.plain_text)
        await local.server.wait_idle()
        quiet.check(warnings=0)
    moderators = await local.services.database.fetch_all("SELECT telegram_user_id FROM moderators")
    assert moderators == []


async def test_a_decision_on_a_deleted_or_frozen_card_shows_on_a_new_card(local: LocalDeployment,
                                                                         quiet: Quiet) -> None:
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    for n, spoil in enumerate(("remove_message", "freeze_message")):
        citizen = local.server.user(8810 + n, "Citizen", language_code="en")
        reference, _ack = await report_and_send_now(local, citizen, f"Investment scam number {n}: 30% a week, "
                                                                    "transfer to Maybank 5140 1234 567" + str(n))
        card = await card_of(local, reference)
        getattr(local.server, spoil)(card.chat_id, card.message_id)
        reply = await press(local, moderator, card, button(card, "reject"))
        assert reply is not None and not reply["show_alert"]
        fresh = await local.server.wait_for(lambda m, ref=reference, old=card: m.chat_id == MODERATORS_GROUP
                                            and m.message_id > old.message_id and ref in m.plain_text
                                            and "decided by Mod Aziz" in m.plain_text)
        assert fresh.message_thread_id == card.message_thread_id and not fresh.button_data()
        quiet.check(warnings=0)
        # The dead card is forgotten; the new one is redrawn by later changes.
        cards = await local.services.database.fetch_all(
            "SELECT message_id FROM review_cards WHERE chat_id = ? AND report_id = "
            "(SELECT id FROM reports WHERE reference = ?)", (MODERATORS_GROUP, reference))
        assert card.message_id not in [row["message_id"] for row in cards]
        assert fresh.message_id in [row["message_id"] for row in cards]


async def test_a_menu_on_a_deleted_card_comes_on_a_new_card_and_pressing_twice_is_harmless(
        local: LocalDeployment, quiet: Quiet) -> None:
    citizen = local.server.user(8820, "Citizen", language_code="en")
    reference, _ack = await report_and_send_now(local, citizen, "Loan app harassment: they call my family daily")
    card = await card_of(local, reference)
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    await press(local, moderator, card, button(card, "cat"))
    await press(local, moderator, card, f"v1:mod:cat:{reference}")  # "message is not modified": ignored
    assert len(local.server.messages_to(MODERATORS_GROUP)) == 1
    quiet.check(warnings=0)

    local.server.remove_message(card.chat_id, card.message_id)
    await press(local, moderator, card, f"v1:mod:back:{reference}", expired=True)  # and too old to answer
    fresh = await local.server.wait_for(lambda m: m.chat_id == MODERATORS_GROUP and m.message_id > card.message_id)
    assert reference in fresh.plain_text and button(fresh, "confirm")
    quiet.check(warnings=0)
    await press(local, moderator, fresh, f"v1:mod:cat:{reference}:other")
    await local.server.wait_for(lambda m: m.message_id == fresh.message_id and "by a moderator" in m.plain_text)
    quiet.check(warnings=0)


async def test_a_press_too_old_to_answer_or_on_an_inaccessible_message_still_works(
        local: LocalDeployment, quiet: Quiet) -> None:
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    citizen = local.server.user(8830, "Citizen", language_code="en")
    first, _ack = await report_and_send_now(local, citizen, "Phishing link mybank-verify.top asked for my TAC")
    card = await card_of(local, first)
    assert await press(local, moderator, card, button(card, "confirm"), expired=True) is None
    await local.server.wait_for(lambda m: m.message_id == card.message_id and "Confirmed by Mod Aziz" in m.plain_text)
    quiet.check(warnings=0)

    second, _ack = await report_and_send_now(local, local.server.user(8831, "C2", language_code="en"),
                                             "Phishing link mybank-verify.top again, asked for my password")
    other = await card_of(local, second)
    local.server.remove_message(other.chat_id, other.message_id)
    await press(local, moderator, other, button(other, "escalate"), inaccessible=True)
    fresh = await local.server.wait_for(lambda m: m.chat_id == MODERATORS_GROUP and m.message_id > other.message_id
                                        and second in m.plain_text)
    assert "urgent" in fresh.plain_text and fresh.message_thread_id == other.message_thread_id
    quiet.check(warnings=0)

    moderator.send_text("/queue")
    queue = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "Queue:" in m.plain_text)
    await press(local, moderator, queue, f"v1:mod:open:{second}", inaccessible=True)
    await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "History of " + second in m.plain_text)
    quiet.check(warnings=0)


async def test_paging_a_deleted_list_sends_the_page_and_the_same_page_twice_is_ignored(
        local: LocalDeployment, quiet: Quiet) -> None:
    for n in range(7):
        await report_and_send_now(local, local.server.user(8840 + n, "Citizen", language_code="en"),
                                  f"Scam call number {n}: fake police officer demanding a transfer")
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    moderator.send_text("/queue")
    queue = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "Queue: 7" in m.plain_text)
    following = [d for d in queue.button_data() if d.startswith("v1:q:5:")]
    assert following
    await press(local, moderator, queue, following[0])
    await local.server.wait_for(lambda m: m.message_id == queue.message_id and "6." in m.plain_text)
    before = len(local.server.messages_to(MOD_MY))
    await press(local, moderator, queue, following[0])  # the same page again: "not modified"
    assert len(local.server.messages_to(MOD_MY)) == before
    quiet.check(warnings=0)

    local.server.remove_message(queue.chat_id, queue.message_id)
    await press(local, moderator, queue, "v1:q:0:-:-:-")
    page = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and m.message_id > queue.message_id
                                       and "Queue: 7" in m.plain_text)
    assert "1." in page.plain_text
    local.server.freeze_message(page.chat_id, page.message_id)
    await press(local, moderator, page, following[0])
    await local.server.wait_for(lambda m: m.chat_id == MOD_MY and m.message_id > page.message_id
                                and "6." in m.plain_text)
    quiet.check(warnings=0)


async def test_language_choice_and_erasure_on_a_deleted_message_are_sent_anew(local: LocalDeployment,
                                                                             quiet: Quiet) -> None:
    citizen = local.server.user(8850, "Nok", language_code="en")
    citizen.send_text("/language")
    picker = await local.server.wait_for(lambda m: m.chat_id == citizen.id and bool(m.button_data()))
    local.server.remove_message(citizen.id, picker.message_id)
    await press(local, citizen, picker, "v1:lang:th")
    await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > picker.message_id
                                and "ไทย" in m.plain_text)
    await press(local, citizen, picker, "v1:lang:th", inaccessible=True, expired=True)
    quiet.check(warnings=0)

    citizen.send_text("/deleteme")
    confirm = await local.server.wait_for(lambda m: m.chat_id == citizen.id and len(m.button_data()) == 2)
    local.server.freeze_message(citizen.id, confirm.message_id)
    await press(local, citizen, confirm, "v1:del:yes")
    erased = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > confirm.message_id)
    assert erased.plain_text == local.services.catalogs.gettext("th")(
        "Your personal data was erased. {count} report(s) stay, without any link to you.").format(count=0)
    assert await local.services.reports.reporter(citizen.id) is None
    quiet.check(warnings=0)


class _Query:
    id = "1"

    def __init__(self) -> None:
        self.answers: list[str | None] = []

    async def answer(self, text: str | None, show_alert: bool) -> None:
        self.answers.append(text)


async def test_an_alert_longer_than_telegram_allows_is_cut() -> None:
    query = _Query()
    await answer(query, "ဗ" * 500, alert=True)  # type: ignore[arg-type]
    [text] = query.answers
    assert text is not None and len(text) == ALERT_LIMIT and text.endswith("…")


async def test_the_fake_server_refuses_edits_and_answers_as_telegram_does() -> None:
    async with BotApiServer() as server, Bot(server.token, base_url=server.base_url,
                                             base_file_url=server.base_file_url) as bot:
        user = server.user(8860, "Ana")
        sent = [await bot.send_message(user.id, f"message {n}") for n in range(3)]
        server.freeze_message(user.id, sent[0].message_id)
        server.remove_message(user.id, sent[1].message_id)
        with pytest.raises(BadRequest, match="Message can't be edited"):
            await bot.edit_message_text("new", chat_id=user.id, message_id=sent[0].message_id)
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("new", chat_id=user.id, message_id=sent[1].message_id)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("message 2", chat_id=user.id, message_id=sent[2].message_id)
        [message] = [m for m in server.sent if m.message_id == sent[2].message_id]
        user.press(message, "x", force=True)
        user.press(message, "x", force=True, expired=True)
        user.press(message, "x", force=True, inaccessible=True)
        updates = await bot.get_updates()
        fresh, expired, inaccessible = (u.callback_query for u in updates)
        assert fresh is not None and expired is not None and inaccessible is not None
        with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
            await fresh.answer("x" * 201, show_alert=True)
        await fresh.answer("x" * 200, show_alert=True)
        with pytest.raises(BadRequest, match="Query is too old"):
            await expired.answer()
        assert inaccessible.message is not None and not inaccessible.message.is_accessible  # date 0
        assert inaccessible.message.chat.id == user.id and inaccessible.message.message_id == message.message_id
