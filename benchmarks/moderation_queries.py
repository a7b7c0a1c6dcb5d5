"""Moderators' queue, /stats, merge candidates and /find with a million stored reports.

Builds a real harmline database (migrations applied by harmline's own Database, rows then
bulk-loaded with plain sqlite3) holding ``--reports`` reports (default 1,000,000) received over
the last year in the eleven ASEAN countries, skewed as real traffic is (Indonesia, the
Philippines and Viet Nam send most): nearly all decided (confirmed, rejected, merged, each with
its decision time and moderator), an undecided backlog of ~2.5 % (new, in review) mostly from
the last weeks plus a tail of old ones, ~0.3 % waiting for the citizen, some withdrawn and a
few still being written. Each report has one message (its text, in the report's language: the
queue's excerpt and /find's full-text index), and most a phone number or link some of them
share (merge candidates). The file is kept (``--database``) and reused while it holds the same
number of reports, so a second run starts measuring at once.

Then times, through the objects the bot uses (``Moderation`` scoping by the moderator's
countries, ``ModerationStore``, harmline's one aiosqlite connection), p50/p95/max over
``--repeat`` calls: the queue (first page of one big country; every country, as an admin sees
it; page 10; a category and a language filter), /stats for one country and for all eleven (one
admin /stats), merge candidates and /find of a five-letter word. Beside them, in the same run:
the same queue page as one plain sqlite3 statement on the same file (no aiosqlite, no merging in
Python), a ``COUNT(*)`` of all reports and one aiosqlite round trip. The queue's pages are also
checked against that plain statement's.

    cd /work/main && /tmp/venv/bin/python benchmarks/moderation_queries.py [--reports 1000000]
        [--repeat 200] [--database PATH] [--rebuild]

Prints figures only; asserts nothing. The goal: queue and /stats p95 < 50 ms at 1M reports.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harmline.moderation.roles import Roster  # noqa: E402
from harmline.services.moderation import Moderation  # noqa: E402
from harmline.settings.model import ModeratorSettings, Settings, TelegramSettings  # noqa: E402
from harmline.storage import Database, store_on  # noqa: E402
from harmline.storage.migrations import MIGRATIONS  # noqa: E402
from harmline.storage.moderation import _ITEM_COLUMNS  # noqa: E402

GOAL_MS = 50.0
GENERATOR = 1  # bump when the generated data changes: a cached file of another version is rebuilt
SEED = 20260318
NOW = datetime(2026, 3, 18, 9, 30, tzinfo=UTC)  # a Wednesday; fixed, so a cached file stays valid
NOW_TS = NOW.timestamp()
DAY = 86400.0
ADMIN, ID_MODERATOR = 1, 2
BIG = "ID"
PAGE = 5

# Share of all reports, by country (ISO code), and the country's dialling code.
COUNTRY_WEIGHTS = {"ID": 30, "PH": 18, "VN": 14, "TH": 12, "MY": 10, "MM": 6, "KH": 3.5, "SG": 3, "LA": 1.5,
                   "BN": 0.6, "TL": 0.4}
DIALLING = {"ID": "62", "PH": "63", "VN": "84", "TH": "66", "MY": "60", "MM": "95", "KH": "855", "SG": "65",
            "LA": "856", "BN": "673", "TL": "670"}
COUNTRIES = tuple(COUNTRY_WEIGHTS)
# The language the text was detected in, by country (None: too short to tell).
LANGUAGES: dict[str, list[tuple[str | None, float]]] = {
    "ID": [("id", 85), ("en", 8), ("ms", 4), (None, 3)],
    "PH": [("fil", 60), ("en", 35), (None, 5)],
    "VN": [("vi", 90), ("en", 7), (None, 3)],
    "TH": [("th", 88), ("en", 9), (None, 3)],
    "MY": [("ms", 60), ("en", 25), ("zh", 10), ("ta", 3), (None, 2)],
    "MM": [("my", 85), ("en", 10), (None, 5)],
    "KH": [("km", 80), ("en", 15), (None, 5)],
    "SG": [("en", 70), ("zh", 20), ("ms", 7), ("ta", 3)],
    "LA": [("lo", 75), ("th", 15), ("en", 10)],
    "BN": [("ms", 70), ("en", 30)],
    "TL": [("tet", 50), ("pt", 20), ("id", 20), ("en", 10)],
}
SCAM, GAMBLING, FRAUD, OTHER = "scam", "illegal_gambling", "fraudulent_content", "other"
# What citizens write, by language: (category, text). {phone}, {site}, {acct} and {amt} are filled in.
TEXTS: dict[str | None, list[tuple[str, str]]] = {
    "en": [
        (SCAM, "Got a WhatsApp message offering a part-time job, {amt} a day, but they want a deposit first."
               " Number {phone}"),
        (SCAM, "Someone on Facebook sold me a phone and never sent it. I paid {amt} to account {acct}"),
        (GAMBLING, "This site {site} is an online casino, their ads are all over TikTok"),
        (FRAUD, "Fake bank SMS asking me to verify my account at {site}"),
        (SCAM, "They say I won a lucky draw and must pay the tax first, call {phone}"),
        (OTHER, "Not sure if this is a scam, the caller {phone} kept asking for my IC number"),
    ],
    "id": [
        (SCAM, "Ada tawaran kerja paruh waktu lewat WhatsApp, gaji {amt} per hari, harus transfer dulu."
               " Nomor {phone}"),
        (SCAM, "Saya ditipu beli barang di Facebook, sudah transfer {amt} ke rekening {acct}"),
        (GAMBLING, "Situs judi online {site} promosi di Instagram, bonus deposit 100%"),
        (SCAM, "Lowongan kerja palsu, diminta bayar biaya pelatihan {amt} ke {acct}"),
        (FRAUD, "SMS hadiah undian dari bank, disuruh klik {site}"),
        (SCAM, "Kurir palsu minta bayar ongkir {amt}, hubungi {phone}"),
    ],
    "ms": [
        (SCAM, "Tawaran kerja sambilan di Telegram, bayar {amt} dulu untuk daftar. Nombor {phone}"),
        (SCAM, "Saya beli barang di kedai palsu, bayar {amt} ke akaun {acct} tapi tiada barang"),
        (GAMBLING, "Laman judi dalam talian {site} iklan di TikTok"),
        (SCAM, "Panggilan kononnya dari polis, minta pindah wang ke akaun {acct}"),
    ],
    "th": [
        (SCAM, "มีคนโทรมาอ้างว่าเป็นตำรวจ ให้โอนเงิน {amt} บาท ไปบัญชี {acct}"),
        (GAMBLING, "เว็บพนันออนไลน์ {site} โฆษณาใน Facebook"),
        (SCAM, "ชวนทำงานออนไลน์ได้เงินวันละ {amt} บาท ต้องจ่ายค่าสมัครก่อน โทร {phone}"),
        (FRAUD, "SMS ปลอมจากธนาคาร ให้กดลิงก์ {site}"),
    ],
    "vi": [
        (SCAM, "Có người gọi tự xưng công an, yêu cầu chuyển {amt} đồng vào tài khoản {acct}"),
        (GAMBLING, "Trang cờ bạc trực tuyến {site} quảng cáo trên Facebook"),
        (SCAM, "Tuyển cộng tác viên online, phải nạp tiền trước, Zalo {phone}"),
        (FRAUD, "Tin nhắn giả mạo ngân hàng, bảo bấm vào {site}"),
    ],
    "fil": [
        (SCAM, "May nag-text na nanalo daw ako ng premyo, kailangan magbayad ng {amt} sa GCash {phone}"),
        (GAMBLING, "Online sabong site {site} sa Facebook, maraming naglalaro"),
        (SCAM, "Trabaho online daw pero pinagbayad ako ng {amt} bago magsimula, {phone}"),
    ],
    "zh": [
        (SCAM, "有人冒充银行客服，要求转账{amt}到账户{acct}"),
        (GAMBLING, "网上赌博网站{site}在Telegram推广"),
    ],
    "ta": [(SCAM, "வேலை வாய்ப்பு என்று கூறி {amt} பணம் கேட்டார்கள் {phone}")],
    "km": [
        (SCAM, "មានគេទូរស័ព្ទមកប្រាប់ថាខ្ញុំឈ្នះរង្វាន់ ត្រូវផ្ញើប្រាក់ {amt} {phone}"),
        (GAMBLING, "គេហទំព័រល្បែងស៊ីសង {site} នៅលើ Facebook"),
    ],
    "lo": [(SCAM, "ມີຄົນໂທມາບອກວ່າຂ້ອຍໄດ້ລາງວັນ ໃຫ້ໂອນເງິນ {amt} {phone}")],
    "my": [
        (SCAM, "ဆုကြေးရရှိသည်ဟုဆိုပြီး ငွေ {amt} လွှဲခိုင်းသည် {phone}"),
        (GAMBLING, "အွန်လိုင်းလောင်းကစား {site}"),
    ],
    "tet": [(SCAM, "Ema ida telefone hau, dehan hau manan premiu, tenke selu {amt} {phone}")],
    "pt": [(SCAM, "Recebi uma mensagem a dizer que ganhei um prémio, pedem {amt} {phone}")],
    None: [(SCAM, "{phone} ??"), (GAMBLING, "{site}"), (OTHER, "scam!! {acct}")],
}
SITE_WORDS = ("judi", "slot", "bet", "lucky", "win", "casino", "sabong", "hoki", "gacor", "jackpot")
PLATFORMS = (None, "facebook", "tiktok", "instagram", "telegram", "whatsapp")
REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # reports.reference's alphabet
HOT_NUMBERS = 20  # per country: numbers behind a scam campaign, reported hundreds of times
COMMON_WORD = "kerja"  # "work" in Malay and Indonesian: every job-scam report says it


def stamp(ts: float) -> str:
    """storage.codec.to_text, from a POSIX time (much faster than via datetime, for a million rows)."""
    seconds = int(ts)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int((ts - seconds) * 1e6):06d}Z"


def reference(country: str, report_id: int) -> str:
    """A random-looking reference, unique by construction (a bijection of the id modulo 29**8)."""
    n, chars = (report_id * 2_654_435_761 + 12_345) % 29**8, []
    for _ in range(8):
        n, digit = divmod(n, 29)
        chars.append(REF_ALPHABET[digit])
    return f"{country}-{''.join(chars)}"


def phone(country: str, number: int) -> str:
    return f"+{DIALLING[country]}8{number:08d}"


# --- building the database ---------------------------------------------------------------------

# Kinds of report in the plan, before ids are given in order of arrival.
NEW_RECENT, NEW_OLD, NEEDS_INFO, CANCELLED, COLLECTING, DECIDED = range(6)


def plan(count: int, rng: random.Random) -> list[tuple[float, int, int]]:
    """(received at, kind, country index) of every report, oldest first."""
    countries = rng.choices(range(len(COUNTRIES)), weights=list(COUNTRY_WEIGHTS.values()), k=count)
    collecting = max(1, round(count * 300 / (365 * DAY)))  # the last five minutes' reports
    rows: list[tuple[float, int, int]] = []
    for n, country in enumerate(countries):
        if n < collecting:
            rows.append((NOW_TS - rng.uniform(0, 300), COLLECTING, country))
            continue
        draw = rng.random()
        if draw < 0.020:  # the backlog: mostly the last weeks' reports ...
            kind, age = NEW_RECENT, min(rng.expovariate(1 / 4.0), 364.0)
        elif draw < 0.025:  # ... and a tail nobody got to
            kind, age = NEW_OLD, rng.uniform(7.0, 364.0)
        elif draw < 0.028:
            kind, age = NEEDS_INFO, min(rng.expovariate(1 / 5.0), 364.0)
        elif draw < 0.043:
            kind, age = CANCELLED, rng.uniform(0.0, 364.0)
        else:  # decided; traffic grew over the year (three times as many reports now as a year ago)
            kind, age = DECIDED, 364.0 * (1.5 - math.sqrt(1 + 8 * rng.random()) / 2)
        rows.append((NOW_TS - 300 - age * DAY, kind, country))
    rows.sort()
    return rows


@dataclass
class Filled:
    reports: int
    messages: int
    indicators: int
    links: int
    seconds: dict[str, float]


def fill(path: Path, count: int) -> Filled:
    """Bulk-load reports, their messages, indicators and links with plain sqlite3 (setup, not
    what is measured), then build the full-text index."""
    rng = random.Random(SEED)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    arrivals = plan(count, rng)
    seconds["plan"] = time.perf_counter() - started
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=OFF")  # a failed build is thrown away whole
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-1000000")
    connection.execute("BEGIN")
    recent: dict[str, list[int]] = {c: [] for c in COUNTRIES}  # merge targets
    language_cum = {c: list(itertools.accumulate(w for _, w in LANGUAGES[c])) for c in COUNTRIES}
    phone_pool = max(1000, count // 4)
    site_pool = max(100, count // 50)
    totals = [0, 0, 0]

    def chunks(size: int = 20_000) -> Iterator[tuple[list[tuple[Any, ...]], ...]]:
        reports: list[tuple[Any, ...]] = []
        messages: list[tuple[Any, ...]] = []
        indicators: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        for report_id, (created, kind, country_index) in enumerate(arrivals, start=1):
            country = COUNTRIES[country_index]
            cum = language_cum[country]
            language = LANGUAGES[country][bisect.bisect(cum, rng.random() * cum[-1])][0]
            category, template = rng.choice(TEXTS[language])
            hot = rng.random() < 0.04
            number = rng.randrange(HOT_NUMBERS) if hot else rng.randrange(HOT_NUMBERS, HOT_NUMBERS + phone_pool)
            site = f"{rng.choice(SITE_WORDS)}{rng.randrange(site_pool)}.com"
            values = {"phone": phone(country, number), "site": site, "acct": f"{rng.randrange(10**9, 10**10)}",
                      "amt": f"{rng.randrange(1, 500) * 100:,}"}
            text = template.format(**values)
            completed: float | None = created + rng.uniform(30, 300)
            status, decided_at, decided_by, decision, merged_into = "new", None, None, None, None
            if kind == COLLECTING:
                status, completed = "collecting", None
            elif kind == CANCELLED:
                status = "cancelled"
                if rng.random() < 0.5:
                    completed = None
            elif kind == NEEDS_INFO:
                status = "needs_info"
            elif kind in (NEW_RECENT, NEW_OLD):
                status = "in_review" if rng.random() < 0.3 else "new"
            else:
                assert completed is not None
                draw = rng.random()
                status = "confirmed" if draw < 0.62 else "rejected" if draw < 0.9 else "merged"
                decision = int(rng.lognormvariate(math.log(6 * 3600), 1.3))
                if completed + decision > NOW_TS:
                    decision = int(rng.uniform(0, NOW_TS - completed))
                decided_at = stamp(completed + decision)
                decided_by = f"moderator {country}-{rng.randrange(1, 6)}"
                if status == "merged" and recent[country]:
                    merged_into = rng.choice(recent[country])
                    links.append((report_id, merged_into, "script", round(rng.uniform(0.8, 1.0), 3)))
            if status not in ("merged", "cancelled", "collecting"):
                recent[country].append(report_id)
                if len(recent[country]) > 2000:
                    del recent[country][:1000]
            received = stamp(created)
            completed_text = stamp(completed) if completed is not None else None
            reports.append((
                report_id, reference(country, report_id), country, status, language or "en", language,
                None if language is None else round(rng.uniform(0.6, 1.0), 3), category, "bench",
                rng.choice(PLATFORMS), None, None, received, completed_text or received, stamp(created + 300),
                completed_text, int(rng.random() < 0.005), merged_into, decided_at, decided_by, decision,
            ))
            messages.append((report_id, report_id, report_id, text, received))
            live = int(status != "cancelled")
            if "{phone}" in template:
                indicators.append((report_id, "phone", values["phone"], None, country, category, received, live))
            if "{site}" in template:
                indicators.append((report_id, "url", f"https://{site}/", site, country, category, received, live))
            if len(reports) >= size:
                yield reports, messages, indicators, links
                reports, messages, indicators, links = [], [], [], []
        yield reports, messages, indicators, links

    started = time.perf_counter()
    for reports, messages, indicators, links in chunks():
        connection.executemany(
            "INSERT INTO reports (id, reference, country, status, reply_language, detected_language,"
            " language_confidence, category, category_reason, platform, money_lost, loss_amount, created_at,"
            " last_message_at, followup_deadline, completed_at, urgent, merged_into, decided_at, decided_by,"
            " decision_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", reports)
        connection.executemany(
            "INSERT INTO report_messages (id, report_id, telegram_message_id, text, received_at)"
            " VALUES (?, ?, ?, ?, ?)", messages)
        connection.executemany(
            "INSERT INTO indicators (report_id, kind, value, detail, report_country, report_category,"
            " report_created_at, report_live) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", indicators)
        connection.executemany(
            "INSERT INTO report_links (report_id, earlier_id, match, score) VALUES (?, ?, ?, ?)", links)
        totals[0] += len(indicators)
        totals[1] += len(links)
    seconds["rows"] = time.perf_counter() - started
    started = time.perf_counter()
    # The same rows the bot's "INSERT INTO report_search (rowid, text)" would have written, in one pass.
    connection.execute("INSERT INTO report_search (report_search) VALUES ('rebuild')")
    seconds["full-text index"] = time.perf_counter() - started
    started = time.perf_counter()
    connection.execute("ANALYZE")  # as a long-running database would have (PRAGMA optimize)
    connection.execute("CREATE TABLE benchmark_build (generator INTEGER, reports INTEGER, seconds REAL)")
    connection.execute("INSERT INTO benchmark_build VALUES (?, ?, ?)", (GENERATOR, count, sum(seconds.values())))
    connection.execute("COMMIT")
    connection.close()
    seconds["analyze"] = time.perf_counter() - started
    return Filled(count, count, totals[0], totals[1], seconds)


def cached(path: Path, count: int) -> float | None:
    """The build time of a usable cached file, or None if it must be built."""
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            generator, reports, seconds = connection.execute(
                "SELECT generator, reports, seconds FROM benchmark_build").fetchone()
            version = connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
            stored = connection.execute("SELECT MAX(id) FROM reports").fetchone()[0]
        finally:
            connection.close()
    except (sqlite3.Error, TypeError):
        return None
    fits = generator == GENERATOR and reports == count == stored and version == len(MIGRATIONS)
    return float(seconds) if fits else None


async def build(path: Path, count: int) -> None:
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        stale.unlink(missing_ok=True)
    database = Database(str(path))
    await database.open()  # migrations: the real schema and indexes
    await database.close()
    started = time.perf_counter()
    filled = fill(path, count)
    total = time.perf_counter() - started
    parts = ", ".join(f"{name} {value:.1f} s" for name, value in filled.seconds.items())
    print(f"built {path}: {filled.reports:,} reports and messages, {filled.indicators:,} indicators,"
          f" {filled.links:,} links in {total:.1f} s ({parts})")


# --- measuring ---------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def timed(call: Callable[[], Awaitable[object]], repeat: int, budget: float) -> list[float]:
    for _ in range(3):  # warm the page cache and the statement cache
        await call()
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < repeat and (len(times) < 5 or time.perf_counter() < deadline):
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def timed_plain(call: Callable[[], object], repeat: int, budget: float) -> list[float]:
    for _ in range(3):
        call()
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < repeat and (len(times) < 5 or time.perf_counter() < deadline):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def plain_queue(connection: sqlite3.Connection, countries: Sequence[str], *, category: str | None = None,
                language: str | None = None, offset: int = 0) -> tuple[int, list[str]]:
    """The queue page as one plain statement (and its count): what SQLite alone needs for it."""
    where = f"r.status IN ('new', 'in_review') AND r.country IN ({', '.join('?' * len(countries))})"
    params: list[object] = list(countries)
    if category:
        where += " AND r.category = ?"
        params.append(category)
    if language:
        where += " AND r.detected_language = ?"
        params.append(language)
    total = connection.execute(f"SELECT COUNT(*) FROM reports r WHERE {where}", params).fetchone()[0]
    rows = connection.execute(f"SELECT {_ITEM_COLUMNS} FROM reports r WHERE {where}"
                              " ORDER BY r.completed_at, r.id LIMIT ? OFFSET ?", (*params, PAGE, offset)).fetchall()
    return int(total), [row[1] for row in rows]


@dataclass
class Case:
    name: str
    group: str  # "queue", "stats" (the goal applies) or "other"
    call: Callable[[], Awaitable[object]]
    plain: Callable[[], object] | None = None


class Recorder:
    """Wraps Database.fetch_all on the instance to time each statement of one call."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.original = database.fetch_all
        self.log: list[tuple[float, str, Sequence[Any]]] = []

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        start = time.perf_counter()
        rows = await self.original(sql, params)
        self.log.append(((time.perf_counter() - start) * 1000, sql, params))
        return rows

    async def record(self, call: Callable[[], Awaitable[object]]) -> list[tuple[float, str, Sequence[Any]]]:
        self.log = []
        self.database.fetch_all = self.fetch_all  # type: ignore[method-assign]
        try:
            await call()
        finally:
            del self.database.fetch_all  # back to the class's method
        return self.log


