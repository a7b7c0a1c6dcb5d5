"""Fuzzing update handling: hypothesis makes Telegram updates — messages with odd text, captions,
entities and unusual fields, commands with hostile arguments, button presses with forged data,
from citizens, moderators and strangers, in private chats, the moderators' group and other groups —
and pushes them through the real bot polling the loopback Bot API server. Whatever arrives, no
exception reaches the error handler, nothing is logged at ERROR or with a traceback, nobody is
told "something went wrong", and one hostile update makes at most one WARNING line.
HARMLINE_FUZZ_EXAMPLES=2000 runs a longer search than the suite's 50 examples."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmline.demo.botapi_server import SentMessage
from harmline.demo.botapi_server.entities import utf16_len
from harmline.demo.environment import LocalDeployment
from harmline.handlers import callback_data
from harmline.i18n import LANGUAGES
from harmline.reports.labels import QUESTIONS
from harmline.reports.model import Category, FollowUpStep, Platform
from harmline.settings.model import ASEAN_COUNTRIES
from tests.test_e2e import report_and_send_now
from tests.test_e2e_moderation import ADMIN, MOD_MY, MOD_TH, MODERATORS_GROUP, STRANGER, _config

OTHER_GROUP = -1009000000077
CITIZENS = (7301, 7302, 7303)
USERS = (*CITIZENS, MOD_MY, MOD_TH, ADMIN, STRANGER)
COMMANDS = ("start", "help", "privacy", "status", "myreports", "cancel", "deleteme", "language", "check",
            "queue", "report", "find", "stats", "merge", "duty", "mod", "summary", "nosuch", "START", "find_",
            "q" * 40)
REFERENCES: list[str] = []  # real references, filled by the fixture
SEARCH_IDS: list[int] = []


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    deployment = LocalDeployment(str(tmp_path / "harmline.db"), config=_config)
    deployment.server.make_forum(MODERATORS_GROUP)
    async with deployment:
        for user_id in USERS:
            deployment.server.user(user_id, f"User {user_id}", language_code="en")
        for n, text in enumerate(("Fake Shopee seller 012-345 6789 took RM120 for a phone",
                                  "มีคนโทรมาอ้างว่าเป็นตำรวจ ให้โอนเงินไปที่บัญชี 123-4-56789-0")):
            citizen = deployment.server.user(7390 + n, "Seed", language_code="th" if n else "en")
            reference, _ack = await report_and_send_now(deployment, citizen, text)
            REFERENCES.append(reference)
        moderator = deployment.server.users[MOD_MY]
        moderator.send_text("/find Shopee")
        await deployment.server.wait_for(lambda m: m.chat_id == MOD_MY and "found for" in m.plain_text)
        rows = await deployment.services.database.fetch_all("SELECT id FROM saved_searches")
        SEARCH_IDS.extend(row["id"] for row in rows)
        yield deployment
    REFERENCES.clear()
    SEARCH_IDS.clear()


# --------------------------------------------------------------------------- text
HOSTILE = ['"', "'", "*", "^", ":", "(", ")", "-", "AND", "OR", "NOT", "NEAR", "\x00", "\x1b", "\x7f", "\u0301",
           "\u200f", "\u202e", "\u200b", "\ufeff", "\ufffd", "\uffff", "🤖", "👨‍👩‍👧", "²", "٣", "𝟗", "MY-",
           "v1:", "<b>", "&amp;", "%s", "{x}", "{}", "\\", "/", "@", "#", "https://x.co/a", "+60123456789",
           "9" * 25, "-1", "0", "ALL", "2026-W47", "0001-W01", "9999-W52", "MY", "TH", "th", "scam", "*",
           "add", "remove", "on", "off", "\n", "\t", " "]
words = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12), st.integers().map(str))
texts = st.one_of(st.text(max_size=60), st.lists(words, max_size=10).map("".join),
                  st.lists(words, max_size=10).map(" ".join), st.just("x" * 4096))


def references() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["MY-22222222", "TH-33333333", "ZZ-AAAAAAAA", "my-2222 2222"]),
                     st.builds(lambda: REFERENCES[0]), st.builds(lambda: REFERENCES[-1]))


arguments = st.lists(st.one_of(words, references()), max_size=5).map(" ".join)


@st.composite
def command_text(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(COMMANDS))
    mention = draw(st.sampled_from(["", "", "@harmline_test_bot", "@other_bot"]))
    return f"/{name}{mention} {draw(arguments)}".rstrip(" ")


# --------------------------------------------------------------------------- messages
def sender(user_id: int, language: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
    if language is not None:
        user["language_code"] = language
    return user


def chat(chat_id: int, user_id: int) -> dict[str, Any]:
    if chat_id == user_id:
        return {"id": user_id, "type": "private", "first_name": f"User {user_id}"}
    wire: dict[str, Any] = {"id": chat_id, "type": "supergroup", "title": "A group"}
    if chat_id == MODERATORS_GROUP:
        wire["is_forum"] = True
    return wire


@st.composite
def entities(draw: st.DrawFn, text: str) -> list[dict[str, Any]]:
    """Entities within the text (UTF-16 offsets), of any type Telegram has."""
    size = utf16_len(text)
    found = []
    if text.startswith("/"):
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(text.split(" ", 1)[0])})
    for _ in range(draw(st.integers(0, 3)) if size else 0):
        offset = draw(st.integers(0, size - 1))
        entity: dict[str, Any] = {"type": draw(st.sampled_from(
            ["mention", "hashtag", "url", "email", "phone_number", "bold", "italic", "code", "pre", "spoiler",
             "text_link", "text_mention", "custom_emoji", "blockquote", "cashtag", "bot_command"])),
            "offset": offset, "length": draw(st.integers(1, size - offset))}
        if entity["type"] == "text_link":
            entity["url"] = draw(st.sampled_from(["https://scam.example/x", "tg://user?id=1", "http://a"]))
        elif entity["type"] == "text_mention":
            entity["user"] = sender(draw(st.sampled_from(USERS)), None)
        elif entity["type"] == "custom_emoji":
            entity["custom_emoji_id"] = "5368324170671202286"
        elif entity["type"] == "pre":
            entity["language"] = draw(st.sampled_from(["python", ""]))
        found.append(entity)
    return found


@st.composite
def message(draw: st.DrawFn, local: LocalDeployment) -> dict[str, Any]:
    user_id = draw(st.sampled_from([*USERS, MOD_MY, MOD_TH, ADMIN]))  # moderators' commands reach further
    chat_id = draw(st.sampled_from([user_id, user_id, user_id, MODERATORS_GROUP, OTHER_GROUP]))
    language = draw(st.sampled_from([None, "en", "th", "my", "zh-hans", "pt-br", "xx", "", "EN", *LANGUAGES]))
    server = local.server
    wire: dict[str, Any] = {"message_id": server.next_message_id(chat_id), "from": sender(user_id, language),
                            "chat": chat(chat_id, user_id), "date": int(time.time())}
    kind = draw(st.sampled_from(["command", "command", "text", "caption", "other"]))
    if kind in ("command", "text"):
        text = draw(command_text()) if kind == "command" else draw(texts)
        if text:
            wire["text"] = text
            found = draw(entities(text))
            if found:
                wire["entities"] = found
        else:
            wire["dice"] = {"emoji": "🎲", "value": 3}
    elif kind == "caption":
        wire["photo"] = server.photo_sizes(server.register_photo(b"\xff\xd8fuzz\xff\xd9"))
        caption = draw(st.one_of(texts, command_text()))[:1024]
        if caption:
            wire["caption"] = caption
            found = draw(entities(caption))
            if found:
                wire["caption_entities"] = found
    else:
        wire.update(draw(st.sampled_from([
            {"sticker": {"file_id": "CAACAgIAAxkBAAIfuzz", "file_unique_id": "AgADfuzz", "width": 512,
                         "height": 512, "is_animated": False, "is_video": False, "type": "regular"}},
            {"location": {"latitude": 3.139, "longitude": 101.6869}},
            {"contact": {"phone_number": "+60123456789", "first_name": "Scammer"}},
            {"poll": {"id": "1", "question": "?", "options": [{"text": "a", "voter_count": 0, "persistent_id": "1"}],
                      "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
                      "allows_multiple_answers": False}},
            {"new_chat_members": [sender(STRANGER, None)]},
            {"left_chat_member": sender(STRANGER, None)},
            {"new_chat_title": "Renamed"},
            {"group_chat_created": True},
            {"web_app_data": {"data": "x", "button_text": "y"}},
            {"text": ""},
        ])))
    extras = draw(st.sets(st.sampled_from(["forward", "reply", "thread", "edit_date", "via_bot", "album",
                                           "protected", "sender_chat", "quote", "link_preview"]), max_size=3))
    if "forward" in extras:
        wire["forward_origin"] = draw(st.sampled_from([
            {"type": "hidden_user", "date": 1, "sender_user_name": draw(texts) or "x"},
            {"type": "channel", "date": 1, "chat": {"id": -1001, "type": "channel", "title": draw(texts) or "c"},
             "message_id": 5},
            {"type": "user", "date": 1, "sender_user": sender(STRANGER, None)}]))
    if "reply" in extras:  # an index, not a sample of the server's state: draws must not depend on it
        wire["reply_to_message"] = server.sent[draw(st.integers(0, 19)) % len(server.sent)].raw
    if "thread" in extras:
        wire["message_thread_id"] = draw(st.integers(1, 2**31 - 1))
        wire["is_topic_message"] = True
    if "edit_date" in extras:
        wire["edit_date"] = int(time.time())
    if "via_bot" in extras:
        wire["via_bot"] = {"id": 42, "is_bot": True, "first_name": "Other", "username": "other_bot"}
    if "album" in extras:
        wire["media_group_id"] = str(draw(st.integers(1, 5)))
    if "protected" in extras:
        wire["has_protected_content"] = True
    if "sender_chat" in extras and chat_id != user_id:
        wire["sender_chat"] = wire["chat"]
    if "quote" in extras:
        wire["quote"] = {"text": "quoted", "position": 0}
    if "link_preview" in extras:
        wire["link_preview_options"] = {"is_disabled": True}
    return wire


# --------------------------------------------------------------------------- button presses
def built_data() -> st.SearchStrategy[str]:
    refs = references()
    return st.one_of(
        st.builds(callback_data.moderator, st.sampled_from(callback_data.MODERATOR_VERBS), refs),
        st.builds(callback_data.moderator, st.just("cat"), refs, st.sampled_from([c.value for c in Category])),
        st.builds(callback_data.moderator, st.just("ask"), refs, st.sampled_from(sorted(QUESTIONS))),
        st.builds(callback_data.moderator, st.just("merge"), refs, refs),
        st.builds(callback_data.followup, refs, st.sampled_from(list(FollowUpStep)),
                  st.sampled_from([None, "yes", "no", "MY", "TH", *(p.value for p in Platform)])),
        st.builds(callback_data.send_now, refs),
        st.builds(callback_data.check_report, refs),
        st.builds(callback_data.choose_language, st.sampled_from(sorted(LANGUAGES))),
        st.builds(callback_data.confirm_erase, st.booleans()),
        st.builds(lambda offset, country, category, language: callback_data.queue_page(
            callback_data.QueuePage(offset, country, category, language)),
            st.integers(0, 50), st.none() | st.sampled_from(sorted(ASEAN_COUNTRIES)),
            st.none() | st.sampled_from([c.value for c in Category]), st.none() | st.sampled_from(sorted(LANGUAGES))),
        st.builds(callback_data.find_page, st.one_of(st.integers(0, 10), st.builds(lambda: SEARCH_IDS[0])),
                  st.integers(0, 20)),
    )


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real button's data with one part replaced (a huge number, another script's digit, NUL…),
    or parts added or dropped: what a forger changes first."""
    parts = draw(built_data()).split(":")
    index = draw(st.integers(0, len(parts) - 1))
    how = draw(st.sampled_from(["replace", "replace", "insert", "drop"]))
    piece = draw(st.one_of(words, st.sampled_from(["9" * 20, "9" * 400, "²", "١٢", "-1", "01", "2147483648"])))
    if how == "replace":
        parts[index] = piece
    elif how == "insert":
        parts.insert(index, piece)
    elif len(parts) > 1:
        del parts[index]
    return ":".join(parts)


