"""``harmline demo``: citizens in 13 languages report to a bot serving nine countries; moderators
triage; the conversation, the stored reports, what each national contact received and the week's
summaries (message, charts, PDF, CSV) are shown."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

from babel.lists import format_list

from harmline.demo.botapi_server import FakeUser, SentMessage
from harmline.demo.environment import LocalDeployment
from harmline.reports.labels import country_name
from harmline.storage import Database
from harmline.summaries.files import write_files
from harmline.summaries.week import Week

COUNTRIES = ["MY", "ID", "TH", "VN", "PH", "KH", "LA", "MM", "TL"]
CONTACTS = [
    {"country": "MY", "name": "National Scam Response Centre (MY)", "language": "ms",
     "telegram_chat_id": -1001000000001, "webhook_url": "", "webhook_secret": "", "hotline": "997"},
    {"country": "ID", "name": "Indonesia Anti-Scam Centre", "language": "id", "telegram_chat_id": -1001000000002},
    {"country": "TH", "name": "Thai Police Cyber Taskforce", "language": "th", "telegram_chat_id": -1001000000003},
    {"country": "VN", "name": "Viet Nam Anti-Fraud Portal", "language": "vi", "telegram_chat_id": -1001000000004},
    {"country": "PH", "name": "Scam Watch Pilipinas", "language": "fil", "telegram_chat_id": -1001000000005},
    {"country": "KH", "name": "Cambodia Anti-Cybercrime Department", "language": "km",
     "telegram_chat_id": -1001000000006},
    {"country": "LA", "name": "Lao Computer Emergency Response Team", "language": "lo",
     "telegram_chat_id": -1001000000007},
    {"country": "MM", "name": "Myanmar Cyber Crime Unit", "language": "my", "telegram_chat_id": -1001000000008},
    {"country": "TL", "name": "Timor-Leste Scientific Police (PCIC)", "language": "tet",
     "telegram_chat_id": -1001000000009},
]
# Citizens who write in the region's other languages: (name, user id, Telegram language_code, text).
# Lao and Tetum come with no language_code, so their language is read from what they write.
MORE_CITIZENS = [
    ("Maria", 7006, "tl", "Na-scam po ako sa online seller sa Facebook, nagbayad ako ng ₱3,500 sa GCash "
                          "0917 123 4567 pero hindi na nag-reply."),
    ("Sokha", 7007, "km", "មានគេផ្ញើសារថាខ្ញុំឈ្នះរង្វាន់ ហើយឲ្យខ្ញុំបង់ថ្លៃសេវាមុន តាមលេខ 012 345 678"),
    ("Noy", 7008, None, "ມີຄົນໂທມາອ້າງວ່າເປັນຕຳຫຼວດ ໃຫ້ໂອນເງິນເຂົ້າບັນຊີ 020 5555 1234"),
    ("Aung", 7009, "my", "ငွေချေးမယ်ဆိုပြီး ကြိုတင်ငွေ ၅၀၀၀၀ ကျပ် လွှဲခိုင်းပါတယ်။ ဖုန်း 09 420 123 456"),
    ("Ana", 7010, None, "Ha'u simu mensajen husi numeru la koñese, sira dehan ha'u manan premiu no ha'u tenke "
                        "haruka osan $50 uluk."),
]
WIDTH = 100
# A screenshot as Telegram delivers it (591×1280 JPEG), rendered by benchmarks/screens/render.py.
SCREENSHOT = Path(__file__).parent / "screenshot-th-loan.jpg"
MODERATORS_GROUP = -1009000000001  # a supergroup with topics: one per country
ADMIN, MOD_MY, MOD_TH = 7900, 7901, 7903


class Transcript:
    """Drives one citizen and prints both sides of the conversation."""

    def __init__(self, local: LocalDeployment, user: FakeUser, name: str) -> None:
        self.local, self.user, self.name = local, user, name
        self.shown: dict[int, tuple[int, str]] = {}  # message id -> (edits already shown, text shown)

    async def bot_replies(self) -> list[SentMessage]:
        """Print what the bot sent or edited since the last look; return the new messages."""
        await self.local.server.wait_idle(timeout=10)
        fresh = []
        for message in self.local.server.messages_to(self.user.id):
            edits, before = self.shown.get(message.message_id, (-1, ""))
            if edits == len(message.edits):
                continue
            buttons = f"   [{' | '.join(message.button_texts())}]" if message.button_texts() else ""
            if edits < 0:
                fresh.append(message)
                _say("🤖 bot", message.plain_text + buttons)
            else:  # only what changed: the acknowledgement above the question stays as it was
                _say("🤖 bot", "(edits the message: …) " + _changed_tail(before, message.plain_text) + buttons)
            self.shown[message.message_id] = (len(message.edits), message.plain_text)
        return fresh

    async def says(self, text: str) -> list[SentMessage]:
        _say(f"👤 {self.name}", text)
        self.user.send_text(text)
        return await self.bot_replies()

    async def forwards(self, text: str, origin: dict[str, object], origin_name: str) -> list[SentMessage]:
        _say(f"👤 {self.name}", f"(forwards a message from {origin_name}) {text}")
        self.user.forward_text(text, origin=origin)
        return await self.bot_replies()

    async def sends_album(self, captions: list[str | None]) -> list[SentMessage]:
        _say(f"👤 {self.name}", f"(sends {len(captions)} screenshots) {captions[0] or ''}")
        self.user.send_album(captions)
        return await self.bot_replies()

    async def sends_screenshot(self, image: bytes, what: str) -> list[SentMessage]:
        _say(f"👤 {self.name}", f"(sends only a screenshot: {what})")
        self.user.send_photo(content=image)
        return await self.bot_replies()

    async def taps_send_now(self) -> list[SentMessage]:
        """Taps "Send now", in whatever language the buttons are."""
        message = next(m for m in reversed(self.local.server.messages_to(self.user.id)) if m.button_texts())
        index = next(i for i, data in enumerate(message.button_data()) if data.endswith(":send"))
        return await self.taps(message.button_texts()[index])

    async def taps(self, label: str | Callable[[str], bool]) -> list[SentMessage]:
        message = next(m for m in reversed(self.local.server.messages_to(self.user.id)) if m.button_texts())
        match = label if callable(label) else (lambda text: text == label)
        index = next(i for i, text in enumerate(message.button_texts()) if match(text))
        _say(f"👆 {self.name}", f"taps [{message.button_texts()[index]}]")
        self.user.press(message, message.button_data()[index])
        return await self.bot_replies()


def _changed_tail(before: str, after: str) -> str:
    """The lines of ``after`` from the first one that differs from ``before``."""
    old_lines, new_lines = before.splitlines(), after.splitlines()
    same = 0
    while same < min(len(old_lines), len(new_lines)) and old_lines[same] == new_lines[same]:
        same += 1
    return "\n".join(new_lines[same:]) or after


def _say(who: str, text: str) -> None:
    lines = text.splitlines() or [""]
    wrapped: list[str] = []
    for line in lines:
        wrapped += textwrap.wrap(line, WIDTH - 16) or [""]
    print(f"  {who:<14}{wrapped[0]}")
    for line in wrapped[1:]:
        print(" " * 16 + line)


def _heading(title: str) -> None:
    print("\n" + "═" * WIDTH + f"\n  {title}\n" + "═" * WIDTH)


async def _play(local: LocalDeployment) -> None:
    server = local.server
    served = format_list([country_name(code, "en") for code in COUNTRIES], locale="en")
    _heading(f"1. Citizens report (the bot serves {served})")

    print("\n— Aisyah, Malaysia, Telegram set to Malay —")
    aisyah = Transcript(local, server.user(7001, "Aisyah", language_code="ms"), "Aisyah")
    await aisyah.says("/start")
    await aisyah.says("Tahniah! Anda menang hadiah wang tunai RM5,000 daripada Bank Negara. Sila klik "
                      "hxxps://bnm-hadiah[.]com/tuntut dan bayar yuran pemprosesan RM150. WhatsApp 012-345 6789")
    await aisyah.taps(lambda text: text.startswith("Malaysia"))
    await aisyah.taps("WhatsApp")
    await aisyah.taps(lambda text: text in ("Ya", "Yes"))
    await aisyah.says("RM 150")

    print("\n— Budi, Indonesia, forwards a gambling promotion from a channel —")
    budi = Transcript(local, server.user(7002, "Budi", language_code="id"), "Budi")
    origin = FakeUser.origin_channel(-1009988776655, "SLOT GACOR 88 RESMI", username="slotgacor88resmi")
    await budi.forwards("🔥 SLOT GACOR hari ini! Deposit 10rb langsung MAXWIN, bonus new member 100%. "
                        "Daftar di www.gacor88-resmi.vip, WA 0812-3456-7890", origin, "channel SLOT GACOR 88 RESMI")
    await budi.taps(lambda text: text.startswith("Indonesia"))
    await budi.taps(lambda text: text in ("Kirim sekarang", "Send now") or "sekarang" in text.lower())

    print("\n— Somchai, Thailand, sends screenshots, then the text —")
    somchai = Transcript(local, server.user(7003, "Somchai", language_code="th"), "Somchai")
    await somchai.sends_album(["เพจนี้อ้างว่าเป็นธนาคาร ให้กรอกรหัส OTP", None])
    await somchai.says("มิจฉาชีพโทรมาอ้างว่าเป็นตำรวจ บอกว่าบัญชีของคุณถูกระงับ ให้โอนเงินไปที่บัญชีปลอดภัย โทร 081-234-5678")
    await somchai.taps(lambda text: "ไทย" in text or text == "Thailand")
    await somchai.taps("Facebook")
    await somchai.taps(lambda text: text in ("ไม่", "ไม่ใช่", "No"))

    print("\n— Linh, Viet Nam, skips the questions —")
    linh = Transcript(local, server.user(7004, "Linh", language_code="vi"), "Linh")
    await linh.says("Tôi bị lừa đảo: họ tuyển cộng tác viên làm nhiệm vụ online, hoa hồng 30%, bắt chuyển khoản "
                    "trước 2.000.000đ vào tài khoản Vietcombank. Zalo 0912 345 678")
    await linh.taps(lambda text: "Việt" in text or text == "Vietnam")
    await linh.taps(lambda text: text in ("Bỏ qua", "Skip"))
    await linh.taps(lambda text: text in ("Bỏ qua", "Skip"))

    print("\n— Nok, Thailand, sends only a screenshot of a chat (read in the background: Thai text, number, link) —")
    nok = Transcript(local, server.user(7006, "Nok", language_code="th"), "Nok")
    await nok.sends_screenshot(SCREENSHOT.read_bytes(), "a WhatsApp chat offering a loan, with a link")
    await nok.taps(lambda text: "ไทย" in text or text == "Thailand")
    await nok.taps_send_now()

    print("\n— John, Malaysia, English, asks where his report is —")
    john = Transcript(local, server.user(7005, "John", language_code="en"), "John")
    await john.says("Got a call from 'Pos Laju' saying my parcel has illegal items and I must pay RM2,000 "
                    "to the police officer, call back +60 3-2345 6789")
    await john.taps(lambda text: text.startswith("Malaysia"))
    await john.taps("Send now")
    await asyncio.sleep(1.5)
    await john.says("/myreports")

    for name, user_id, language_code, text in MORE_CITIZENS:
        hint = f"Telegram language {language_code}" if language_code else "no Telegram language"
        print(f"\n— {name}, {hint} —")
        citizen = Transcript(local, server.user(user_id, name, language_code=language_code), name)
        await citizen.says(text)
        # "Send now", in their language: the country guessed from the language stays.
        await citizen.taps_send_now()

    print("\n— Mei reports the number Aisyah reported; Kumar checks it before paying —")
    mei = Transcript(local, server.user(7011, "Mei", language_code="en"), "Mei")
    await mei.says("This WhatsApp 012-345 6789 says I won a Bank Negara prize and must pay a fee first")
    await mei.taps(lambda text: text.startswith("Malaysia"))
    await mei.taps("Send now")
    kumar = Transcript(local, server.user(7012, "Kumar", language_code="en"), "Kumar")
    await kumar.says("/check 012 345 6789")
    await kumar.says("/check 011-2222 3333")


def _show_group(local: LocalDeployment, since: int, country_topic: int | None = None) -> int:
    """Print the moderators' group messages after message ``since``; return the last id."""
    last = since
    topics = local.server.forum_topics.get(MODERATORS_GROUP, {})
    for message in local.server.messages_to(MODERATORS_GROUP):
        if message.message_id <= since or (country_topic and message.message_thread_id != country_topic):
            continue
        where = topics.get(message.message_thread_id or 0, "group")
        buttons = f"   [{' | '.join(message.button_texts())}]" if message.button_texts() else ""
        _say(f"📋 {where}"[:14], (f"[{message.media_type}] " if message.media_type else "") + message.plain_text
             + buttons)
        last = max(last, message.message_id)
    return last


