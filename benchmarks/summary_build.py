"""Weekly summaries over a million stored reports: how long a country's summary and the regional
one take to build, and how much memory.

The data is the moderation benchmark's (``benchmarks/moderation_queries.py``: ``--reports``
reports received over a year in the eleven ASEAN countries, built once and cached as
harmline-moderation-REPORTS.db in the temporary directory). It is copied to
harmline-summary-REPORTS.db, so that cache stays as it is, migrated by harmline's own
``Database``, and given what that generator leaves empty and a summary reads: the scam type of
scam reports, whether money was lost, and the amount as citizens type it ("RM 2,500", "1,5 juta",
"2 triệu", a few unreadable ones), drawn by one UPDATE from a hash of the report's id. The copy is
kept and reused while it fits.

The measured week is the one with the most reports (the worst case, not an empty week), and the
country is that week's busiest. Timed through the objects the bot uses:

- the figures (``SummaryBuilder.country`` and ``.regional``, all eleven countries, over
  ``SummaryStore``): the first call on a fresh connection with the file evicted from the OS page
  cache (``--cold`` times), then p50/p95/max over ``--repeat`` warm calls;
- everything a recipient gets (``Summaries.files``: figures, the week's forwarded reports, the
  message, the charts, the PDF and the CSV): the same, ``--files-repeat`` calls, and where its time
  goes, part by part;
- memory: each of the four operations once in a fresh process (this script with ``--child``): its
  RSS right before the operation and its peak (``ru_maxrss``; ``VmHWM`` beside it);
- beside them, in the same run, plain sqlite3 on the same file: ``COUNT(*)`` of the two weeks'
  reports (the ix_reports_received range a summary reads) and a full scan of the reports table
  (what a summary must not do); and the plan of every statement a summary runs.

    cd /work/main && /tmp/venv/bin/python -m benchmarks.summary_build [--reports 1000000]
        [--repeat 10] [--files-repeat 3] [--cold 3] [--rebuild]

The goal: a weekly summary over 1M reports built in < 5 s and < 300 MB of peak RSS. Prints the
figures and PASS/FAIL against the goal; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.moderation_queries import (  # noqa: E402
    COUNTRIES,
    DIALLING,
    GENERATOR,
    LANGUAGES,
    Recorder,
    build,
    cached,
    explain,
    percentile,
    timed,
    timed_plain,
)
from harmline.exports.csv_export import csv_bytes  # noqa: E402
from harmline.exports.record import ExportedReport  # noqa: E402
from harmline.i18n import Catalogs  # noqa: E402
from harmline.reports.learned import SCAM_TYPES  # noqa: E402
from harmline.reports.money import parse_loss  # noqa: E402
from harmline.services.summaries import Summaries  # noqa: E402
from harmline.settings.model import REGIONAL, TIME_ZONES, Settings, TelegramSettings  # noqa: E402
from harmline.storage import Database, store_on  # noqa: E402
from harmline.storage.codec import to_text  # noqa: E402
from harmline.storage.migrations import MIGRATIONS  # noqa: E402
from harmline.summaries.build import day_starts  # noqa: E402
from harmline.summaries.charts import Chart, country_charts, regional_charts  # noqa: E402
from harmline.summaries.document import country_pdf, regional_pdf  # noqa: E402
from harmline.summaries.figures import CountrySummary, RegionalSummary  # noqa: E402
from harmline.summaries.files import SummaryFiles  # noqa: E402
from harmline.summaries.message import country_message, regional_message  # noqa: E402
from harmline.summaries.week import Week  # noqa: E402

GOAL_SECONDS = 5.0
GOAL_MB = 300.0  # peak RSS, in MB of 10^6 bytes (286 MiB)
SUPPLEMENT = 4  # bump when the filled-in columns change: a kept copy of another version is made again
REGIONAL_LANGUAGE = "en"

# The classifier's scam types among scam reports, in percent (job and phishing lead in the region).
SCAM_TYPE_SHARES = {"job": 22, "phishing": 18, "investment": 15, "shopping": 14, "impersonation": 12,
                    "prize": 7, "loan": 5, "romance": 4, "other": 3}
# The answer to "did you lose money?", in percent of reports: (yes, no); the rest skipped it.
MONEY_LOST_SCAM = (45, 30)
MONEY_LOST_OTHER = (4, 56)
LOSS_STATED = 88  # percent of those who lost money who typed an amount
# Amounts as citizens type them, eight per country; parse_loss reads all but the last (None).
LOSS_TEXTS: dict[str, tuple[str, ...]] = {
    "ID": ("Rp 2.500.000", "1,5 juta", "Rp500rb", "750 ribu", "Rp 12 juta", "300.000", "sekitar 5 jt", "banyak"),
    "PH": ("₱5,000", "P 12,500", "3k", "1,500 pesos", "PHP 20000", "800", "1,000 USDT", "hindi ko alam"),
    "VN": ("2 triệu", "500 nghìn", "1.500.000đ", "15 triệu đồng", "3tr5", "200k", "50 triệu", "không nhớ"),
    "TH": ("5,000 บาท", "2 หมื่น", "15000", "฿1,200", "3 แสนบาท", "800 บาท", "1.5 ล้าน", "ไม่แน่ใจ"),
    "MY": ("RM 2,500", "RM500", "3k", "RM 12,000", "rm1.2k", "800 ringgit", "RM 45,000", "tak pasti"),
    "MM": ("500,000 ကျပ်", "2 သိန်း", "1500000", "30 သိန်း", "ks 200,000", "50,000", "1 သိန်း", "မသိ"),
    "KH": ("$300", "200 USD", "400000 riel", "$1,500", "50 ដុល្លារ", "$80", "1000000 រៀល", "មិនដឹង"),
    "SG": ("$2,000", "S$15,000", "800", "$120", "SGD 50k", "3,500", "USDT 5,000", "not sure"),
    "LA": ("2,000,000 ກີບ", "500000", "1 ລ້ານກີບ", "300,000 kip", "$200", "5 ແສນ", "10,000,000", "ບໍ່ຮູ້"),
    "BN": ("B$1,200", "$500", "BND 3000", "$80", "2,000", "ringgit 700", "$15,000", "tidak tahu"),
    "TL": ("$150", "200 dólares", "USD 1,000", "$50", "2 mil dólares", "$300", "80", "la hatene"),
}
LOSS_CHOICES = 8
# New campaigns: each week, this per mille of a country's reports carry one of a few numbers
# nobody reported before (a summary's "new clusters"; the generator's numbers are reported all year).
CAMPAIGN_PER_MILLE = 10
CAMPAIGNS_PER_WEEK = 5

# The statements a summary runs, named by a piece of their SQL (the first that matches).
STATEMENTS = (
    ("SummaryStore.tallies", "GROUP BY 1, 2, 3, 4, 5, 6"),
    ("SummaryStore.losses", "SELECT r.loss_value, r.loss_currency FROM reports"),
    ("SummaryStore.decision_seconds", "SELECT decision_seconds FROM reports"),
    ("SummaryStore.repeated_values", "JOIN indicators i ON i.report_id = r.id"),
    ("SummaryStore.history", "MIN(report_created_at) FROM indicators WHERE kind"),
    ("SummaryStore.spread", "FROM indicators i JOIN reports r"),
    ("ExportStore._page", "ORDER BY r.created_at, r.id LIMIT ?"),
    ("ExportStore._indicators", "FROM indicators WHERE report_id IN"),
    ("ExportStore._first_reported", "INDEXED BY ix_indicators_lookup"),
)
RANGE_COUNT = "SELECT COUNT(*) FROM reports WHERE country = ? AND created_at >= ? AND created_at < ?"
FULL_SCAN = "SELECT COUNT(*), SUM(length(loss_amount)) FROM reports"


# --- the database ------------------------------------------------------------------------------


def _siblings(path: Path) -> list[Path]:
    return [path, *(Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]


def usable(path: Path, count: int) -> float | None:
    """The preparation time of a usable kept copy, or None if it must be made again."""
    if not path.exists():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            generator, reports = connection.execute("SELECT generator, reports FROM benchmark_build").fetchone()
            supplement, seconds = connection.execute("SELECT supplement, seconds FROM benchmark_summary").fetchone()
            version = connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
            stored = connection.execute("SELECT MAX(id) FROM reports").fetchone()[0]
        finally:
            connection.close()
    except (sqlite3.Error, TypeError):
        return None
    fits = (generator == GENERATOR and supplement == SUPPLEMENT and reports == count == stored
            and version == len(MIGRATIONS))
    return float(seconds) if fits else None


def _hash(multiplier: int, modulo: int = 100) -> str:
    """SQL for a number 0 … modulo - 1 drawn from the report's id: bits 16-31 of a multiplicative hash."""
    return f"((id * {multiplier}) % 4294967296 / 65536 % {modulo})"