def explain(connection: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[str]:
    return [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]


async def measure(path: Path, args: argparse.Namespace) -> None:
    settings = Settings(telegram=TelegramSettings(token="0:benchmark"), database=str(path), countries=COUNTRIES,
                        admins=(ADMIN,), moderators=(ModeratorSettings(ID_MODERATOR, (BIG,)),))
    database = Database(str(path))
    await database.open()
    plain = sqlite3.connect(path)
    try:
        await compare(database, plain, settings, args)
    finally:  # aiosqlite's thread would keep the process alive
        plain.close()
        await database.close()


async def compare(database: Database, plain: sqlite3.Connection, settings: Settings,
                  args: argparse.Namespace) -> None:
    moderation = Moderation(store_on(database), Roster(settings), settings, lambda: NOW)
    store = moderation.store
    count = plain.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    undecided = dict(plain.execute("SELECT country, COUNT(*) FROM reports WHERE status IN ('new', 'in_review')"
                                   " GROUP BY country").fetchall())
    path = Path(database.path)
    size = sum(p.stat().st_size for p in path.parent.glob(f"{path.name}*"))
    print(f"\n{count:,} reports, {sum(undecided.values()):,} undecided ({BIG} {undecided.get(BIG, 0):,},"
          f" smallest {min(undecided.values()):,}), database {size / 2**20:,.0f} MiB, SQLite {sqlite3.sqlite_version}")
    statuses = plain.execute("SELECT status, COUNT(*) FROM reports GROUP BY status ORDER BY 2 DESC").fetchall()
    print("statuses: " + ", ".join(f"{status} {n / count:.2%}" for status, n in statuses))

    # Reports to look for merge candidates of: undecided ones of the big country, with a number
    # behind a campaign (reported hundreds of times) and with an ordinary one (a few times).
    def with_number(hot: bool) -> tuple[int, int]:
        condition = "<" if hot else ">="
        report_id, value = plain.execute(
            "SELECT i.report_id, i.value FROM indicators i JOIN reports r ON r.id = i.report_id"
            f" WHERE r.country = ? AND r.status = 'new' AND i.kind = 'phone' AND substr(i.value, -8) + 0 {condition} ?"
            " AND (SELECT COUNT(*) FROM indicators o WHERE o.kind = 'phone' AND o.value = i.value) > 1"
            " ORDER BY i.report_id DESC LIMIT 1", (BIG, HOT_NUMBERS)).fetchone()
        shared = plain.execute("SELECT COUNT(*) FROM indicators WHERE kind = 'phone' AND value = ?",
                               (value,)).fetchone()[0]
        return int(report_id), int(shared)

    hot_id, hot_shared = with_number(True)
    usual_id, usual_shared = with_number(False)
    word_hits = plain.execute("SELECT COUNT(*) FROM report_search WHERE report_search MATCH ?",
                              (f'"{COMMON_WORD}"',)).fetchone()[0]
    rare = "hoki7"  # a gambling site's name: hoki7.com, hoki70.com …
    rare_hits = plain.execute("SELECT COUNT(*) FROM report_search WHERE report_search MATCH ?",
                              (f'"{rare}"',)).fetchone()[0]
    category, language = "illegal_gambling", "en"

    def queue(user: int, **kw: Any) -> Callable[[], Awaitable[object]]:
        return lambda: moderation.queue(user, **kw)

    def plain_page(countries: Sequence[str], **kw: Any) -> Callable[[], object]:
        return lambda: plain_queue(plain, countries, **kw)

    cases = [
        Case(f"queue {BIG}, page 1", "queue", queue(ID_MODERATOR), plain_page((BIG,))),
        Case(f"queue {BIG}, page 10 (offset 45)", "queue", queue(ID_MODERATOR, offset=45),
             plain_page((BIG,), offset=45)),
        Case("queue all 11 (admin), page 1", "queue", queue(ADMIN), plain_page(COUNTRIES)),
        Case("queue all 11, page 10 (offset 45)", "queue", queue(ADMIN, offset=45), plain_page(COUNTRIES, offset=45)),
        Case(f"queue all 11, category={category}", "queue", queue(ADMIN, category=category),
             plain_page(COUNTRIES, category=category)),
        Case(f"queue all 11, language={language}", "queue", queue(ADMIN, language=language),
             plain_page(COUNTRIES, language=language)),
        Case(f"/stats {BIG}", "stats", lambda: moderation.figures(ID_MODERATOR)),
        Case("/stats all 11 (admin)", "stats", lambda: moderation.figures(ADMIN)),
        Case(f"merge candidates (number in {hot_shared:,} reports)", "other",
             lambda: store.merge_candidates(hot_id, BIG)),
        Case(f"merge candidates (number in {usual_shared} reports)", "other",
             lambda: store.merge_candidates(usual_id, BIG)),
        Case(f"/find {COMMON_WORD} as {BIG} ({word_hits:,} texts)", "other",
             lambda: moderation.find(ID_MODERATOR, COMMON_WORD)),
        Case(f"/find {COMMON_WORD} as admin", "other", lambda: moderation.find(ADMIN, COMMON_WORD)),
        Case(f"/find {rare} as admin ({rare_hits:,} texts)", "other", lambda: moderation.find(ADMIN, rare)),
    ]

    # The floors, in the same run: a COUNT(*) of every report, and one hop to aiosqlite's thread.
    count_all = timed_plain(lambda: plain.execute("SELECT COUNT(*) FROM reports").fetchone(), args.repeat,
                            args.budget)
    hop = await timed(lambda: database.fetch_one("SELECT 1"), args.repeat, args.budget)
    count_p50 = statistics.median(count_all)
    print(f"floors: plain sqlite3 SELECT COUNT(*) FROM reports p50 {count_p50:.2f} ms;"
          f" one aiosqlite round trip (SELECT 1) p50 {statistics.median(hop):.3f} ms\n")

    print(f"  {'query':<44}{'n':>5}{'p50':>9}{'p95':>9}{'max':>9}{'sqlite3 p50':>13}{'× sqlite3':>11}"
          f"{'× COUNT(*)':>12}{'stmts':>7}  (ms)")
    recorder = Recorder(database)
    slow: list[tuple[str, list[tuple[float, str, Sequence[Any]]]]] = []
    worst = 0.0
    for case in cases:
        ours = await timed(case.call, args.repeat, args.budget)
        p50, p95 = statistics.median(ours), percentile(ours, 0.95)
        floor = timed_plain(case.plain, args.repeat, args.budget) if case.plain else None
        statements = await recorder.record(case.call)
        if case.group != "other":
            worst = max(worst, p95)
        floor_text = f"{statistics.median(floor):>13.2f}{p50 / statistics.median(floor):>11.1f}" if floor else \
            f"{'':>13}{'':>11}"
        print(f"  {case.name:<44}{len(ours):>5}{p50:>9.2f}{p95:>9.2f}{max(ours):>9.2f}{floor_text}"
              f"{p50 / count_p50:>12.2f}{len(statements):>7}")
        if p95 >= GOAL_MS or (case.group != "other" and p95 >= GOAL_MS / 5):
            slow.append((case.name, statements))
    met = worst < GOAL_MS
    print(f"\n  goal: queue and /stats p95 < {GOAL_MS:g} ms: {'met' if met else 'NOT met'} (worst p95 {worst:.2f} ms)")

    # Is each queue page the one SQLite gives for the whole scope in one ordered statement?
    print("\n  queue pages checked against the plain statement:")
    for offset in (0, 45, 200):
        filters: list[dict[str, Any]] = [{}, {"category": category}, {"language": language},
                                         {"category": SCAM, "language": "ms"}]
        for kw in filters:
            page = await moderation.queue(ADMIN, offset=offset, **kw)
            total, references = plain_queue(plain, COUNTRIES, offset=offset, **kw)
            mine = [item.reference for item in page.items]
            verdict = "same" if (page.total, mine) == (total, references) else "DIFFERENT"
            label = ", ".join(f"{k}={v}" for k, v in kw.items()) or "no filter"
            print(f"    all 11, {label:<32} offset {offset:>3}: {verdict} (total {page.total:,}/{total:,},"
                  f" {len(set(mine) & set(references))}/{len(references)} of the page)")

    # Where the time of the slow ones (and of any queue or /stats over a fifth of the goal) goes.
    for name, statements in slow:
        by_sql: dict[str, list[float]] = {}
        for ms, sql, _ in statements:
            by_sql.setdefault(sql, []).append(ms)
        print(f"\n  {name}: {len(statements)} statements, {sum(s[0] for s in statements):.1f} ms in all (one call)")
        for sql, times in sorted(by_sql.items(), key=lambda item: -sum(item[1]))[:3]:
            print(f"    {sum(times):7.2f} ms in {len(times):>2} × {sql[:150]}{' …' if len(sql) > 150 else ''}")
        ms, sql, params = max(statements, key=lambda s: s[0])
        print(f"    the slowest ({ms:.2f} ms), with params {tuple(params)}:")
        for line in explain(plain, sql, params):
            print(f"      plan: {line}")


async def main_async(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    path = Path(args.database or Path(tempfile.gettempdir()) / f"harmline-moderation-{args.reports}.db")
    seconds = None if args.rebuild else cached(path, args.reports)
    if seconds is None:
        await build(path, args.reports)
    else:
        print(f"reusing {path} (built in {seconds:.0f} s; --rebuild to build it again)")
    await measure(path, args)
    print(f"\n(whole run {time.perf_counter() - started:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=1_000_000, help="stored reports (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=200, help="timed calls per query (default 200)")
    parser.add_argument("--budget", type=float, default=10.0,
                        help="seconds per query at most (at least 5 calls; default 10)")
    parser.add_argument("--database", help="the database file to build or reuse"
                        " (default: harmline-moderation-REPORTS.db in the temporary directory)")
    parser.add_argument("--rebuild", action="store_true", help="build the database even if a fitting one exists")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