forged_data = st.one_of(
    mutated(),
    st.text(max_size=70),
    st.lists(words, min_size=1, max_size=6).map(lambda parts: ":".join(["v1", *parts])),
    st.sampled_from(["v1:find:" + "9" * 20 + ":0", "v1:q:" + "9" * 20 + ":-:-:-", "v1:find:²:0", "v1:q:0:MY:x:y",
                     "v1:mod:confirm:MY-22222222:" + "9" * 30, "v1:fu::send", "v1:lang:" + "\x00"]),
)


@st.composite
def press(draw: st.DrawFn, local: LocalDeployment) -> dict[str, Any]:
    user_id = draw(st.sampled_from([*USERS, MOD_MY, MOD_TH, ADMIN]))
    data = draw(st.one_of(built_data(), forged_data, forged_data))
    query: dict[str, Any] = {"id": f"fuzz{local.server.next_serial()}", "from": sender(user_id, "en"),
                             "chat_instance": "42", "data": data}
    where = draw(st.sampled_from(["bot message", "bot message", "inaccessible", "inline", "no data"]))
    sent: list[SentMessage] = [m for m in local.server.sent if not m.deleted][-30:]
    pick = draw(st.integers(0, 29))  # drawn whatever the server's state, so examples replay alike
    if where in ("bot message", "inaccessible", "no data") and sent:
        shown = sent[pick % len(sent)]
        query["message"] = (shown.raw if where != "inaccessible"
                            else {"chat": shown.raw["chat"], "message_id": shown.message_id, "date": 0})
        if where == "no data":
            del query["data"]
            query["game_short_name"] = "game"
    else:
        query["inline_message_id"] = "AgAAAfuzz"
    if draw(st.booleans()):
        local.server.open_callback(query["id"])  # else: too old to answer
    return {"callback_query": query}


