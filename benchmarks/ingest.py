"""Ingest throughput: how many citizen reports per second harmline takes in, and where the time goes.

The real path, in-process and offline: Update JSON (decoded, as python-telegram-bot hands it on)
→ ``telegram.Update.de_json`` →
``Application.process_update`` → the report handler → ``Intake.receive`` (one SQLite transaction:
report, message, indicators, queued delivery) → acknowledgement → follow-up question → its message
id stored. Every Bot API call is answered in-process by :class:`OfflineRequest`; the rate limiter
is off. Two ceilings run on the same updates in the same process:

(a) python-telegram-bot alone: the same updates through a do-nothing ``MessageHandler``;
(b) plain ``sqlite3`` writing the same rows (report, message, delivery) in batched transactions.

Then the per-report time is split into parsing, language detection, classification, indicator
extraction, storage and reply sending, from an instrumented run and from the same functions
timed in isolation over the same texts. ``--profile`` adds a cProfile of harmline's own code.

Updates are processed as the bot runs them: up to ``--concurrency`` in flight through harmline's
update processor (different chats in parallel), which lets the database group-commit the reports
that arrive together; a run one update at a time is printed beside it. The process is pinned
to one CPU (the goal is per core; ``--all-cores`` lifts it), which also
steadies the figures: on a shared VM they still vary by ±15 % from run to run.

    cd /work/main && /tmp/venv/bin/python benchmarks/ingest.py [--reports 3000] [--profile]
        [--warmup 100] [--all-cores] [--api-latency-ms 0]

Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import os
import platform
import pstats
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit, urlunsplit

import aiosqlite
import psycopg
import telegram
from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.ext import Application, ApplicationBuilder, ContextTypes, ExtBot, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harmline.bot import build_application  # noqa: E402
from harmline.handlers.context import HarmlineApplication  # noqa: E402
from harmline.handlers.ordering import MAX_CONCURRENT_UPDATES  # noqa: E402
from harmline.reports.classify import Classification, Classifier, KeywordClassifier  # noqa: E402
from harmline.reports.indicators import extract_indicators  # noqa: E402
from harmline.reports.language import Detection, LanguageDetector, LayeredLanguageDetector  # noqa: E402
from harmline.reports.model import Indicator  # noqa: E402
from harmline.services import intake as intake_module  # noqa: E402
from harmline.settings import parse_settings  # noqa: E402
from harmline.storage import PostgresDatabase  # noqa: E402
from harmline.storage.migrations import MIGRATIONS  # noqa: E402
from harmline.storage.postgres import postgres_sql  # noqa: E402

GOAL_PER_SECOND = 1_000
TOKEN = "123456:BENCHMARK-TOKEN"
BOT_USER: dict[str, Any] = {"id": 123456, "is_bot": True, "first_name": "Harmline", "username": "harmline_bot",
                            "can_join_groups": False, "can_read_all_group_messages": False,
                            "supports_inline_queries": False}
COUNTRY = "MY"
CONTACT_CHAT_ID = -100123
CONTACT_NAME = "National Scam Response Centre"
REFERENCE = re.compile(r"\b[A-Z]{2}-[23456789A-HJKMNP-TW-Z]{8}\b")

# (language of the text, text): what citizens paste or type, 15-300 characters, some with
# phone numbers and links (defanged or not), some benign.
TEXTS: tuple[tuple[str, str], ...] = (
    ("en", "Got this SMS: 'Your Maybank account has been suspended. Click the link to verify your account "
           "within 24 hours: hxxps://maybank2u-secure[.]com/login'. Is this real?"),
    ("en", "A man called from +60 12-345 6789 saying he is police from Bukit Aman. He said I must transfer "
           "RM5,000 to a safe account or I will be arrested."),
    ("en", "Part time job on WhatsApp: earn RM300 a day doing simple tasks, but first pay a processing fee "
           "of RM150. Contact 011-2345 6789."),
    ("en", "Online casino ad everywhere on Facebook: free credit RM50, deposit bonus 100%, slot gacor maxwin! "
           "Join www.mega88slot.vip now"),
    ("en", "URGENT: Your LHDN tax refund of RM1,280.50 is ready. Claim your refund at lhdn-refund.online/claim "
           "before 30/11. Ignore if already claimed."),
    ("en", "hello, is this the right place to ask about a parcel?"),
    ("en", "Thanks for the help yesterday!"),
    ("ms", "Saya kena tipu. Dia kata saya menang hadiah RM10,000 dan perlu buat bayaran RM500 dulu ke akaun "
           "Maybank 1234567890. Nombor dia 013-987 6543."),
    ("ms", "Tahniah! Akaun anda layak untuk pinjaman peribadi tanpa dokumen. Sila klik pautan "
           "bit.ly/pinjaman-cepat untuk memohon sekarang."),
    ("ms", "Boleh tak awak tolong semak mesej ini? Saya tak pasti betul atau tidak."),
    ("id", "Selamat! Nomor Anda terpilih sebagai pemenang undian berhadiah mobil. Silakan transfer biaya "
           "admin Rp 2.500.000 ke rekening BRI 0123-01-234567-50-1. Hubungi 0812-3456-7890."),
    ("id", "Situs judi online terpercaya, slot gacor hari ini, deposit pulsa tanpa potongan, daftar di "
           "https://gacor88.xyz/daftar"),
    ("id", "Kurir paket minta saya klik tautan dan masukkan kode OTP, ternyata rekening saya langsung "
           "dikuras. Tolong."),
    ("th", "ได้รับ SMS ว่าบัญชีของคุณถูกระงับ กรุณาคลิกลิงก์ https://kbank-verify.top/th "
           "เพื่อยืนยันตัวตนภายใน 24 ชั่วโมง"),
    ("th", "เว็บพนันออนไลน์ สล็อต บาคาร่า เครดิตฟรี 100 บาท สมัครเลย โทร 081-234-5678"),
    ("th", "มีคนโทรมาอ้างว่าเป็นตำรวจ บอกให้โอนเงินเพื่อตรวจสอบบัญชี ฉันโดนหลอกไป 20,000 บาท"),
    ("vi", "Tôi bị lừa chuyển khoản 15 triệu đồng cho một người tự xưng là công an, số điện thoại "
           "0912 345 678."),
    ("vi", "Nhà cái uy tín, cá độ bóng đá, nổ hũ, tài xỉu, nạp tiền nhận thưởng 200%. Truy cập "
           "https://nhacai88.club ngay!"),
    ("vi", "Việc làm online tại nhà, nhiệm vụ đơn giản, hoa hồng 5% mỗi đơn. Liên hệ Zalo 0987654321."),
    ("vi", "Chào bạn, cho mình hỏi cách báo cáo một trang web giả mạo ngân hàng?"),
)
LANGUAGE_CODES = ("en", "ms", "id", "th", "vi", None)


# --- the offline Bot API ---------------------------------------------------------------------


class OfflineRequest(BaseRequest):
    """Answers every Bot API call in-process, like python-telegram-bot's own test suite does."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency  # seconds to wait before answering, to imitate the network
        self.calls: Counter[str] = Counter()
        self.messages_to: Counter[int] = Counter()  # chat id -> sendMessage calls
        self.on_send_message: Callable[[int, str], None] | None = None
        self._message_id = 0
        self._epoch = int(time.time())

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        self.calls[endpoint] += 1
        parameters = request_data.parameters if request_data is not None else {}
        if self.latency:
            await asyncio.sleep(self.latency)
        result: object = True
        if endpoint == "getMe":
            result = BOT_USER
        elif endpoint in ("sendMessage", "editMessageText"):
            result = self._message(endpoint, parameters)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, endpoint: str, parameters: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(parameters["chat_id"])
        text = str(parameters.get("text", ""))
        if endpoint == "sendMessage":
            self._message_id += 1
            message_id = self._message_id
            self.messages_to[chat_id] += 1
            if self.on_send_message is not None:
                self.on_send_message(chat_id, text)
        else:
            message_id = int(parameters.get("message_id", 0))
        chat: dict[str, Any] = ({"id": chat_id, "type": "private", "first_name": "Citizen"} if chat_id > 0
                                else {"id": chat_id, "type": "supergroup", "title": "Contacts"})
        message: dict[str, Any] = {"message_id": message_id, "date": self._epoch, "chat": chat,
                                   "from": BOT_USER, "text": text}
        if "reply_markup" in parameters:
            message["reply_markup"] = parameters["reply_markup"]
        return message