def supplement(path: Path, seconds: float) -> dict[str, int]:
    """Fill in, with plain sqlite3, what the moderation generator leaves empty and a summary reads:
    reports.scam_type, money_lost and loss_amount with its parse, as the report store writes it
    (in one pass over the table), a delivered forward for each report the default review
    ("none": forwarded once complete) would have forwarded, and add the
    numbers of new campaigns to some reports (indicators of the week nobody reported before)."""
    assert set(SCAM_TYPE_SHARES) <= set(SCAM_TYPES) and sum(SCAM_TYPE_SHARES.values()) == 100
    assert set(LOSS_TEXTS) == set(COUNTRIES) and all(len(t) == LOSS_CHOICES for t in LOSS_TEXTS.values())
    started = time.perf_counter()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")  # out of WAL (harmline's), then no journal at all:
        connection.execute("PRAGMA journal_mode=OFF")  # a failed preparation is thrown away whole
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("BEGIN")
        connection.execute("CREATE TEMP TABLE scam_types (n INTEGER PRIMARY KEY, scam_type TEXT NOT NULL)")
        shares = [kind for kind, share in SCAM_TYPE_SHARES.items() for _ in range(share)]
        connection.executemany("INSERT INTO scam_types VALUES (?, ?)", enumerate(shares))
        connection.execute("CREATE TEMP TABLE loss_texts (country TEXT, n INTEGER, text TEXT NOT NULL,"
                           " value TEXT, currency TEXT, PRIMARY KEY (country, n))")
        parsed = {(c, text): parse_loss(text, c) for c, texts in LOSS_TEXTS.items() for text in texts}
        connection.executemany("INSERT INTO loss_texts VALUES (?, ?, ?, ?, ?)",
                               [(c, n, text, *((str(m.amount), m.currency) if (m := parsed[c, text]) else (None, None)))
                                for c, texts in LOSS_TEXTS.items() for n, text in enumerate(texts)])
        lost = _hash(2246822519)
        money_lost = (f"CASE WHEN category = 'scam' THEN CASE WHEN {lost} < {MONEY_LOST_SCAM[0]} THEN 1"
                      f" WHEN {lost} < {sum(MONEY_LOST_SCAM)} THEN 0 END"
                      f" ELSE CASE WHEN {lost} < {MONEY_LOST_OTHER[0]} THEN 1"
                      f" WHEN {lost} < {sum(MONEY_LOST_OTHER)} THEN 0 END END")
        connection.execute(
            "UPDATE reports SET"
            " scam_type = CASE WHEN category = 'scam' THEN"
            f" (SELECT scam_type FROM scam_types WHERE n = {_hash(2654435761)}) END,"
            f" money_lost = {money_lost},"
            f" loss_amount = CASE WHEN ({money_lost}) = 1 AND {_hash(3266489917)} < {LOSS_STATED} THEN"
            f" (SELECT text FROM loss_texts t WHERE t.country = reports.country"
            f" AND t.n = {_hash(668265263)} % {LOSS_CHOICES}) END")
        connection.execute(
            "UPDATE reports SET (loss_value, loss_currency) = (SELECT t.value, t.currency FROM loss_texts t"
            " WHERE t.country = reports.country AND t.text = reports.loss_amount) WHERE loss_amount IS NOT NULL")
        # One contact per country; what the summary's CSV and the exports count as forwarded.
        forwards = connection.execute(
            "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, next_attempt_at,"
            " created_at, delivered_at, purpose) SELECT id, 'Contact ' || country, 'telegram', '-100' || country,"
            " 'en', 'delivered', created_at, created_at, created_at, 'forward' FROM reports"
            " WHERE status NOT IN ('collecting', 'cancelled')").rowcount
        # A campaign's number: the country's dialling code, 7, the week (counted from a Monday) and
        # which of the week's campaigns.
        connection.execute("CREATE TEMP TABLE dialling (country TEXT PRIMARY KEY, code TEXT NOT NULL)")
        connection.executemany("INSERT INTO dialling VALUES (?, ?)", DIALLING.items())
        campaigns = connection.execute(
            "INSERT INTO indicators (report_id, kind, value, report_country, report_category, report_created_at,"
            " report_live) SELECT r.id, 'phone', '+' || d.code || '7'"
            " || printf('%03d%02d', CAST((julianday(r.created_at) - julianday('2025-01-06')) / 7 AS INTEGER),"
            f" {_hash(1597334677, CAMPAIGNS_PER_WEEK).replace('id', 'r.id')}),"
            " r.country, r.category, r.created_at, r.status <> 'cancelled'"
            " FROM reports r JOIN dialling d ON d.country = r.country"
            f" WHERE r.status <> 'collecting' AND {_hash(3812015801, 1000).replace('id', 'r.id')}"
            f" < {CAMPAIGN_PER_MILLE}").rowcount
        filled = {
            "forwards": forwards,
            "campaign numbers": campaigns,
            "scam types": connection.execute("SELECT COUNT(*) FROM reports WHERE scam_type IS NOT NULL").fetchone()[0],
            "money lost": connection.execute("SELECT COUNT(*) FROM reports WHERE money_lost = 1").fetchone()[0],
            "amounts": connection.execute("SELECT COUNT(*) FROM reports WHERE loss_amount IS NOT NULL").fetchone()[0],
        }
        connection.execute("CREATE TABLE benchmark_summary (supplement INTEGER, seconds REAL)")
        total = seconds + time.perf_counter() - started
        connection.execute("INSERT INTO benchmark_summary VALUES (?, ?)", (SUPPLEMENT, total))
        connection.execute("COMMIT")
    finally:
        connection.close()
    return filled