@st.composite
def update(draw: st.DrawFn, local: LocalDeployment) -> dict[str, Any]:
    kind = draw(st.sampled_from(["message", "message", "message", "press", "press", "edited", "channel",
                                 "member", "inline"]))
    if kind == "press":
        return draw(press(local))
    if kind == "message":
        wire = draw(message(local))
        local.server.record_user_message(wire)
        return {"message": wire}
    if kind == "edited":
        wire = draw(message(local))
        wire["edit_date"] = int(time.time())
        return {"edited_message": wire}
    if kind == "channel":
        return {"channel_post": {"message_id": 1, "date": int(time.time()), "text": draw(texts) or "x",
                                 "chat": {"id": -1001999, "type": "channel", "title": "News"}}}
    if kind == "member":
        member = {"user": {"id": 123456, "is_bot": True, "first_name": "Harmline"}, "status": "member"}
        return {"my_chat_member": {"chat": chat(OTHER_GROUP, 0), "from": sender(STRANGER, None), "date": 1,
                                   "old_chat_member": {**member, "status": "left"}, "new_chat_member": member}}
    return {"inline_query": {"id": "1", "from": sender(STRANGER, None), "query": draw(texts), "offset": ""}}


# --------------------------------------------------------------------------- the property
@settings(max_examples=int(os.environ.get("HARMLINE_FUZZ_EXAMPLES", "50")), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
async def test_no_update_makes_an_error_a_traceback_or_more_than_a_warning(
        local: LocalDeployment, caplog: pytest.LogCaptureFixture, data: st.DataObject) -> None:
    caplog.set_level(logging.WARNING)
    caplog.clear()
    answered = len(local.server.sent)
    failures = len(local.server.errors)
    batch = data.draw(st.lists(update(local), min_size=1, max_size=4), label="updates")
    for item in batch:
        local.server.push_update(item)
    await local.server.wait_idle(timeout=20)
    records = caplog.records
    errors = [r for r in records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, [(r.name, r.getMessage(), r.exc_text) for r in errors]
    warnings = [f"{r.name}: {r.getMessage()}" for r in records if r.levelno == logging.WARNING]
    assert len(warnings) <= len(batch), warnings
    assert not [w for w in warnings if "\n" in w], warnings  # one line each: no forged log lines
    assert not [m for m in local.server.sent[answered:] if "something went wrong" in m.plain_text]
    assert not [e for e in local.server.errors[failures:] if e[1] >= 500], local.server.errors[failures:]