async def _moderate(local: LocalDeployment) -> None:
    server = local.server
    _heading("2. A moderation session (a moderators' group with a topic per country, created by the bot)")
    topics = server.forum_topics[MODERATORS_GROUP]
    print("  topics: " + ", ".join(topics.values()))
    malaysia = next(thread for thread, name in topics.items() if "Malaysia" in name)
    print("\n— The Malaysian topic: the card of each new report, in the contact's language (Malay) —")
    cards = [m for m in server.messages_to(MODERATORS_GROUP) if m.message_thread_id == malaysia and m.button_data()]
    if cards:
        _show_group(local, cards[0].message_id - 1, malaysia)

    print("\n— Mod Aziz (Malaysia) works through his queue in private —")
    aziz = Transcript(local, server.user(MOD_MY, "Mod Aziz", language_code="en"), "Mod Aziz")
    await aziz.says("/queue")
    await aziz.says("/stats")
    await aziz.says("/find 012-345 6789")
    # Mei reported the number Aisyah reported: a duplicate, merged into Aisyah's report.
    mei_card = next(m for m in reversed(cards) if "012-345" in m.plain_text.replace("+60 12-345", "012-345")
                    and "Bank Negara" in m.plain_text and "WhatsApp" in m.plain_text)
    duplicate = mei_card.button_data()[0].split(":")[3]
    original = next(m for m in cards if m.message_id != mei_card.message_id and "012-345" in m.plain_text)
    target = original.button_data()[0].split(":")[3]
    _say("👆 Mod Aziz", f"taps [🔗 Merge into…] on {duplicate}, then [{target}]")
    aziz.user.press(mei_card, f"v1:mod:merge:{duplicate}")
    await server.wait_idle()
    aziz.user.press(mei_card, f"v1:mod:merge:{duplicate}:{target}")
    await server.wait_idle()
    _say("📋 card", mei_card.plain_text.splitlines()[2])
    _say("👆 Mod Aziz", f"taps [✅ Confirm] on {target}")
    aziz.user.press(original, f"v1:mod:confirm:{target}")
    await server.wait_idle()
    _say("📋 card", original.plain_text.splitlines()[2])

    print("\n— John's report needs a screenshot: Mod Aziz asks, John answers, the card comes back —")
    john_card = next(m for m in cards if "Pos Laju" in m.plain_text)
    john_ref = john_card.button_data()[0].split(":")[3]
    _say("👆 Mod Aziz", f"taps [❓ Need more info] → [Screenshots] on {john_ref}")
    aziz.user.press(john_card, f"v1:mod:ask:{john_ref}")
    await server.wait_idle()
    aziz.user.press(john_card, f"v1:mod:ask:{john_ref}:screenshot")
    await server.wait_idle()
    john = Transcript(local, server.user(7005, "John", language_code="en"), "John")
    john.shown = {m.message_id: (len(m.edits), m.plain_text) for m in server.messages_to(7005)[:-1]}
    await john.bot_replies()
    _say("👤 John", "(sends a screenshot of the call log)")
    john.user.send_photo(caption="the call log")
    await john.bot_replies()
    await asyncio.sleep(1.5)  # the answer's card waits a merge window for more screenshots
    await server.wait_idle()
    _show_group(local, john_card.message_id, malaysia)
    answered = next(m for m in reversed(server.messages_to(MODERATORS_GROUP)) if john_ref in m.plain_text
                    and m.button_data())
    _say("👆 Mod Aziz", f"taps [✅ Confirm] on {john_ref}")
    aziz.user.press(answered, f"v1:mod:confirm:{john_ref}")
    await john.bot_replies()
    await john.says(f"/status {john_ref}")

    print("\n— Two refusals: a Thai moderator taps a Malaysian card; a stranger tries /queue —")
    thai = server.user(MOD_TH, "Mod Somchai", language_code="th")
    _say("👆 Mod Somchai", f"taps [✅ Confirm] on {target}")
    answers = len(server.callback_answers)
    thai.press(original, f"v1:mod:confirm:{target}", force=True)
    refusal = await server.wait_for_answer(answers)
    _say("🤖 bot", f"(alert) {refusal['text']}")
    stranger = Transcript(local, server.user(7999, "Mallory", language_code="en"), "Mallory")
    await stranger.says("/queue")

    print("\n— The admin adds a moderator for Thailand at run time —")
    admin = Transcript(local, server.user(ADMIN, "Admin Lim", language_code="en"), "Admin Lim")
    await admin.says("/mod add 7904 TH")
    await admin.says("/mod")