def copy(source: Path, target: Path) -> None:
    for stale in _siblings(target):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if Path(f"{source}-wal").exists():  # what a connection left open has not checkpointed yet
        shutil.copyfile(f"{source}-wal", f"{target}-wal")


async def prepare(count: int, rebuild: bool) -> Path:
    """The moderation benchmark's database (built if its cache does not fit), copied, migrated and
    supplemented; a kept copy is reused."""
    source = Path(tempfile.gettempdir()) / f"harmline-moderation-{count}.db"
    target = Path(tempfile.gettempdir()) / f"harmline-summary-{count}.db"
    seconds = None if rebuild else usable(target, count)
    if seconds is not None:
        print(f"reusing {target} (prepared in {seconds:.0f} s; --rebuild to prepare it again)")
        return target
    if cached(source, count) is None:
        await build(source, count)
    started = time.perf_counter()
    copy(source, target)
    copied = time.perf_counter() - started
    database = Database(str(target))
    await database.open()  # migrations up to the current schema (reports.scam_type …)
    await database.close()
    filled = supplement(target, time.perf_counter() - started)
    print(f"prepared {target}: a copy of {source} ({copied:.1f} s), migrated to version {len(MIGRATIONS)},"
          f" filled in {', '.join(f'{k} {v:,}' for k, v in filled.items())}"
          f" in {time.perf_counter() - started:.1f} s in all")
    return target


