"""Tests of the fake Bot API server itself, mostly through the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import hashlib
import hmac
import json
import warnings
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    MessageOriginChannel,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from harmline.demo.botapi_server import BotApiServer, FakeUser, WebhookReceiver, parse_html
from harmline.demo.botapi_server.entities import EntityParseError

CHAT = 1001


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as srv:
        yield srv


@pytest.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    async with Bot(server.token, base_url=server.base_url, base_file_url=server.base_file_url) as b:
        yield b


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d)] for d in data])


# --------------------------------------------------------------------------- PTB Bot round trip
async def test_ptb_bot_round_trip(server: BotApiServer, bot: Bot) -> None:
    alice = server.user(CHAT, "Alice", username="alice", language_code="th")
    assert bot.username == "harmline_test_bot"

    sent = await bot.send_message(
        CHAT, "<b>Report</b> &lt;ok&gt; 😀 <i>x</i>", parse_mode="HTML", reply_markup=keyboard("yes", "no")
    )
    assert sent.text == "Report <ok> 😀 x"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 6), ("italic", 15, 1)]
    assert sent.chat.first_name == "Alice" and sent.from_user.is_bot
    record = server.messages_to(CHAT)[0]
    assert record.text == "<b>Report</b> &lt;ok&gt; 😀 <i>x</i>" and record.plain_text == "Report <ok> 😀 x"
    assert record.button_data() == ["yes", "no"] and record.button_texts() == ["YES", "NO"]

    # the citizen sends a photo; the bot re-sends it by file_id and downloads it
    alice.send_photo(caption="scam at bad-site.com")
    (update,) = await bot.get_updates(timeout=1)
    photo = update.message.photo[-1]
    assert update.message.message_id == 2 and len(update.message.photo) == 2
    assert update.message.caption_entities[0].type == "url"
    echoed = await bot.send_photo(CHAT, photo.file_id, caption="evidence")
    assert echoed.photo[-1].file_id == photo.file_id and echoed.caption == "evidence"
    file = await bot.get_file(photo.file_id)
    data = bytes(await file.download_as_bytearray())
    assert data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9") and len(data) == photo.file_size

    album = await bot.send_media_group(
        CHAT,
        [
            InputMediaPhoto(photo.file_id, caption="<b>1</b>", parse_mode="HTML"),
            InputMediaPhoto(b"\xff\xd8uploaded\xff\xd9"),
        ],
    )
    assert len({m.media_group_id for m in album}) == 1 and album[0].caption == "1"
    uploaded = await (await bot.get_file(album[1].photo[-1].file_id)).download_as_bytearray()
    assert bytes(uploaded) == b"\xff\xd8uploaded\xff\xd9"
    assert [m.method for m in server.sent].count("sendMediaGroup") == 2

    edited = await bot.edit_message_text(
        "Thanks", chat_id=CHAT, message_id=sent.message_id, reply_markup=keyboard("done")
    )
    assert edited.text == "Thanks" and edited.edit_date is not None
    assert record.edits == ["<b>Report</b> &lt;ok&gt; 😀 <i>x</i>"] and record.button_data() == ["done"]

    alice.press(record, "done")
    (update,) = await bot.get_updates(offset=update.update_id + 1, timeout=1)
    query = update.callback_query
    assert query.data == "done" and query.message.text == "Thanks" and query.from_user.id == CHAT
    assert await query.answer("Got it")
    assert server.callback_answers[-1]["text"] == "Got it"
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer()


async def test_flood_makes_ptb_raise_retry_after(server: BotApiServer, bot: Bot) -> None:
    server.flood(2, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "hi")
    with warnings.catch_warnings():  # PTB 22 warns that retry_after will become a timedelta
        warnings.simplefilter("ignore")
        assert caught.value.retry_after in (7, dtm.timedelta(seconds=7))
    await bot.get_me()  # not a send*/edit* method: not flooded, not counted
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "hi")
    await bot.send_message(CHAT, "hi")
    assert len(server.sent) == 1 and [c[0] for c in server.calls].count("sendMessage") == 3


@pytest.mark.parametrize(
    "html",
    [
        "<foo>x</foo>",
        "<b>open",
        "<b><i>x</b></i>",
        "1 < 2",
        "Tom & Jerry",
        "&nbsp;",
        "</b>",
        '<span class="x">s</span>',
        "<a href='x'>unclosed",
    ],
)
async def test_broken_html_is_bad_request(server: BotApiServer, bot: Bot, html: str) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(CHAT, html, parse_mode="HTML")
    assert server.sent == [] and server.errors[-1][1] == 400


# --------------------------------------------------------------------------- validation
async def test_telegram_validation_errors(server: BotApiServer, bot: Bot) -> None:
    cases = [
        (bot.send_message(CHAT, "   "), "Message text is empty"),
        (bot.send_message(CHAT, "<b></b>", parse_mode="HTML"), "Message text is empty"),
        (bot.send_message(CHAT, "x" * 4097), "Message is too long"),
        (bot.send_photo(CHAT, "no-such-file"), "Wrong file identifier/http url specified"),
        (bot.send_message(CHAT, "k", reply_markup=keyboard("d" * 65)), "Button_data_invalid"),
        (bot.edit_message_text("t", chat_id=CHAT, message_id=99), "Message to edit not found"),
    ]
    for call, message in cases:
        with pytest.raises(BadRequest, match=message):
            await call
    await bot.send_message(CHAT, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")  # tags do not count
    photo = await bot.send_photo(CHAT, b"\xff\xd8", caption="c" * 1024)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(CHAT, photo.photo[-1].file_id, caption="c" * 1025)
    msg = await bot.send_message(CHAT, "same", reply_markup=keyboard("a"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("same", chat_id=CHAT, message_id=msg.message_id, reply_markup=keyboard("a"))
    await bot.edit_message_text("same", chat_id=CHAT, message_id=msg.message_id)  # drops the keyboard
    assert server.sent[-1].reply_markup is None and "reply_markup" not in server.sent[-1].raw


async def test_copy_delete_caption_and_markup_edits(server: BotApiServer, bot: Bot) -> None:
    erin = server.user(CHAT, "Erin")
    erin.send_photo(caption="proof")
    copied = await bot.copy_message(-100500, from_chat_id=CHAT, message_id=1, reply_markup=keyboard("ok"))
    record = server.messages_to(-100500)[0]
    assert copied.message_id == 1 and record.method == "copyMessage" and record.media_type == "photo"
    assert record.text == "proof" and record.button_data() == ["ok"]
    caption = await bot.edit_message_caption(-100500, 1, caption="<b>new</b>", parse_mode="HTML")
    assert caption.caption == "new" and record.edits == ["proof"] and record.reply_markup is None
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=-100500, message_id=1)
    await bot.edit_message_reply_markup(-100500, 1, reply_markup=keyboard("again"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(-100500, 1, reply_markup=keyboard("again"))
    assert record.button_data() == ["again"] and record.plain_text == "new"
    assert await bot.delete_message(-100500, 1) and record.deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(-100500, 1)
    with pytest.raises(AssertionError, match="No button"):
        erin.press(record, "again")


async def test_chat_types_and_per_chat_message_ids(bot: Bot) -> None:
    group = await bot.send_message(-42, "g")
    supergroup = await bot.send_message(-1001234567890, "s", message_thread_id=7)
    second = await bot.send_message(-42, "g2")
    assert (group.chat.type, group.chat.title, group.message_id, second.message_id) == ("group", "Chat -42", 1, 2)
    assert supergroup.chat.type == "supergroup" and supergroup.message_thread_id == 7
    assert (await bot.send_message(555, "p")).chat.type == "private"


async def test_fail_chat_and_restore(server: BotApiServer, bot: Bot) -> None:
    server.fail_chat(CHAT, error_code=403, description="Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(CHAT, "hi")
    await bot.send_message(CHAT + 1, "other chats still work")
    server.restore_chat(CHAT)
    await bot.send_message(CHAT, "hi")
    assert [m.chat_id for m in server.sent] == [CHAT + 1, CHAT]


async def test_commands_webhook_and_misc_methods(server: BotApiServer, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Start"), ("status", "Check a report")], language_code="th")
    assert [c.command for c in await bot.get_my_commands(language_code="th")] == ["start", "status"]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Bad-Command", "x")])
    assert await bot.delete_my_commands(language_code="th")
    assert await bot.set_chat_menu_button() and await bot.send_chat_action(CHAT, "typing")
    assert await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook() and (await bot.get_webhook_info()).url == ""


# --------------------------------------------------------------------------- raw wire format
async def test_wire_format_tokens_methods_and_encodings(server: BotApiServer) -> None:
    base = f"http://127.0.0.1:{server.port}"
    async with httpx.AsyncClient() as client:
        wrong = await client.post(f"{base}/bot999:WRONG/getMe")
        assert wrong.status_code == 401
        assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        missing = await client.post(f"{server.base_url}{server.token}/noSuchMethod")
        assert missing.status_code == 404 and missing.json()["description"] == "Not Found"
        by_json = await client.post(
            f"{server.base_url}{server.token}/SENDMESSAGE",
            json={"chat_id": 5, "text": "j", "reply_markup": {"inline_keyboard": []}},
        )
        assert by_json.json()["result"]["text"] == "j"
        by_query = await client.get(f"{server.base_url}{server.token}/sendMessage", params={"chat_id": 5, "text": "q"})
        assert by_query.json()["result"]["message_id"] == 2
        upload = await client.post(
            f"{server.base_url}{server.token}/sendDocument",
            data={"chat_id": "5", "caption": "<i>c</i>", "parse_mode": "HTML"},
            files={"document": ("a.txt", b"hello", "text/plain")},
        )
        document = upload.json()["result"]["document"]
        assert document["file_name"] == "a.txt" and upload.json()["result"]["caption_entities"][0]["type"] == "italic"
        path = (
            await client.get(f"{server.base_url}{server.token}/getFile", params={"file_id": document["file_id"]})
        ).json()["result"]["file_path"]
        assert (await client.get(f"{server.base_file_url}{server.token}/{path}")).content == b"hello"
        server.flood(1, retry_after=3, methods={"getMe"})
        limited = await client.post(f"{server.base_url}{server.token}/getMe")
        assert limited.status_code == 429 and limited.json()["parameters"] == {"retry_after": 3}
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=server.base_url):
            pass
    assert server.calls_to("sendmessage")[0] == {"chat_id": 5, "text": "j", "reply_markup": {"inline_keyboard": []}}


# --------------------------------------------------------------------------- updates
async def test_long_polling_offsets_and_redelivery(server: BotApiServer, bot: Bot) -> None:
    bob = server.user(7, "Bob")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    first = bob.send_text("/status MY-ABC 😀 see t.me @someone")
    (update,) = await asyncio.wait_for(poll, 1)  # woke immediately on push
    assert update.update_id == first and update.message.text.startswith("/status")
    assert [(e.type, e.offset, e.length) for e in update.message.entities] == [
        ("bot_command", 0, 7),
        ("url", 22, 4),
        ("mention", 27, 8),
    ]
    assert server.pending_updates == 1  # delivered, not yet confirmed
    second = bob.send_text("hello")
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates(offset=second + 1)] == []
    assert server.pending_updates == 0
    server.redeliver(first)
    (again,) = await bot.get_updates(offset=second + 1)
    assert again.update_id == first and again.message.message_id == update.message.message_id
    assert await bot.get_updates(offset=first + 1) == () and server.pending_updates == 0
    assert server.push_update({"update_id": 500_000, "message": None}) == 500_000
    assert bob.send_text("x") == 500_001


async def test_fake_user_updates_parse_in_ptb(server: BotApiServer, bot: Bot) -> None:
    carol = server.user(8, "Carol", last_name="D", username="carol")
    carol.forward_text("win money", origin=FakeUser.origin_user(5, "Scammer", username="scam"))
    carol.forward_text("x", origin=FakeUser.origin_hidden_user("Hidden Guy"))
    carol.forward_photo(caption="promo", origin=FakeUser.origin_channel(-1009, "Casino", username="casino"))
    carol.send_document("r.pdf", b"%PDF", caption="proof")
    ids = carol.send_album(["a", None, "c"])
    carol.share_contact("+66812345678")
    updates = await bot.get_updates()
    assert [u.update_id for u in updates][-4:-1] == ids
    origins = [u.message.forward_origin for u in updates[:3]]
    assert isinstance(origins[0], MessageOriginUser) and origins[0].sender_user.username == "scam"
    assert isinstance(origins[1], MessageOriginHiddenUser)
    assert isinstance(origins[2], MessageOriginChannel) and origins[2].chat.title == "Casino"
    assert (
        updates[3].message.document.file_name == "r.pdf" and updates[3].message.document.mime_type == "application/pdf"
    )
    assert len({u.message.media_group_id for u in updates[4:7]}) == 1 and updates[5].message.caption is None
    assert updates[7].message.contact.phone_number == "+66812345678"
    assert [u.message.message_id for u in updates] == list(range(1, 9))
    assert updates[0].message.from_user.full_name == "Carol D"


async def test_real_application_polling_and_wait_helpers(server: BotApiServer) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html("<b>Welcome</b>", reply_markup=keyboard("report"))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"You chose {query.data}")

    app = ApplicationBuilder().token(server.token).base_url(server.base_url).base_file_url(server.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    dave = server.user(9, "Dave")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=2)
        dave.send_text("/start")
        welcome = await server.wait_for(lambda m: m.chat_id == dave.id)
        assert welcome.plain_text == "Welcome"
        dave.press(welcome, "report")
        await server.wait_for(lambda m: m.plain_text == "You chose report")
        await server.wait_idle()
        assert server.pending_updates == 0 and len(await server.wait_for_messages(dave.id, 1)) == 1
        with pytest.raises(AssertionError, match="You chose report"):
            await server.wait_for(lambda m: m.chat_id == 12345, timeout=0.1)
        await app.updater.stop()
        await app.stop()


# --------------------------------------------------------------------------- HTML parser
def test_html_parser_entities() -> None:
    text, entities = parse_html(
        '😀<a href="https://x.org/?a=1&amp;b=2">l</a> <pre><code class="language-py">p</code></pre>'
        "<blockquote expandable>q</blockquote><tg-spoiler>s</tg-spoiler>&#128512;&#x41;&quot;"
    )
    assert text == '😀l pqs😀A"'
    assert entities == [
        {"type": "text_link", "offset": 2, "length": 1, "url": "https://x.org/?a=1&b=2"},
        {"type": "pre", "offset": 4, "length": 1, "language": "py"},
        {"type": "expandable_blockquote", "offset": 5, "length": 1},
        {"type": "spoiler", "offset": 6, "length": 1},
    ]
    with pytest.raises(EntityParseError, match='Unsupported start tag "div"'):
        parse_html("<div>")


# --------------------------------------------------------------------------- webhook receiver
async def test_webhook_receiver_signatures_duplicates_and_outage() -> None:
    async with WebhookReceiver(secret="k") as hook, httpx.AsyncClient() as client:
        body = json.dumps({"report": 1}).encode()
        good = "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()
        headers = {"X-Harmline-Signature": good, "Idempotency-Key": "r-1", "Content-Type": "application/json"}
        assert (await client.post(hook.url, content=body, headers=headers)).json() == {"ok": True}
        await client.post(hook.url, content=body, headers={**headers, "X-Harmline-Signature": "sha256=00"})
        hook.go_down(502)
        assert (await client.post(hook.url, content=body, headers=headers)).status_code == 502
        hook.go_up()
        received = await hook.wait_for(2)
        assert [(r.signature_valid, r.duplicate, r.idempotency_key) for r in received] == [
            (True, False, "r-1"),
            (False, True, "r-1"),
        ]
        assert received[0].body == {"report": 1} and hook.attempts == 3
        with pytest.raises(AssertionError, match="2 of 3"):
            await hook.wait_for(3, timeout=0.05)
    async with WebhookReceiver() as plain, httpx.AsyncClient() as client:
        await client.post(plain.url, json={"a": 1})
        assert (await plain.wait_for(1))[0].signature_valid is None