async def _summarise(local: LocalDeployment, folder: Path) -> None:
    _heading("4. Weekly summaries")
    print("  Every Monday 09:00 in each country's own time zone, contacts marked weekly_summary get their\n"
          "  country's summary (regional = true: all countries side by side), through the outbox. Here the\n"
          "  admin asks for this week so far, and the files are written for you to open.")
    summaries = local.services.summaries
    week = Week.containing(summaries.clock().date())
    server = local.server
    before = len(server.messages_to(ADMIN))
    _say("👤 Admin Lim", f"/summary ALL {week.label}")
    server.user(ADMIN, "Admin Lim", language_code="en").send_text(f"/summary ALL {week.label}")
    # The charts and the PDF take a few seconds to draw: wait for the last file, the CSV.
    await server.wait_for(lambda m: m.chat_id == ADMIN and m.media_type == "document" and m.file_id is not None
                          and (server.files[m.file_id].file_name or "").endswith(".csv"), timeout=120)
    for message in server.messages_to(ADMIN)[before:]:
        if message.media_type == "document" and message.file_id:
            _say("🤖 bot", "📎 " + (server.files[message.file_id].file_name or ""))
        elif message.media_type:
            _say("🤖 bot", f"[{message.media_type}] {message.plain_text}")
        else:
            _say("🤖 bot", message.plain_text)
    print(f"\n— The files, in {folder}/ —")
    for scope, language in (("ALL", "en"), ("TH", "th"), ("MM", "my")):
        for path in write_files(await summaries.files(scope, week, language), folder):
            print(f"  {path.name:<44} {path.stat().st_size:>9,} bytes")