def evict(path: Path) -> None:
    """Drop this database's pages (only its files') from the OS page cache, for a cold read."""
    for file in _siblings(path):
        if file.exists():
            descriptor = os.open(file, os.O_RDONLY)
            try:
                os.fdatasync(descriptor)  # dirty pages are not dropped
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)


# --- what is measured --------------------------------------------------------------------------


@dataclass(frozen=True)
class Scene:
    """The measured week and country."""

    week: Week
    country: str

    @property
    def made_at(self) -> datetime:
        """Monday 09:00 after the week, in Jakarta (the regional summary's clock)."""
        return self.week.following().bounds("Asia/Jakarta")[0] + timedelta(hours=9)

    @property
    def language(self) -> str:
        """The country's contact reads the summary in the country's main language."""
        return LANGUAGES[self.country][0][0] or REGIONAL_LANGUAGE


Operation = Callable[[Summaries, Scene], Awaitable[object]]
# name: (label, call), for the parent's timings and a child's --child OPERATION alike.
OPERATIONS: dict[str, tuple[Callable[[Scene], str], Operation]] = {
    "country-figures": (lambda s: f"figures {s.country}",
                        lambda summaries, s: summaries.builder.country(s.country, s.week, s.made_at)),
    "regional-figures": (lambda s: f"figures regional ({len(COUNTRIES)})",
                         lambda summaries, s: summaries.builder.regional(COUNTRIES, s.week, s.made_at)),
    "country-files": (lambda s: f"files {s.country} ({s.language})",
                      lambda summaries, s: summaries.files(s.country, s.week, s.language)),
    "regional-files": (lambda s: f"files regional ({REGIONAL_LANGUAGE})",
                       lambda summaries, s: summaries.files(REGIONAL, s.week, REGIONAL_LANGUAGE)),
}


def summaries_of(database: Database, scene: Scene, catalogs: Catalogs) -> Summaries:
    settings = Settings(telegram=TelegramSettings(token="0:benchmark"), database=database.path, countries=COUNTRIES)
    return Summaries(store_on(database), settings, catalogs, lambda: scene.made_at)