# --- workload --------------------------------------------------------------------------------


def make_updates(count: int, *, first_user: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` private-chat text messages, each from a different citizen (so none merge)."""
    rng = random.Random(seed + first_user)
    epoch = int(time.time())
    updates = []
    for i in range(count):
        user_id = first_user + i
        language, text = TEXTS[rng.randrange(len(TEXTS))]
        # Mostly the app language matches what they write; some have another, some none at all.
        code = language if rng.random() < 0.75 else rng.choice(LANGUAGE_CODES)
        sender: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"Citizen {i}"}
        if code is not None:
            sender["language_code"] = code
        updates.append({
            "update_id": 10_000_000 + user_id,
            "message": {
                "message_id": 1 + i % 5000,
                "from": sender,
                "chat": {"id": user_id, "type": "private", "first_name": f"Citizen {i}"},
                "date": epoch,
                "text": text,
            },
        })
    return updates


# --postgres URL: harmline and ceiling (b) on a fresh PostgreSQL database per run instead.
POSTGRES: str | None = None


def fresh_database(workdir: Path, name: str) -> dict[str, str]:
    """The [storage] table of a run: a new SQLite file, or a new PostgreSQL database."""
    if POSTGRES is None:
        return {"database": str(workdir / f"{name}.db")}
    database = "bench_" + re.sub(r"\W", "_", name)
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {database}")
    return {"url": urlunsplit(urlsplit(POSTGRES)._replace(path=f"/{database}"))}


class _Reader:
    """A second connection that sees committed rows only, taking SQLite's ``?`` on either backend."""

    def __init__(self, storage: dict[str, str]) -> None:
        self.postgres = psycopg.connect(storage["url"], autocommit=True) if "url" in storage else None
        self.sqlite = sqlite3.connect(storage["database"]) if "database" in storage else None

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        if self.postgres is not None:
            row = self.postgres.execute(postgres_sql(sql), params).fetchone()
        else:
            assert self.sqlite is not None
            row = self.sqlite.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        for connection in (self.postgres, self.sqlite):
            if connection is not None:
                connection.close()


def settings_document(storage: dict[str, str]) -> dict[str, Any]:
    return {
        "telegram": {"token": TOKEN, "rate_limit": False},
        "storage": storage,
        "deployment": {"countries": [COUNTRY]},
        "moderation": {"review": "none"},
        "contacts": [{"country": COUNTRY, "name": CONTACT_NAME, "telegram_chat_id": CONTACT_CHAT_ID,
                      "language": "ms"}],
    }


# --- timing helpers --------------------------------------------------------------------------

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Timings:
    """Seconds spent in named steps, summed over a run."""

    seconds: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] += seconds
        self.calls[name] += 1

    def wrap_async(self, name: str, function: Callable[P, Coroutine[Any, Any, R]]
                   ) -> Callable[P, Coroutine[Any, Any, R]]:
        async def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            start = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)

        return timed

    def wrap(self, name: str, function: Callable[P, R]) -> Callable[P, R]:
        def timed(*args: P.args, **kwargs: P.kwargs) -> R:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)

        return timed


class TimedDetector:
    def __init__(self, inner: LanguageDetector, timings: Timings) -> None:
        self._detect = timings.wrap("language detection", inner.detect)

    def detect(self, text: str, language_code: str | None = None, country: str | None = None) -> Detection:
        return self._detect(text, language_code, country)


class TimedClassifier:
    def __init__(self, inner: Classifier, timings: Timings) -> None:
        self._classify = timings.wrap("classification", inner.classify)

    def classify(self, text: str) -> Classification:
        return self._classify(text)


@contextmanager
def quiet_gc() -> Iterator[None]:
    """Collect before a timed section so one run does not pay for the garbage of the previous."""
    gc.collect()
    yield


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# --- harmline --------------------------------------------------------------------------------


@dataclass
class HarmlineRun:
    reports: int
    seconds: float
    latencies: list[float]
    request: OfflineRequest
    storage: dict[str, str]
    timings: Timings | None = None
    synchronous: str = "?"  # PRAGMA synchronous of harmline's own connection
    acks_checked: int = 0
    acks_committed: int = 0

    @property
    def rate(self) -> float:
        return self.reports / self.seconds


async def run_harmline(workdir: Path, name: str, reports: int, warmup: int, *, instrument: bool = False,
                       profiler: cProfile.Profile | None = None, latency: float = 0.0,
                       concurrency: int = 1) -> HarmlineRun:
    storage = fresh_database(workdir, name)
    settings = parse_settings(settings_document(storage))
    request = OfflineRequest(latency)
    application: HarmlineApplication = build_application(settings, request=request)
    warm, timed = make_updates(warmup, first_user=1), make_updates(reports, first_user=1 + warmup)
    run = HarmlineRun(reports, 0.0, [], request, storage)
    restore: list[Callable[[], None]] = []
    await application.initialize()
    assert application.post_init is not None and application.post_shutdown is not None
    await application.post_init(application)
    try:
        run.synchronous = await _synchronous(application)
        bot = application.bot
        for data in warm:
            await application.process_update(Update.de_json(data, bot))
        if instrument:
            run.timings = Timings()
            restore = _instrument(application, run)
        latencies = run.latencies
        with quiet_gc():
            if profiler is not None:
                profiler.enable()
            started = time.perf_counter()
            parse = Update.de_json if run.timings is None else run.timings.wrap("parsing", Update.de_json)
            if concurrency == 1:
                for data in timed:
                    start = time.perf_counter()
                    await application.process_update(parse(data, bot))
                    latencies.append(time.perf_counter() - start)
            else:
                await _concurrently(application, timed, concurrency, latencies)
            run.seconds = time.perf_counter() - started
            if profiler is not None:
                profiler.disable()
    finally:
        for undo in reversed(restore):
            undo()
        await application.post_shutdown(application)
        await application.shutdown()
    return run


async def _concurrently(application: HarmlineApplication, updates: list[dict[str, Any]], concurrency: int,
                        latencies: list[float]) -> None:
    """As python-telegram-bot's fetcher hands updates on: through the application's update
    processor (harmline's: chats in parallel, each chat in order), ``concurrency`` in flight."""
    window = asyncio.Semaphore(concurrency)
    bot = application.bot

    async def one(data: dict[str, Any]) -> None:
        async with window:
            start = time.perf_counter()
            update = Update.de_json(data, bot)
            await application.update_processor.process_update(update, application.process_update(update))
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(one(data) for data in updates))


async def _synchronous(application: HarmlineApplication) -> str:
    services = application.bot_data.services
    assert services is not None
    if POSTGRES is not None:
        row = await services.database.fetch_one("SHOW synchronous_commit")
        return f"synchronous_commit={row[0] if row else '?'}"
    row = await services.database.fetch_one("PRAGMA synchronous")
    level = int(row[0]) if row is not None else -1
    return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(level, str(level))


def _instrument(application: HarmlineApplication, run: HarmlineRun) -> list[Callable[[], None]]:
    """Time the steps of the real path in place; returns how to undo the class-level patches."""
    timings = run.timings
    assert timings is not None
    services = application.bot_data.services
    assert services is not None
    intake = services.intake
    intake.detector = TimedDetector(intake.detector, timings)
    intake.classifier = TimedClassifier(intake.classifier, timings)
    intake.receive = timings.wrap_async("intake transaction", intake.receive)  # type: ignore[method-assign]
    intake.set_followup_message = timings.wrap_async(  # type: ignore[method-assign]
        "follow-up id transaction", intake.set_followup_message)
    original_extract = intake_module.extract_indicators  # type: ignore[attr-defined]
    intake_module.extract_indicators = timings.wrap(  # type: ignore[attr-defined]
        "indicator extraction", original_extract)
    original_send = ExtBot.send_message
    ExtBot.send_message = timings.wrap_async(  # type: ignore[method-assign]
        "reply sending", original_send)
    # Every aiosqlite call (execute, fetchall, cursor close, …) is one trip to its thread and back.
    original_trip = aiosqlite.Connection._execute
    aiosqlite.Connection._execute = timings.wrap_async(  # type: ignore[method-assign]
        "aiosqlite round trip", original_trip)

    # Was the report committed when its acknowledgement went out? Ask a second connection, which
    # sees committed rows only, for every 25th acknowledgement.
    reader = _Reader(run.storage)
    acks = 0

    def check_ack(chat_id: int, text: str) -> None:
        nonlocal acks
        match = REFERENCE.search(text)
        if chat_id <= 0 or match is None or "/status" not in text:
            return
        acks += 1
        if acks % 25:
            return
        run.acks_checked += 1
        found = reader.one("SELECT 1 FROM reports WHERE reference = ?", (match.group(0),))
        run.acks_committed += found is not None

    run.request.on_send_message = check_ack

    def undo_extract() -> None:
        intake_module.extract_indicators = original_extract  # type: ignore[attr-defined]

    def undo_send() -> None:
        ExtBot.send_message = original_send  # type: ignore[method-assign]
        aiosqlite.Connection._execute = original_trip  # type: ignore[method-assign]

    return [undo_extract, undo_send, reader.close]


@dataclass
class Check:
    reports: int
    messages: int
    pending: int
    one_pending_each: int
    attempted: int
    followup_ids: int
    processed_updates: int
    forwarded: int

    def ok(self, expected: int) -> bool:
        return (self.reports == self.messages == self.pending == self.one_pending_each == self.followup_ids
                == self.processed_updates == expected and self.attempted == 0 and self.forwarded == 0)


def check_database(run: HarmlineRun) -> Check:
    db = _Reader(run.storage)
    try:
        def one(sql: str) -> int:
            return int(db.one(sql))

        check = Check(
            reports=one("SELECT COUNT(*) FROM reports"),
            messages=one("SELECT COUNT(*) FROM report_messages"),
            pending=one("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'"),
            one_pending_each=one("SELECT COUNT(*) FROM reports r WHERE (SELECT COUNT(*) FROM deliveries d"
                                 " WHERE d.report_id = r.id AND d.state = 'pending') = 1"),
            attempted=one("SELECT COUNT(*) FROM deliveries WHERE attempts > 0 OR state <> 'pending'"),
            followup_ids=one("SELECT COUNT(*) FROM reports WHERE followup_message_id IS NOT NULL"),
            processed_updates=one("SELECT COUNT(*) FROM processed_updates"),
            forwarded=run.request.messages_to[CONTACT_CHAT_ID],
        )
    finally:
        db.close()
    return check


# --- ceiling (a): python-telegram-bot with a do-nothing handler ------------------------------


async def _noop(update: Update, context: object) -> None:
    return None


async def run_bare_ptb(reports: int, warmup: int) -> tuple[float, float]:
    """Reports per second and median seconds per update through a do-nothing handler."""
    application: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder().token(TOKEN).request(OfflineRequest()).get_updates_request(OfflineRequest())
        .context_types(ContextTypes()).build()
    )
    application.add_handler(MessageHandler(filters.ALL, _noop))
    warm, timed = make_updates(warmup, first_user=1), make_updates(reports, first_user=1 + warmup)
    latencies = []
    await application.initialize()
    try:
        bot = application.bot
        for data in warm:
            await application.process_update(Update.de_json(data, bot))
        with quiet_gc():
            started = time.perf_counter()
            for data in timed:
                start = time.perf_counter()
                await application.process_update(Update.de_json(data, bot))
                latencies.append(time.perf_counter() - start)
            seconds = time.perf_counter() - started
    finally:
        await application.shutdown()
    return reports / seconds, statistics.median(latencies)


# --- ceiling (b): plain sqlite3 --------------------------------------------------------------


def run_sqlite(workdir: Path, name: str, reports: int, warmup: int, batch: int,
               synchronous: str = "NORMAL") -> float:
    """Reports per second: report + message + delivery rows, committed every ``batch`` reports."""
    path = workdir / f"{name}.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    for migration in MIGRATIONS:
        for statement in migration.statements:
            db.execute(statement)
    updates = make_updates(reports, first_user=1 + warmup)  # the timed updates of the other runs
    follow_window = timedelta(minutes=5)
    with quiet_gc():
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        for i, data in enumerate(updates, start=1):
            message = data["message"]
            now = datetime.now(UTC)
            at, due = now.isoformat(), (now + follow_window).isoformat()
            report_id = db.execute(
                "INSERT INTO reports (reference, reporter_id, created_at, country, status, reply_language,"
                " detected_language, language_confidence, category, category_reason, platform, money_lost,"
                " loss_amount, followup_step, followup_message_id, last_message_at, followup_deadline,"
                " completed_at) VALUES (?, NULL, ?, ?, 'collecting', 'en', 'en', 0.99, 'scam', 'matched',"
                " NULL, NULL, NULL, 'platform', NULL, ?, ?, NULL)",
                (f"{COUNTRY}-{i:08d}", at, COUNTRY, at, due),
            ).lastrowid
            db.execute(
                "INSERT INTO report_messages (report_id, telegram_message_id, text, media_group_id, origin_type,"
                " origin_name, origin_date, received_at) VALUES (?, ?, ?, NULL, NULL, NULL, NULL, ?)",
                (report_id, message["message_id"], message["text"], at),
            )
            db.execute(
                "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, attempts,"
                " next_attempt_at, created_at) VALUES (?, ?, 'telegram', ?, 'ms', 'pending', 0, ?, ?)",
                (report_id, CONTACT_NAME, str(CONTACT_CHAT_ID), due, at),
            )
            if i % batch == 0:
                db.execute("COMMIT")
                db.execute("BEGIN IMMEDIATE")
        db.execute("COMMIT")
        seconds = time.perf_counter() - started
    db.close()
    return reports / seconds


async def run_postgres(workdir: Path, name: str, reports: int, warmup: int, batch: int) -> float:
    """Ceiling (b) on PostgreSQL: the same rows through plain psycopg, committed every ``batch``."""
    storage = fresh_database(workdir, name)
    schema = PostgresDatabase(storage["url"])  # harmline's own migrations: the same tables and indexes
    await schema.open()
    await schema.close()
    updates = make_updates(reports, first_user=1 + warmup)
    follow_window = timedelta(minutes=5)
    with psycopg.connect(storage["url"]) as db, quiet_gc():
        started = time.perf_counter()
        for i, data in enumerate(updates, start=1):
            message = data["message"]
            now = datetime.now(UTC)
            at, due = now.isoformat(), (now + follow_window).isoformat()
            row = db.execute(
                "INSERT INTO reports (reference, reporter_id, created_at, country, status, reply_language,"
                " detected_language, language_confidence, category, category_reason, platform, money_lost,"
                " loss_amount, followup_step, followup_message_id, last_message_at, followup_deadline,"
                " completed_at) VALUES (%s, NULL, %s, %s, 'collecting', 'en', 'en', 0.99, 'scam', 'matched',"
                " NULL, NULL, NULL, 'platform', NULL, %s, %s, NULL) RETURNING id",
                (f"{COUNTRY}-{i:08d}", at, COUNTRY, at, due)).fetchone()
            assert row is not None
            db.execute(
                "INSERT INTO report_messages (report_id, telegram_message_id, text, media_group_id, origin_type,"
                " origin_name, origin_date, received_at) VALUES (%s, %s, %s, NULL, NULL, NULL, NULL, %s)",
                (row[0], message["message_id"], message["text"], at))
            db.execute(
                "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, attempts,"
                " next_attempt_at, created_at) VALUES (%s, %s, 'telegram', %s, 'ms', 'pending', 0, %s, %s)",
                (row[0], CONTACT_NAME, str(CONTACT_CHAT_ID), due, at))
            if i % batch == 0:
                db.commit()
        db.commit()
        seconds = time.perf_counter() - started
    return reports / seconds


# --- the same functions, alone, over the same texts ------------------------------------------


def isolated_costs(reports: int, warmup: int) -> dict[str, float]:
    """Seconds per report of each step called directly over the same updates' texts."""
    updates = make_updates(reports, first_user=1 + warmup)
    bot = ExtBot(TOKEN, request=OfflineRequest())
    detector, classifier = LayeredLanguageDetector(), KeywordClassifier()
    texts = [(u["message"]["text"], u["message"]["from"].get("language_code")) for u in updates]
    costs: dict[str, float] = {}

    def timed(name: str, step: Callable[[], object]) -> None:
        with quiet_gc():
            started = time.perf_counter()
            step()
            costs[name] = (time.perf_counter() - started) / reports

    def parse_all() -> None:
        for data in updates:
            Update.de_json(data, bot)

    timed("parsing", parse_all)
    timed("language detection", lambda: [detector.detect(t, c) for t, c in texts])
    timed("classification", lambda: [classifier.classify(t) for t, _ in texts])
    found: list[list[Indicator]] = []
    timed("indicator extraction", lambda: found.extend(extract_indicators(t, COUNTRY) for t, _ in texts))
    return costs


# --- report ----------------------------------------------------------------------------------


def _rate(value: float) -> str:
    return f"{value:,.0f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def print_breakdown(instrumented: HarmlineRun, clean: HarmlineRun, isolated: dict[str, float]) -> None:
    timings = instrumented.timings
    assert timings is not None
    n = instrumented.reports
    total = instrumented.seconds / n
    s = {name: seconds / n for name, seconds in timings.seconds.items()}
    pure = ("language detection", "classification", "indicator extraction")
    rows: list[tuple[str, float, float | None, str]] = [
        ("parsing (Update.de_json)", s["parsing"], isolated["parsing"], ""),
        *((name, s.get(name, 0.0), isolated[name], "in Intake.receive, before its transaction") for name in pure),
        ("storage: intake transaction", s["intake transaction"] - sum(s.get(name, 0.0) for name in pure), None,
         "Intake.receive minus the three above"),
        ("storage: follow-up id transaction", s["follow-up id transaction"], None, "Intake.set_followup_message"),
        ("reply sending (sendMessage)", s["reply sending"], None, "ack + follow-up question, Bot API in-process"),
    ]
    rest = total - sum(row[1] for row in rows)
    rows.append(("PTB dispatch + handler glue", rest, None, "the remainder: filters, context, keyboard, text"))
    print(f"\nWhere the time goes: instrumented run of {n:,} reports, {_ms(total)} per report (clean run "
          f"{_ms(clean.seconds / clean.reports)}); 'alone' = the same function called directly on the same inputs")
    print(f"  {'step':<36} {'per report':>11} {'share':>6} {'alone':>11}  note")
    for name, seconds, alone, note in rows:
        alone_text = _ms(alone) if alone is not None else ""
        print(f"  {name:<36} {_ms(seconds):>11} {seconds / total:>6.1%} {alone_text:>11}  {note}")
    calls = timings.calls
    trips, trip_seconds = calls["aiosqlite round trip"], timings.seconds["aiosqlite round trip"]
    print(f"  calls per report: detection {calls['language detection'] / n:.2f}, classification "
          f"{calls['classification'] / n:.2f}, indicator extraction {calls['indicator extraction'] / n:.2f}, "
          f"sendMessage {calls['reply sending'] / n:.2f}")
    if trips:  # SQLite: PostgreSQL's units of work go through psycopg on the database's thread
        print(f"  storage: {trips / n:.1f} aiosqlite round trips per report (each statement, fetch and cursor "
              f"close is one), {trip_seconds / max(trips, 1) * 1e6:.0f} µs each on average, "
              f"{_ms(trip_seconds / n)} per report in all")


def print_profile(profiler: cProfile.Profile, reports: int, top: int = 25) -> None:
    stats = pstats.Stats(profiler)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    root = str(ROOT) + "/"
    own = []
    for (filename, line, function), (_, calls, tottime, cumtime, _callers) in raw.items():
        if filename.startswith(root) and "/benchmarks/" not in filename:
            own.append((cumtime, tottime, calls, f"{filename.removeprefix(root)}:{line}({function})"))
    own.sort(reverse=True)
    print(f"\ncProfile of a separate harmline run ({reports:,} reports), harmline's own code, top {top} by "
          "cumulative time (async functions: each resumption counts as a call)")
    print(f"  {'cumulative/report':>17} {'own/report':>11} {'calls/report':>12}  function")
    for cumtime, tottime, calls, where in own[:top]:
        print(f"  {_ms(cumtime / reports):>17} {_ms(tottime / reports):>11} {calls / reports:>12.1f}  {where}")
    everything = sorted(((tottime, calls, f"{Path(filename).name}:{line}({function})")
                         for (filename, line, function), (_, calls, tottime, _c, _r) in raw.items()), reverse=True)
    print("  top 12 of all code by own time:")
    for tottime, calls, where in everything[:12]:
        print(f"  {'':>17} {_ms(tottime / reports):>11} {calls / reports:>12.1f}  {where}")


def pin_to_one_cpu() -> str:
    """The goal is per core: keep the event loop and aiosqlite's thread on one CPU."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu} (--all-cores to lift)"


async def main_async(args: argparse.Namespace) -> None:
    n, warmup = args.reports, args.warmup
    latency = args.api_latency_ms / 1000
    cpus = f"all {os.cpu_count()} CPUs" if args.all_cores else pin_to_one_cpu()
    with tempfile.TemporaryDirectory(prefix="harmline-bench-") as tmp:
        workdir = Path(tmp)
        api = f"Bot API latency {args.api_latency_ms:g} ms" if latency else "Bot API answered in-process"
        print(f"harmline ingest benchmark: {n:,} reports (+{warmup} warm-up per run), each from a different "
              f"citizen, {args.concurrency} in flight as the bot runs them (group commit)\n"
              f"Python {platform.python_version()}, python-telegram-bot "
              f"{telegram.__version__}, "
              + (f"SQLite {sqlite3.sqlite_version}" if POSTGRES is None else f"PostgreSQL at {POSTGRES}")
              + f", rate limiter off, {api}, {cpus}")
        started = time.perf_counter()
        clean = await run_harmline(workdir, "harmline", n, warmup, latency=latency, concurrency=args.concurrency)
        sequential = (clean if args.concurrency == 1
                      else await run_harmline(workdir, "harmline-sequential", n, warmup, latency=latency))
        bare_rate, bare_median = await run_bare_ptb(n, warmup)
        if POSTGRES is None:
            batched = run_sqlite(workdir, "sqlite-batched", n, warmup, batch=100)
            per_report = run_sqlite(workdir, "sqlite-per-report", n, warmup, batch=1)
            per_report_full = run_sqlite(workdir, "sqlite-per-report-full", n, warmup, batch=1, synchronous="FULL")
            ceilings = [
                ("(b) plain sqlite3: report+message+delivery rows, commit every 100", batched),
                ("    for reference: sqlite3, same rows, commit every report", per_report),
                ("    for reference: sqlite3, commit every report, synchronous=FULL", per_report_full),
            ]
        else:
            batched = await run_postgres(workdir, "postgres-batched", n, warmup, batch=100)
            per_report = await run_postgres(workdir, "postgres-per-report", n, warmup, batch=1)
            ceilings = [
                ("(b) plain psycopg: report+message+delivery rows, commit every 100", batched),
                ("    for reference: psycopg, same rows, commit every report", per_report),
            ]
        check = check_database(clean)
        instrumented = await run_harmline(workdir, "harmline-instrumented", n, warmup, instrument=True,
                                          latency=latency)
        isolated = isolated_costs(n, warmup)
        profiler = None
        if args.profile:
            profiler = cProfile.Profile()
            await run_harmline(workdir, "harmline-profiled", n, warmup, profiler=profiler, latency=latency)

        rate, median = clean.rate, statistics.median(clean.latencies)
        table = [
            (f"harmline: JSON → de_json → process_update → stored + acknowledged, {args.concurrency} in flight",
             rate),
            ("    the same, one update at a time (no group commit possible)", sequential.rate),
            ("(a) python-telegram-bot alone: same updates, do-nothing handler", bare_rate),
            *ceilings,
        ]
        print(f"\n  {'path':<68} {'reports/s':>10} {'per report':>11}")
        for label, value in table:
            print(f"  {label:<68} {_rate(value):>10} {_ms(1 / value):>11}")
        print(f"\n  harmline / (a) python-telegram-bot ceiling: {rate / bare_rate:6.1%}")
        print(f"  harmline / (b) {'sqlite3' if POSTGRES is None else 'psycopg'} ceiling:             "
              f"{rate / batched:6.1%}")
        print(f"  harmline latency per report: median {_ms(median)}, p95 {_ms(percentile(clean.latencies, 0.95))}, "
              f"p99 {_ms(percentile(clean.latencies, 0.99))}, max {_ms(max(clean.latencies))} "
              f"(do-nothing handler: median {_ms(bare_median)})")
        expected = n + warmup
        print(f"\n  correctness: {expected:,} updates → {check.reports:,} reports, {check.messages:,} messages, "
              f"{check.pending:,} pending deliveries ({check.one_pending_each:,} reports with exactly one), "
              f"{check.followup_ids:,} follow-up ids stored, {check.attempted} deliveries attempted, "
              f"{check.forwarded} messages to the contact chat: {'OK' if check.ok(expected) else 'MISMATCH'}")
        print("  Bot API calls in the clean run: "
              + ", ".join(f"{name} {count:,}" for name, count in sorted(clean.request.calls.items())))
        print(f"  committed before its acknowledgement (second connection, every 25th ack of the instrumented "
              f"run): {instrumented.acks_committed}/{instrumented.acks_checked}")
        if POSTGRES is None:
            print(f"  harmline commits with journal_mode=WAL, synchronous={clean.synchronous}"
                  + (": a commit survives a crash of the process, not a power cut (no fsync per commit)"
                     if clean.synchronous == "NORMAL" else ""))
        else:
            print(f"  the PostgreSQL server runs with {clean.synchronous}")
        verdict = "MET" if rate >= GOAL_PER_SECOND else "NOT MET"
        print(f"\n  goal ≥ {GOAL_PER_SECOND:,} reports/s on one core, each committed before its acknowledgement: "
              f"{verdict} ({_rate(rate)} reports/s = {rate / GOAL_PER_SECOND:.0%} of the goal)")

        print_breakdown(instrumented, clean, isolated)
        if profiler is not None:
            print_profile(profiler, n)
        print(f"\n(benchmark time {time.perf_counter() - started:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=3000, help="timed reports per run (default 3000)")
    parser.add_argument("--warmup", type=int, default=100, help="untimed reports before each run (default 100)")
    parser.add_argument("--profile", action="store_true", help="also cProfile a harmline run")
    parser.add_argument("--concurrency", type=int, default=MAX_CONCURRENT_UPDATES,
                        help=f"updates in flight, as harmline's update processor allows (default "
                             f"{MAX_CONCURRENT_UPDATES}); 1 = one at a time")
    parser.add_argument("--all-cores", action="store_true", help="do not pin the process to one CPU")
    parser.add_argument("--postgres", metavar="URL",
                        help="run on PostgreSQL: a server URL (…/postgres) where fresh databases are made per run")
    parser.add_argument("--api-latency-ms", type=float, default=0.0,
                        help="delay every Bot API answer by this much (default 0: answer at once)")
    args = parser.parse_args()
    global POSTGRES
    POSTGRES = args.postgres
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