async def _wait_for_deliveries(local: LocalDeployment) -> None:
    for _ in range(150):
        counts = await local.services.outbox.counts()
        if not counts.get("pending"):
            return
        await asyncio.sleep(0.1)


async def _show_reports(local: LocalDeployment) -> None:
    _heading("3. Stored reports (SQLite, WAL)")
    database = local.services.database
    assert isinstance(database, Database)  # the demo's store is SQLite: its rows are shown as they are stored
    rows = await database.fetch_all(
        "SELECT r.reference, r.country, r.detected_language, r.language_confidence, r.category, r.platform,"
        " r.loss_amount, r.status, (SELECT COUNT(*) FROM evidence e WHERE e.report_id = r.id) AS evidence,"
        " (SELECT GROUP_CONCAT(kind || ' ' || value, ', ') FROM indicators i WHERE i.report_id = r.id) AS found"
        " FROM reports r ORDER BY r.id")
    print(f"  {'reference':<12} {'cc':<3} {'lang':<9} {'category':<17} {'platform':<10} {'loss':<8} "
          f"{'status':<10} ev  indicators")
    for row in rows:
        language = f"{row['detected_language']} {row['language_confidence']:.2f}"
        print(f"  {row['reference']:<12} {row['country']:<3} {language:<9} {row['category']:<17} "
              f"{row['platform'] or '-':<10} {row['loss_amount'] or '-':<8} {row['status']:<10} "
              f"{row['evidence']:<3} {row['found'] or '-'}")
    counts = await local.services.outbox.counts()
    print("\n  outbox: " + ", ".join(f"{state} {n}" for state, n in sorted(counts.items())))