def busiest(plain: sqlite3.Connection) -> tuple[Scene, int]:
    """The week with the most reports (weeks counted roughly, from Monday 00:00 at UTC+7) and its
    busiest country (counted exactly, in the country's own week); and how many weeks there are."""
    weekly: Counter[str] = Counter()
    for monday, reports in plain.execute("SELECT date(created_at, '+7 hours', 'weekday 0', '-6 days'), COUNT(*)"
                                         " FROM reports INDEXED BY ix_reports_received GROUP BY 1"):
        weekly[monday] = reports
    week = Week.containing(date.fromisoformat(max(weekly, key=lambda monday: weekly[monday])))
    counts = {country: week_reports(plain, country, week)[0] for country in COUNTRIES}
    return Scene(week, max(counts, key=lambda country: counts[country])), len(weekly)


def week_reports(plain: sqlite3.Connection, country: str, week: Week) -> tuple[int, int]:
    """Reports received in the country's local week, and in the week before."""
    days = [to_text(moment) for moment in day_starts(week, TIME_ZONES[country])]
    this_week = plain.execute(RANGE_COUNT, (country, days[7], days[14])).fetchone()[0]
    last_week = plain.execute(RANGE_COUNT, (country, days[0], days[7])).fetchone()[0]
    return int(this_week), int(last_week)


def two_weeks(country: str, week: Week) -> tuple[str, str]:
    """The range a country's summary reads: from last week's Monday to the Monday after, in UTC."""
    days = day_starts(week, TIME_ZONES[country])
    return to_text(days[0]), to_text(days[14])


def rss_kib(field: str) -> int:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in KiB; -1 if none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return -1


def mb(kib: float) -> float:
    return kib * 1024 / 1e6


async def child(args: argparse.Namespace) -> None:
    """One operation in this fresh process; prints its memory and time as one JSON line."""
    scene = Scene(Week.parse(args.week), args.country)
    database = Database(args.database)
    await database.open()
    try:
        summaries = summaries_of(database, scene, Catalogs())
        _, operation = OPERATIONS[args.child]
        gc.collect()
        before, peak_before = rss_kib("VmRSS"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        result = await operation(summaries, scene)
        seconds = time.perf_counter() - started
        peak, hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, rss_kib("VmHWM")
        after = rss_kib("VmRSS")
    finally:
        await database.close()
    size = len(result.pdf) + len(result.csv) + sum(len(c.png) for c in result.charts) \
        if isinstance(result, SummaryFiles) else 0
    print(json.dumps({"before": before, "peak_before": peak_before, "peak": peak, "hwm": hwm, "after": after,
                      "seconds": seconds, "bytes": size}))


@dataclass(frozen=True)
class Memory:
    before: int  # KiB of RSS right before the operation
    peak_before: int  # ru_maxrss then
    peak: int  # ru_maxrss after it
    hwm: int  # VmHWM after it
    after: int
    seconds: float
    bytes: int

    @property
    def worst(self) -> int:
        return max(self.peak, self.hwm)


def in_child(operation: str, path: Path, scene: Scene) -> Memory:
    command = [sys.executable, "-m", "benchmarks.summary_build", "--child", operation, "--database", str(path),
               "--week", scene.week.label, "--country", scene.country]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"--child {operation} failed ({done.returncode}):\n{done.stderr}")
    return Memory(**json.loads(done.stdout.strip().splitlines()[-1]))


@dataclass(frozen=True)
class Part:
    name: str
    ms: float
    detail: str