def _show_contacts(local: LocalDeployment) -> None:
    _heading("4. What each national contact received (in the contact's language)")
    assert local.settings is not None
    for contact in local.settings.contacts:
        if contact.telegram_chat_id is None:
            continue
        messages = local.server.messages_to(contact.telegram_chat_id)
        print(f"\n— {contact.name} — Telegram chat {contact.telegram_chat_id} — {len(messages)} message(s)")
        for message in messages:
            if message.media_type:
                print(f"    [{message.media_type}] {message.plain_text}")
            else:
                for line in message.plain_text.splitlines():
                    for piece in textwrap.wrap(line, WIDTH - 6) or [""]:
                        print("    │ " + piece)
                print("    └" + "─" * 40)
    print(f"\n— webhook {local.receiver.url} (signed JSON, for the centre's case system)")
    for hook in local.receiver.received:
        body = hook.body
        print(f"    POST {body['reference']} signature_valid={hook.signature_valid} "
              f"idempotency_key={hook.idempotency_key} category={body['category']} platform={body['platform']}")
        print("      indicators: " + json.dumps(body["indicators"], ensure_ascii=False))


async def run_demo(keep_database: str | None = None, summary_folder: Path = Path("harmline-demo-summary")) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="harmline-demo-"))
    database = keep_database or str(workdir / "harmline-demo.db")

    def contacts(document: dict[str, object]) -> dict[str, object]:
        # The Malaysian centre also takes reports by webhook: point it at the loopback receiver.
        local_contacts = [dict(contact) for contact in CONTACTS]
        receiver_contact = document["contacts"][0]  # type: ignore[index]
        local_contacts[0]["webhook_url"] = receiver_contact["webhook_url"]
        local_contacts[0]["webhook_secret"] = receiver_contact["webhook_secret"]
        local_contacts[0]["allow_insecure"] = receiver_contact["allow_insecure"]  # the loopback receiver
        return {**document, "contacts": local_contacts, "deployment": {"countries": COUNTRIES},
                "moderation": {"review": "none", "admins": [ADMIN], "chats": [{"chat_id": MODERATORS_GROUP}]},
                "moderators": [{"telegram_user_id": MOD_MY, "countries": ["MY"]},
                               {"telegram_user_id": MOD_TH, "countries": ["TH"]}]}

    print("harmline demo: an embedded Bot API server on 127.0.0.1, the real bot polling it, "
          f"database {database}")
    try:
        local = LocalDeployment(database, config=contacts)
        local.server.make_forum(MODERATORS_GROUP)
        async with local:
            await _play(local)
            await _wait_for_deliveries(local)
            await _moderate(local)
            await _wait_for_deliveries(local)
            await _show_reports(local)
            _show_contacts(local)
            await _summarise(local, summary_folder)
    finally:
        if keep_database is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print("\nDone. Run it for real: copy harmline.example.toml, set the token, `harmline run --config FILE`.")
    return 0