async def parts(summaries: Summaries, scene: Scene, scope: str, language: str) -> list[Part]:
    """Where the time of ``Summaries.files`` goes: its steps, one after the other as it runs them."""
    found: list[Part] = []
    started = time.perf_counter()

    def lap(name: str, detail: str) -> None:
        nonlocal started
        now = time.perf_counter()
        found.append(Part(name, (now - started) * 1000, detail))
        started = now

    summary = await summaries.figures(scope, scene.week)
    received = summary.received
    lap("figures (SummaryBuilder)", f"{received:,} reports received")
    start, end = scene.week.bounds(summaries.settings.time_zone_of(scope))
    countries = summaries.settings.countries if scope == REGIONAL else (scope,)
    forwarded: list[ExportedReport] = await summaries.exports.reports_between(countries, start, end)
    lap("forwarded reports (ExportStore)", f"{len(forwarded):,} reports,"
        f" {sum(len(r.indicators) for r in forwarded):,} indicators")
    gettext = summaries.catalogs.gettext(language)
    charts: list[Chart]
    if isinstance(summary, RegionalSummary):
        charts = regional_charts(summary, language, gettext)
    else:
        charts = country_charts(summary, language, gettext)
    lap("charts (matplotlib)", f"{len(charts)} PNG, {sum(len(c.png) for c in charts) / 1000:,.0f} kB")
    message = regional_message(summary, language, gettext) if isinstance(summary, RegionalSummary) \
        else country_message(summary, language, gettext)
    lap("message", f"{len(message):,} characters")
    pdf = regional_pdf(summary, charts, language, gettext) if isinstance(summary, RegionalSummary) \
        else country_pdf(summary, charts, language, gettext)
    lap("PDF (fpdf2)", f"{len(pdf) / 1000:,.0f} kB")
    csv = csv_bytes(forwarded)
    lap("CSV", f"{len(csv) / 1000:,.0f} kB")
    return found


def statement_name(sql: str) -> str:
    for name, piece in STATEMENTS:
        if piece in sql:
            return name
    return " ".join(sql.split())[:60]


def full_scans(plan: Sequence[str]) -> list[str]:
    return [line for line in plan if line.startswith("SCAN ") and not line.startswith("SCAN CONSTANT")]


def print_statements(title: str, log: Sequence[tuple[float, str, Sequence[Any]]]) -> None:
    grouped: dict[str, list[tuple[float, str, Sequence[Any]]]] = {}
    for entry in log:
        grouped.setdefault(statement_name(entry[1]), []).append(entry)
    total = sum(ms for ms, _, _ in log)
    print(f"\n  {title}: {len(log)} statements, {total:,.1f} ms in all (one call)")
    print(f"    {'statement':<32}{'calls':>6}{'total':>10}{'max':>9}{'share':>8}  (ms)")
    for name, entries in sorted(grouped.items(), key=lambda item: -sum(e[0] for e in item[1])):
        spent = sum(e[0] for e in entries)
        print(f"    {name:<32}{len(entries):>6}{spent:>10.1f}{max(e[0] for e in entries):>9.1f}"
              f"{spent / total if total else 0:>8.0%}")


def print_plans(plain: sqlite3.Connection, logs: Sequence[Sequence[tuple[float, str, Sequence[Any]]]]) -> list[str]:
    """The plan of each statement (with the parameters of its slowest call); the full scans found."""
    slowest: dict[str, tuple[float, str, Sequence[Any]]] = {}
    for log in logs:
        for entry in log:
            name = statement_name(entry[1])
            if name not in slowest or entry[0] > slowest[name][0]:
                slowest[name] = entry
    scans: list[str] = []
    print("\n  plans (EXPLAIN QUERY PLAN, parameters of the slowest call):")
    for name, (ms, sql, params) in slowest.items():
        plan = explain(plain, sql, params)
        print(f"    {name} ({ms:.1f} ms):")
        for line in plan:
            print(f"      {line}")
        scans += [f"{name}: {line}" for line in full_scans(plan)]
    return scans


async def timed_few(call: Callable[[], Awaitable[object]], repeat: int, budget: float) -> list[float]:
    """Like moderation_queries.timed, for calls of seconds: one warm-up, at least one timed call."""
    await call()
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < max(1, repeat) and (not times or time.perf_counter() < deadline):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return times


@dataclass
class Timing:
    key: str
    label: str
    colds: list[float]  # ms: first call on a fresh connection, the file evicted from the OS page cache
    times: list[float]  # ms, warm
    floor: float  # ms: plain sqlite3 COUNT(*) of the same two weeks' range(s)
    memory: Memory | None = None


async def measure(path: Path, args: argparse.Namespace) -> None:
    plain = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        await compare(path, plain, args)
    finally:
        plain.close()


async def compare(path: Path, plain: sqlite3.Connection, args: argparse.Namespace) -> None:
    count = plain.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    size = sum(p.stat().st_size for p in _siblings(path) if p.exists())
    print(f"\n{count:,} reports, database {size / 2**20:,.0f} MiB, SQLite {sqlite3.sqlite_version},"
          f" Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
          " (other processes make the times vary)")
    scene, weeks = busiest(plain)
    country_week = week_reports(plain, scene.country, scene.week)
    regional_week = [sum(column) for column in zip(*(week_reports(plain, c, scene.week) for c in COUNTRIES),
                                                   strict=True)]
    print(f"measured week {scene.week.label} (the most reports of {weeks} weeks), each country over its own local"
          f" week: {scene.country} (its busiest) {country_week[0]:,} reports ({country_week[1]:,} the week"
          f" before), all {len(COUNTRIES)} countries {regional_week[0]:,} ({regional_week[1]:,} the week before)")

    # Memory first, while this process is small: a child's ru_maxrss starts from its parent's RSS
    # at the fork (Linux keeps the larger across exec); VmHWM is the child's own.
    memory = {key: in_child(key, path, scene) for key in OPERATIONS}

    catalogs = Catalogs()

    async def cold(key: str) -> float:
        evict(path)
        database = Database(str(path))
        await database.open()
        try:
            summaries = summaries_of(database, scene, catalogs)
            started = time.perf_counter()
            await OPERATIONS[key][1](summaries, scene)
            return (time.perf_counter() - started) * 1000
        finally:
            await database.close()

    colds = {key: [await cold(key) for _ in range(max(1, args.cold))] for key in OPERATIONS}

    # The floors, in the same run, plain sqlite3 on the same file.
    evict(path)
    started = time.perf_counter()
    plain.execute(FULL_SCAN).fetchone()
    scan_cold = (time.perf_counter() - started) * 1000
    scan = statistics.median(timed_plain(lambda: plain.execute(FULL_SCAN).fetchone(), max(3, args.repeat // 2),
                                         args.budget))
    one_range = two_weeks(scene.country, scene.week)
    range_country = statistics.median(timed_plain(
        lambda: plain.execute(RANGE_COUNT, (scene.country, *one_range)).fetchone(), args.repeat * 5, args.budget))
    ranges = [(c, *two_weeks(c, scene.week)) for c in COUNTRIES]
    range_all = statistics.median(timed_plain(lambda: [plain.execute(RANGE_COUNT, r).fetchone() for r in ranges],
                                              args.repeat * 5, args.budget))
    print(f"floors (plain sqlite3): COUNT(*) of {scene.country}'s two weeks (ix_reports_received) p50"
          f" {range_country:.2f} ms; the same for the {len(COUNTRIES)} countries {range_all:.2f} ms;"
          f" full scan ({FULL_SCAN}) p50 {scan:,.0f} ms, {scan_cold:,.0f} ms from disk (file evicted)")

    database = Database(str(path))
    await database.open()
    try:
        summaries = summaries_of(database, scene, catalogs)

        def call(key: str) -> Callable[[], Awaitable[object]]:
            return lambda: OPERATIONS[key][1](summaries, scene)

        rows: list[Timing] = []
        for key, (label, _) in OPERATIONS.items():
            if key.endswith("files"):  # seconds each: one warm-up
                times = await timed_few(call(key), args.files_repeat, args.budget)
            else:
                times = await timed(call(key), args.repeat, args.budget)
            floor = range_all if key.startswith("regional") else range_country
            rows.append(Timing(key, label(scene), colds[key], times, floor, memory[key]))
        country_summary = await summaries.builder.country(scene.country, scene.week, scene.made_at)
        regional_summary = await summaries.builder.regional(COUNTRIES, scene.week, scene.made_at)
        country_parts = await parts(summaries, scene, scene.country, scene.language)
        regional_parts = await parts(summaries, scene, REGIONAL, REGIONAL_LANGUAGE)
        recorder = Recorder(database)
        country_log = await recorder.record(call("country-files"))
        regional_log = await recorder.record(call("regional-files"))
    finally:
        await database.close()

    describe(scene, country_summary, regional_summary)
    print(f"\n  {'operation':<26}{'n':>4}{'cold p50':>10}{'p50':>10}{'p95':>10}{'max':>10}{'× COUNT':>10}"
          f"{'× scan':>8}{'fresh':>10}{'RSS before':>12}{'peak':>8}{'+':>8}  (ms; MB)")
    for row in rows:
        p50, p95, cold_p50 = statistics.median(row.times), percentile(row.times, 0.95), statistics.median(row.colds)
        text = f"  {row.label:<26}{len(row.times):>4}{cold_p50:>10,.1f}{p50:>10,.1f}{p95:>10,.1f}" \
               f"{max(row.times):>10,.1f}{p50 / row.floor:>10,.0f}{p50 / scan:>8.2f}"
        if row.memory:
            m = row.memory
            text += f"{m.seconds * 1000:>10,.1f}{mb(m.before):>12.0f}{mb(m.worst):>8.0f}{mb(m.worst - m.before):>8.0f}"
        print(text)
    print(f"  cold p50: of {len(rows[0].colds)} first calls on a fresh connection, the file evicted from the OS page"
          " cache;\n  p50/p95/max: warm calls; × COUNT: p50 over plain sqlite3's COUNT(*) of the same two weeks'"
          " range(s);\n  × scan: p50 over the full scan; fresh: the call, its RSS before and peak, in a fresh process"
          " (one call each)")
    for key, memory_of in memory.items():
        if abs(memory_of.peak - memory_of.hwm) > 4096:
            print(f"  note: {key}: ru_maxrss {mb(memory_of.peak):.0f} MB, VmHWM {mb(memory_of.hwm):.0f} MB"
                  " (the larger is shown)")

    for title, found in ((f"files {scene.country}", country_parts), ("files regional", regional_parts)):
        total = sum(p.ms for p in found)
        print(f"\n  where the time of {title} goes (one warm call, {total:,.0f} ms):")
        for part in found:
            print(f"    {part.name:<34}{part.ms:>9,.1f} ms {part.ms / total:>5.0%}  {part.detail}")

    print_statements(f"statements of files {scene.country}", country_log)
    print_statements("statements of files regional", regional_log)
    scans = print_plans(plain, [country_log, regional_log])
    print(f"\n  full scans: {'none' if not scans else '; '.join(scans)}")

    verdict(rows)


def describe(scene: Scene, country: CountrySummary, regional: RegionalSummary) -> None:
    """What the measured summaries hold: the week is not an empty one."""
    losses = sum(m.reports for m in country.money)
    print(f"\n  {scene.country} {scene.week.label}: {country.received:,} received ({country.received_last_week:,}"
          f" last week), {len(country.categories)} categories, {len(country.scam_types)} scam types,"
          f" {len(country.platforms)} platforms, {len(country.languages)} languages; {losses:,} losses read"
          f" ({', '.join(m.currency for m in country.money) or 'none'});"
          f" {country.decisions.decided_in_week:,} decisions in the week;"
          f" {len(country.top_indicators)} repeated indicators, {len(country.new_clusters)} new clusters")
    print(f"  regional {scene.week.label}: {regional.received:,} received ({regional.received_last_week:,} last"
          f" week), {sum(sum(m.reports for m in c.money) for c in regional.countries):,} losses read,"
          f" {sum(len(c.top_indicators) for c in regional.countries)} repeated indicators")


def verdict(rows: Sequence[Timing]) -> None:
    """The goal holds for the usual call (cold p50: the weekly run finds little in the caches; warm
    p95) and the memory peak; the slowest single call is shown beside."""
    print(f"\n  goal: a weekly summary over the database in < {GOAL_SECONDS:g} s (cold p50 and warm p95)"
          f" and < {GOAL_MB:g} MB peak RSS")
    passed = True
    for row in rows:
        cold, p95 = statistics.median(row.colds) / 1000, percentile(row.times, 0.95) / 1000
        slowest = max(*row.colds, *row.times, row.memory.seconds * 1000 if row.memory else 0.0) / 1000
        peak = mb(row.memory.worst) if row.memory else 0.0
        ok = cold < GOAL_SECONDS and p95 < GOAL_SECONDS and peak < GOAL_MB
        passed &= ok
        print(f"    {row.label:<26} cold p50 {cold:5.2f} s, warm p95 {p95:5.2f} s (slowest call {slowest:5.2f} s),"
              f" peak {peak:4.0f} MB: {'PASS' if ok else 'FAIL'}")
    print(f"  {'PASS' if passed else 'FAIL'}")


async def main_async(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    path = await prepare(args.reports, args.rebuild)
    await measure(path, args)
    print(f"\n(whole run {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reports", type=int, default=1_000_000, help="stored reports (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=10, help="timed calls of the figures (default 10)")
    parser.add_argument("--files-repeat", type=int, default=3, help="timed calls of Summaries.files (default 3)")
    parser.add_argument("--cold", type=int, default=3,
                        help="cold calls of each operation, the file evicted before each (default 3)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds per operation at most (at least 5 calls; default 60)")
    parser.add_argument("--rebuild", action="store_true", help="prepare the copy again even if a fitting one exists")
    parser.add_argument("--child", choices=sorted(OPERATIONS), help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--week", help=argparse.SUPPRESS)
    parser.add_argument("--country", help=argparse.SUPPRESS)
    args = parser.parse_args()
    asyncio.run(child(args) if args.child else main_async(args))


if __name__ == "__main__":
    main()
