"""Killing the real bot under load, and counting what survived.

The bot runs as operators run it (``python -m harmline run --config FILE``, a subprocess) against the
fake Bot API server in the test process; citizens report concurrently, each as a real one does
(send, wait for the acknowledgement however long the bot is down, press "Send now", wait for the
report to close, think, report again); the bot is SIGKILLed at random points and restarted on the
same database. Afterwards the database and the server's records are compared with what the
citizens did. Used by tests/test_crash.py and benchmarks/durability.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import os
import random
import re
import signal
import socket
import sys
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
from aiohttp import web

from harmline.demo.botapi_server import BotApiServer, SentMessage
from tests.backends import read_directly, storage_toml

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "7777:CRASH-TEST"
CONTACT = -1004242
SECRET = "crash-s3cret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MERGE_WINDOW = 0.5  # seconds; a citizen thinks longer than this between two reports
REFERENCE = re.compile(r"\b[A-Z]{2}-[23456789A-HJKMNP-TW-Z]{8}\b")
MARKER = re.compile(r"\bzq\d+r\d+x\b")
ACK = "has been received"
COMPLETE = "is complete and is being forwarded"
ADDED = "Added to your report"

# What citizens report; a unique marker is appended to each (it is no phone number, link or handle).
SCAMS = (
    "Someone on WhatsApp said I won RM5000 and must pay a processing fee first",
    "A man claiming to be police from Bukit Aman told me to transfer my savings to a safe account",
    "Part time job offer: earn RM300 a day liking videos, but first a deposit of RM150",
    "Online casino advert promising free credit and a 100% deposit bonus, slot gacor maxwin",
    "SMS says my bank account is suspended and I must verify it within 24 hours",
    "Fake parcel delivery message asking for my card number and the OTP",
    "Investment group promising guaranteed 30% profit daily in USDT, limited slots",
    "Loan approved without documents, just pay the insurance fee upfront",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_config(folder: Path, server: BotApiServer, *, webhook_port: int | None = None,
                 database: Path | None = None,
                 log_level: str = "INFO") -> Path:
    """A configuration as an operator writes it: one country, one contact chat, no review, no
    rate limiter (a local server), a short merge window; by webhook when ``webhook_port`` is given."""
    webhook = "" if webhook_port is None else f"""
[telegram.webhook]
url = "http://127.0.0.1:{webhook_port}/hook"
listen = "127.0.0.1"
port = {webhook_port}
url_path = "hook"
secret_token = "{SECRET}"
"""
    config = folder / "harmline.toml"
    storage = storage_toml(database or folder / "reports.db")
    config.write_text(f"""
[telegram]
token = "{TOKEN}"
base_url = "{server.base_url}"
base_file_url = "{server.base_file_url}"
rate_limit = false
{webhook}
[storage]
{storage}

[deployment]
countries = ["MY"]

[moderation]
review = "none"

[[contacts]]
country = "MY"
name = "National Scam Response Centre"
telegram_chat_id = {CONTACT}
language = "en"

[delivery]
max_attempts = 20
backoff_base_seconds = 0.2
backoff_max_seconds = 1.0

[intake]
merge_window_seconds = {MERGE_WINDOW}
# A load test, not abuse: each citizen files a dozen reports in a minute.
reports_per_hour = 1000
reports_per_day = 1000
messages_per_minute = 1000

[logging]
level = "{log_level}"
""", encoding="utf-8")
    return config


class CrashServer(BotApiServer):
    """The fake Bot API server, noting when each bot message arrived (for latencies and for
    telling which copies of a message a crash separated), indexing them by chat, counting the
    bot's starts, and keeping the updates Telegram would POST to a webhook, in order."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.arrived: dict[int, float] = {}  # id(SentMessage) -> loop time it was created
        self.by_chat: defaultdict[int, list[SentMessage]] = defaultdict(list)
        self.starts = 0  # deleteWebhook (polling) or setWebhook (webhook) calls: the bot is serving
        self.outgoing: deque[dict[str, Any]] = deque()  # updates not yet answered 2xx by the webhook
        self.pushed: list[int] = []  # every update id, in order
        self._seen = 0

    async def _handle_api(self, request: web.Request) -> web.Response:
        response = await super()._handle_api(request)
        if request.match_info["method"].lower() in ("deletewebhook", "setwebhook") and response.status == 200:
            self.starts += 1
        now = asyncio.get_running_loop().time()
        while self._seen < len(self.sent):
            message = self.sent[self._seen]
            self.arrived[id(message)] = now
            self.by_chat[message.chat_id].append(message)
            self._seen += 1
        return response

    async def __aenter__(self) -> CrashServer:
        await self.start()
        return self

    def push_update(self, update: dict[str, Any]) -> int:
        update_id = super().push_update(update)
        self.pushed.append(update_id)
        self.outgoing.append(copy.deepcopy(update))
        return update_id

    def arrival(self, message: SentMessage) -> float:
        return self.arrived[id(message)]


class BotProcess:
    """``python -m harmline run --config FILE``: started, SIGKILLed, restarted on the same database,
    finally stopped with SIGINT. Each run logs to its own file."""

    def __init__(self, config: Path, server: CrashServer, database: Path | None = None) -> None:
        self.config = config
        self.server = server
        self.folder = config.parent
        self._database = database
        self.runs = 0
        self.kills: list[float] = []  # loop time of each SIGKILL
        self.process: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None
        self._starts_before = 0

    @property
    def database(self) -> Path:
        return self._database or self.folder / "reports.db"

    async def start(self) -> None:
        self.runs += 1
        self._starts_before = self.server.starts
        self._log = (self.folder / f"bot-run-{self.runs}.log").open("wb")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "harmline", "run", "--config", str(self.config),
            cwd=self.folder, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdin=asyncio.subprocess.DEVNULL, stdout=self._log, stderr=asyncio.subprocess.STDOUT)

    async def wait_serving(self, timeout: float = 30.0) -> float:  # noqa: ASYNC109
        """Wait until this run receives updates (seconds it took)."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        while self.server.starts <= self._starts_before:
            assert self.process is not None
            if self.process.returncode is not None:
                raise AssertionError(f"the bot exited with {self.process.returncode}:\n{self.log_tail()}")
            if loop.time() - began > timeout:
                raise AssertionError(f"the bot did not start serving within {timeout:.0f} s:\n{self.log_tail()}")
            await asyncio.sleep(0.01)
        return loop.time() - began

    async def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no handler, no cleanup, no last commit
        await self.process.wait()
        self.kills.append(asyncio.get_running_loop().time())
        self._close_log()

    async def interrupt(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """SIGINT, as an operator's Ctrl-C; the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout)
        finally:
            self._close_log()
        return code

    async def ensure_stopped(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def logs(self) -> str:
        return "\n".join(f"--- run {n} ---\n" + (self.folder / f"bot-run-{n}.log").read_text(errors="replace")
                         for n in range(1, self.runs + 1))

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.logs().splitlines()[-lines:])


class WebhookPoster:
    """Telegram's side of a webhook: each update POSTed to the registered URL with its secret
    token, in order, again and again until it is answered 2xx."""

    def __init__(self, server: CrashServer, behind: Sequence[str] = ()) -> None:
        self.server = server
        # Several bot processes behind the one registered URL: each POST goes to the next in
        # turn, and on to the one after when a process does not answer (a load balancer's way).
        self.behind = list(behind)
        self._turn = 0
        self.served: Counter[str] = Counter()  # URL -> updates it answered 2xx
        self.answered: dict[int, float] = {}  # update id -> loop time its 2xx came
        self.refused: Counter[str] = Counter()  # why a POST did not get 2xx
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="telegram-webhook-poster")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=2.0)) as client:
            while True:
                webhook = self.server.webhook
                if webhook is None or not self.server.outgoing:
                    await asyncio.sleep(0.01)
                    continue
                update = self.server.outgoing[0]
                headers = {SECRET_HEADER: str(webhook.get("secret_token", ""))}
                url = str(webhook["url"])
                if self.behind:
                    url = self.behind[self._turn % len(self.behind)]
                    self._turn += 1
                try:
                    response = await client.post(url, json=update, headers=headers)
                except httpx.HTTPError as error:  # the bot is down, or died while answering
                    self.refused[type(error).__name__] += 1
                    await asyncio.sleep(0.05)
                    continue
                if 200 <= response.status_code < 300:
                    self.answered[int(update["update_id"])] = loop.time()
                    self.served[url] += 1
                    self.server.outgoing.popleft()
                else:
                    self.refused[f"HTTP {response.status_code}"] += 1
                    await asyncio.sleep(0.05)


@dataclass
class Filed:
    """One report as its citizen lived it."""

    citizen: int
    marker: str
    update_id: int
    sent_at: float
    reference: str | None = None
    acked_at: float | None = None
    press_update_id: int | None = None
    pressed_at: float | None = None
    closed_seen: bool = False  # the question message showed the report complete


class CitizenTrouble(AssertionError):
    pass


class Citizen:
    def __init__(self, server: CrashServer, user_id: int, rng: random.Random, database: Path,
                 patience: float = 8.0) -> None:
        self.server = server
        self.user = server.user(user_id, f"Citizen {user_id}", language_code="en")
        self.id = user_id
        self.rng = rng
        self.database = database
        self.patience = patience  # seconds before looking at /status-like truth when the press seems unanswered
        self.filed: list[Filed] = []
        self.waiting_for = "nothing"
        self.known: set[str] = set()
        self._plain: dict[int, tuple[str | None, str]] = {}  # id(message) -> (its text, plain_text)

    def _text(self, message: SentMessage) -> str:
        """``plain_text`` (which strips HTML each time), worked out again only after an edit."""
        cached = self._plain.get(id(message))
        if cached is None or cached[0] is not message.text:
            cached = (message.text, message.plain_text)
            self._plain[id(message)] = cached
        return cached[1]

    def _mine(self) -> list[SentMessage]:
        return self.server.by_chat.get(self.id, [])

    async def run(self, more: Callable[[int], bool]) -> None:
        number = 0
        while more(number):
            number += 1
            await self.report(number)
            self.waiting_for = "nothing (thinking)"
            await asyncio.sleep(self.rng.uniform(MERGE_WINDOW + 0.1, MERGE_WINDOW + 0.7))
        self.waiting_for = "nothing (done)"

    async def report(self, number: int) -> None:
        loop = asyncio.get_running_loop()
        marker = f"zq{self.id}r{number}x"
        seen = len(self._mine())
        update_id = self.user.send_text(f"{self.rng.choice(SCAMS)} [{marker}]")
        filed = Filed(self.id, marker, update_id, loop.time())
        self.filed.append(filed)
        self.waiting_for = f"the acknowledgement of {marker} (update {update_id})"
        ack = await self._until(lambda: self._new_ack(seen, marker))
        reference = self._reference(ack)
        self.known.add(reference)
        filed.reference, filed.acked_at = reference, self.server.arrival(ack)
        data = next(d for d in ack.button_data() if d.endswith(":send"))
        filed.press_update_id = self.user.press(ack, data)
        filed.pressed_at = loop.time()
        self.waiting_for = f"{reference} ({marker}) to close after Send now (update {filed.press_update_id})"
        deadline = loop.time() + self.patience
        while True:
            if self._closed(reference):
                filed.closed_seen = True
                return
            if loop.time() > deadline:
                # No visible answer for a long while: look, as /status would show it. The test
                # counts presses never visibly answered at the end.
                if completed(self.database, reference):
                    return
                deadline = loop.time() + 1.0
            await asyncio.sleep(0.02)

    def _new_ack(self, seen: int, marker: str) -> SentMessage | None:
        for message in self._mine()[seen:]:
            text = self._text(message)
            if ADDED in text:
                raise CitizenTrouble(f"citizen {self.id}: {marker} was added to an earlier report: {text!r}")
            if ACK in text and self._reference(message) not in self.known and message.button_data():
                return message
        return None

    def _closed(self, reference: str) -> bool:
        return any(reference in self._text(m) and COMPLETE in self._text(m) and not m.reply_markup
                   for m in self._mine())

    def _reference(self, message: SentMessage) -> str:
        found = REFERENCE.search(self._text(message))
        assert found is not None, message.plain_text
        return found.group(0)

    async def _until(self, found: Callable[[], SentMessage | None]) -> SentMessage:
        while True:
            message = found()
            if message is not None:
                return message
            await asyncio.sleep(0.02)


def completed(database: Path, reference: str) -> bool:
    with contextlib.closing(read_directly(database)) as db:
        row = db.execute("SELECT status FROM reports WHERE reference = ?", (reference,)).fetchone()
    return row is not None and row[0] != "collecting"


class Crowd:
    """Citizens reporting concurrently: at least ``minimum`` reports each, and more while the
    crash phase lasts (so the bot is always killed under load), ``maximum`` at most."""

    def __init__(self, server: CrashServer, count: int, seed: int, database: Path, *, minimum: int,
                 maximum: int, first_id: int = 70_001) -> None:
        self.citizens = [Citizen(server, first_id + i, random.Random(seed * 1000 + i), database)
                         for i in range(count)]
        self.minimum, self.maximum = minimum, maximum
        self.crashing = True
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        def more(done: int) -> bool:
            return done < self.minimum or (self.crashing and done < self.maximum)

        self._tasks = [asyncio.create_task(c.run(more), name=f"citizen-{c.id}") for c in self.citizens]

    async def finish(self, timeout: float) -> list[str]:  # noqa: ASYNC109
        """Wait for every citizen; what went wrong for those who could not finish (what each
        stuck one was still waiting for)."""
        self.crashing = False
        done, pending = await asyncio.wait(self._tasks, timeout=timeout)
        await self.cancel()
        troubles = [str(task.exception()) for task in done if task.exception() is not None]
        return troubles + [f"citizen {c.id} still waits for {c.waiting_for}"
                           for c, t in zip(self.citizens, self._tasks, strict=True) if t in pending]

    async def cancel(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def filed(self) -> list[Filed]:
        return [f for c in self.citizens for f in c.filed]


async def wait_delivered(database: Path, timeout: float) -> None:  # noqa: ASYNC109
    """Until no delivery is pending (forwards, and the citizens' "forwarded" notices)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        with contextlib.closing(read_directly(database)) as db:
            waiting = db.execute("SELECT COUNT(*) FROM deliveries WHERE state <> 'delivered'").fetchone()[0]
            collecting = db.execute("SELECT COUNT(*) FROM reports WHERE status = 'collecting'").fetchone()[0]
        if not waiting and not collecting:
            return
        if loop.time() > deadline:
            return  # the census says what is missing
        await asyncio.sleep(0.1)


async def wait_inbox_handled(database: Path, timeout: float) -> None:  # noqa: ASYNC109
    """Until no stored update is still to be handled."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        with contextlib.closing(read_directly(database)) as db:
            if not db.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending'").fetchone()[0]:
                return
        await asyncio.sleep(0.1)


@dataclass
class Copies:
    """Messages the bot sent more than once (a crash between sending and recording it)."""

    kind: str
    reference: str
    arrivals: list[float]

    def crash_between_each(self, kills: Sequence[float]) -> bool:
        return all(any(a < k < b for k in kills) for a, b in zip(self.arrivals, self.arrivals[1:], strict=False))


@dataclass
class Census:
    """What the citizens did against what the database and the contact hold."""

    filed: list[Filed]
    kills: list[float]
    runs: int
    problems: list[str] = field(default_factory=list)
    stored: int = 0
    lost: list[str] = field(default_factory=list)
    stored_twice: list[str] = field(default_factory=list)
    reports: int = 0
    merged: list[str] = field(default_factory=list)
    open_after_press: list[str] = field(default_factory=list)
    not_forwarded: list[str] = field(default_factory=list)
    copies: list[Copies] = field(default_factory=list)
    unanswered_presses: list[str] = field(default_factory=list)
    inbox: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    @classmethod
    def take(cls, database: Path, server: CrashServer, filed: list[Filed], kills: list[float], runs: int,
             *, posted: dict[int, float] | None = None) -> Census:
        census = cls(filed, kills, runs)
        census._read(database, server, posted)
        return census

    def _read(self, database: Path, server: CrashServer, posted: dict[int, float] | None) -> None:
        by_marker = {f.marker: f for f in self.filed}
        with contextlib.closing(read_directly(database)) as db:
            messages = db.execute("SELECT m.report_id, r.reference, m.text FROM report_messages m"
                                  " JOIN reports r ON r.id = m.report_id").fetchall()
            reports = {int(i): (ref, status) for i, ref, status in
                       db.execute("SELECT id, reference, status FROM reports").fetchall()}
            forwards = defaultdict(list)
            for report_id, state in db.execute(
                    "SELECT report_id, state FROM deliveries WHERE purpose = 'forward'").fetchall():
                forwards[int(report_id)].append(state)
            pressed = {ref for (ref,) in db.execute(
                "SELECT r.reference FROM audit_log a JOIN reports r ON r.id = a.report_id"
                " WHERE a.action = 'report.completed' AND a.detail = 'citizen pressed send now'").fetchall()}
            inbox = {int(i): f"{state}" + (f" after {replays} replays" if replays else "") for i, state, replays in
                     db.execute("SELECT update_id, state, replays FROM inbox").fetchall()}
            outcomes = dict(db.execute("SELECT update_id, outcome FROM processed_updates").fetchall())
        self.inbox = Counter(state.split()[0] for state in inbox.values())
        self.reports = len(reports)

        markers_of_report: defaultdict[int, list[str]] = defaultdict(list)
        stored: Counter[str] = Counter()
        for report_id, _reference, text in messages:
            found = MARKER.findall(text)
            stored.update(found)
            markers_of_report[int(report_id)].extend(found or ["(no marker)"])
        self.stored = sum(1 for f in self.filed if stored[f.marker])
        for f in self.filed:
            if not stored[f.marker]:
                self.lost.append(f"{f.marker} (citizen {f.citizen}, update {f.update_id}, inbox "
                                 f"{inbox.get(f.update_id, 'absent')}, processed_updates "
                                 f"{outcomes.get(f.update_id, 'absent')})")
            elif stored[f.marker] > 1:
                self.stored_twice.append(f"{f.marker} stored {stored[f.marker]} times")
        for report_id, markers in markers_of_report.items():
            if len(markers) != 1:
                self.merged.append(f"{reports[report_id][0]} holds {markers}")
        for marker, count in stored.items():
            if marker not in by_marker:
                self.problems.append(f"marker {marker} stored {count}x but never sent")

        # What the contact and each citizen saw: (plain text, has buttons, arrival) per message.
        def seen_in(chat: int) -> list[tuple[str, bool, float]]:
            return [(m.plain_text, bool(m.button_data()), server.arrival(m)) for m in server.by_chat.get(chat, [])]

        contact = seen_in(CONTACT)
        citizens = {f.citizen: seen_in(f.citizen) for f in self.filed}
        copies: defaultdict[tuple[str, str], list[float]] = defaultdict(list)
        for text, _buttons, arrival in contact:
            for reference in set(REFERENCE.findall(text)):
                copies[("forward", reference)].append(arrival)
        for f in self.filed:
            if f.reference is None:
                continue
            for text, _buttons, arrival in citizens[f.citizen]:
                if f.reference in text:
                    copies[("ack" if ACK in text else "notice", f.reference)].append(arrival)
            if not any(f.reference in text and COMPLETE in text and not buttons for text, buttons, _ in
                       citizens[f.citizen]):
                self.unanswered_presses.append(f"{f.reference} ({f.marker}, press update {f.press_update_id})")
        self.copies = [Copies(kind, ref, sorted(times)) for (kind, ref), times in copies.items() if len(times) > 1]

        references = {ref for ref, _ in reports.values()}
        for report_id, (reference, status) in reports.items():
            sender = next((by_marker[m] for m in markers_of_report[report_id] if m in by_marker), None)
            if sender is None or sender.press_update_id is None:
                continue
            if status == "collecting" or reference not in pressed:
                press = sender.press_update_id
                self.open_after_press.append(f"{reference} ({sender.marker}, press update {press}, inbox "
                                             f"{inbox.get(press, 'absent')}): {status}")
            states = forwards.get(report_id, [])
            cards = len(copies.get(("forward", reference), []))
            if not states or any(s != "delivered" for s in states) or not cards:
                self.not_forwarded.append(f"{reference}: deliveries {states}, {cards} card(s) at the contact")
        for f in self.filed:
            if f.reference is not None and f.reference not in references:
                self.problems.append(f"{f.marker} was acknowledged as {f.reference}, which is not stored")
        self.latencies = [f.acked_at - f.sent_at for f in self.filed if f.acked_at is not None]

        for update_id in server.pushed:
            if not inbox.get(update_id, "").startswith("done"):
                self.problems.append(f"update {update_id}: inbox {inbox.get(update_id, 'absent')}, processed_updates "
                                     f"{outcomes.get(update_id, 'absent')}")
        if posted is not None:
            for update_id in posted:
                if not inbox.get(update_id, "").startswith("done"):
                    self.problems.append(f"update {update_id} answered 200 by the webhook, then inbox "
                                         f"{inbox.get(update_id, 'absent')}")

    def duplicates(self, kind: str) -> int:
        return sum(len(c.arrivals) - 1 for c in self.copies if c.kind == kind)

    def failures(self) -> list[str]:
        """Everything that must not happen, each with what identifies it."""
        found = [f"lost: {x}" for x in self.lost] + [f"stored twice: {x}" for x in self.stored_twice]
        found += [f"not one marker per report: {x}" for x in self.merged]
        found += [f"open though Send now was pressed: {x}" for x in self.open_after_press]
        found += [f"not forwarded: {x}" for x in self.not_forwarded]
        found += [f"Send now stored but never shown complete to the citizen: {x}" for x in self.unanswered_presses]
        found += [f"{c.kind} {c.reference} sent {len(c.arrivals)}x without a crash between copies"
                  for c in self.copies if not c.crash_between_each(self.kills)]
        found += [f"{c.kind} {c.reference} sent {len(c.arrivals)}x, more than once per crash"
                  for c in self.copies if len(c.arrivals) > 1 + len(self.kills)]
        return found + self.problems

    def percentile(self, fraction: float) -> float:
        """Seconds from a citizen's message to its acknowledgement (crash downtime included)."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")

    def figures(self) -> str:
        return (f"{len(self.kills)} SIGKILLs, {self.runs} runs: {len(self.filed)} reports sent, {self.stored} stored, "
                f"{len(self.lost)} lost, {len(self.stored_twice)} stored twice, {len(self.merged)} merged, "
                f"{len(self.open_after_press)} presses lost, {len(self.not_forwarded)} not forwarded\n"
                f"  sent twice across a crash: acknowledgements {self.duplicates('ack')}, forwards to the contact "
                f"{self.duplicates('forward')}, 'forwarded' notices {self.duplicates('notice')}; presses never "
                f"shown complete {len(self.unanswered_presses)}; inbox {dict(self.inbox)}\n"
                f"  acknowledgement latency (downtime included) p50 {self.percentile(0.5) * 1000:.0f} ms, "
                f"p95 {self.percentile(0.95) * 1000:.0f} ms, max {self.percentile(1.0) * 1000:.0f} ms")

@dataclass
class CrashRun:
    """One crash scenario, as it went."""

    mode: str
    seed: int
    citizens: int
    census: Census
    exit_code: int
    logs: str
    answered: dict[int, float]  # webhook: update id -> when it was answered 2xx
    refused: Counter[str]  # webhook: POSTs not answered 2xx, by reason
    kill_points: list[str]  # where each kill came
    stuck: list[str]  # citizens who could not finish, and why
    seconds: float

    @property
    def replayed(self) -> list[int]:
        """Updates each restart found stored but unprocessed (the bot's own log line)."""
        return [int(n) for n in re.findall(r"processing (\d+) update\(s\) received before the last stop", self.logs)]


@dataclass(frozen=True)
class KillPlan:
    """When the kills come: a share of them while the bot starts (opening the database, replaying
    the inbox), the others a random time after it began receiving updates.

    With ``settle`` (the default), no crash loop: a kill that is to come while the bot serves
    waits until the updates its start replayed are processed, and at most two starts in a row are
    killed before that. Each update is then replayed in three starts at most: the inbox abandons
    an update whose processing did not finish in more (``storage.inbox.MAX_REPLAYS``; see the
    crash test's report: a crash loop loses a backlog that way). ``settle=False`` allows it."""

    kills: int
    at_start_share: float = 0.25
    at_start: tuple[float, float] = (0.2, 1.2)  # seconds after the process started
    serving: tuple[float, float] = (0.3, 1.8)  # seconds after it began receiving updates
    down: tuple[float, float] = (0.0, 0.4)  # seconds before it is started again
    settle: bool = True


async def wait_replayed(database: Path, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Until no update a start replayed is still waiting to be processed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        with contextlib.closing(read_directly(database)) as db:
            left = db.execute("SELECT COUNT(*) FROM inbox WHERE state = 'pending' AND replays > 0").fetchone()[0]
        if not left:
            return
        await asyncio.sleep(0.05)


async def kill_repeatedly(bot: BotProcess, rng: random.Random, plan: KillPlan) -> list[str]:
    """``plan.kills`` times: let the bot start, SIGKILL it at a random point, start it again.
    Returns where each kill came."""
    points = []
    unsettled = 0  # starts in a row killed before their replay was through
    for _ in range(plan.kills):
        if rng.random() < plan.at_start_share and (unsettled < 2 or not plan.settle):
            delay = rng.uniform(*plan.at_start)
            await asyncio.sleep(delay)
            points.append(f"{delay:.1f} s after its start")
            unsettled += 1
        else:
            await bot.wait_serving()
            if plan.settle:
                await wait_replayed(bot.database)
            delay = rng.uniform(*plan.serving)
            await asyncio.sleep(delay)
            points.append(f"{delay:.1f} s into serving")
            unsettled = 0
        await bot.kill()
        await asyncio.sleep(rng.uniform(*plan.down))  # updates pile up while it is down
        await bot.start()
    return points


async def crash_scenario(folder: Path, *, seed: int, citizens: int, kills: int | KillPlan, webhook: bool,
                         minimum: int = 2, maximum: int = 12) -> CrashRun:
    """Citizens report while the bot is SIGKILLed ``kills`` times and restarted; then a last run
    is left alone until every citizen is through and every delivery made, and stopped with SIGINT."""
    rng = random.Random(seed)
    plan = kills if isinstance(kills, KillPlan) else KillPlan(kills)
    loop = asyncio.get_running_loop()
    began = loop.time()
    async with CrashServer() as server:
        config = write_config(folder, server, webhook_port=free_port() if webhook else None)
        bot = BotProcess(config, server)
        crowd = Crowd(server, citizens, seed, bot.database, minimum=minimum, maximum=maximum)
        poster = WebhookPoster(server)
        try:
            await bot.start()
            if webhook:
                poster.start()
            await bot.wait_serving()
            crowd.start()
            points = await kill_repeatedly(bot, rng, plan)
            # The last run is left alone: everything sent during the crashes must now come through.
            await bot.wait_serving()
            stuck = await crowd.finish(timeout=60)
            await wait_delivered(bot.database, timeout=5 if stuck else 30)
            code = await bot.interrupt()
        except BaseException:
            await crowd.cancel()
            await bot.ensure_stopped()
            print(bot.log_tail(60))
            raise
        finally:
            await poster.stop()
        census = Census.take(bot.database, server, crowd.filed, bot.kills, bot.runs,
                             posted=poster.answered if webhook else None)
    return CrashRun("webhook" if webhook else "polling", seed, citizens, census, code, bot.logs(),
                    poster.answered, poster.refused, points, stuck, loop.time() - began)


@dataclass
class WorkersRun:
    """Several bot processes on one database, one of them SIGKILLed under load."""

    census: Census
    codes: list[int]  # exit codes of the processes left running, stopped with SIGINT
    served: list[int]  # updates each process answered 2xx, in start order
    killed_after: float
    stuck: list[str]
    logs: str
    seconds: float


async def workers_scenario(folder: Path, *, seed: int, citizens: int, workers: int = 3, minimum: int = 2,
                           maximum: int = 10) -> WorkersRun:
    """``workers`` processes by webhook behind one URL on one database; citizens report; one
    process is SIGKILLed mid-load and not restarted; the others must take everything up."""
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    began = loop.time()
    database = folder / "shared.db"
    async with CrashServer() as server:
        bots = []
        for n in range(workers):
            home = folder / f"worker-{n + 1}"
            home.mkdir()
            bots.append(BotProcess(write_config(home, server, webhook_port=free_port(), database=database),
                                   server, database))
        urls = [f"http://127.0.0.1:{_webhook_port(bot.config)}/hook" for bot in bots]
        poster = WebhookPoster(server, behind=urls)
        crowd = Crowd(server, citizens, seed, database, minimum=minimum, maximum=maximum)
        victim = bots[1]
        try:
            for bot in bots:
                await bot.start()
                await bot.wait_serving()
            poster.start()
            crowd.start()
            killed_after = rng.uniform(3.0, 6.0)
            await asyncio.sleep(killed_after)
            await victim.kill()
            stuck = await crowd.finish(timeout=90)
            # An update the victim had begun (answered, not yet marked) waits for its chat's claim
            # to expire (15 s); then a survivor takes it up.
            await wait_inbox_handled(database, timeout=5 if stuck else 40)
            await wait_delivered(database, timeout=5 if stuck else 30)
            codes = [await bot.interrupt() for bot in bots if bot is not victim]
        except BaseException:
            await crowd.cancel()
            for bot in bots:
                await bot.ensure_stopped()
            print("\n".join(bot.log_tail(40) for bot in bots))
            raise
        finally:
            await poster.stop()
        census = Census.take(database, server, crowd.filed, victim.kills, len(bots), posted=poster.answered)
    return WorkersRun(census, codes, [poster.served[url] for url in urls], killed_after, stuck,
                      "\n".join(bot.logs() for bot in bots), loop.time() - began)


def _webhook_port(config: Path) -> int:
    found = re.search(r"^port = (\d+)$", config.read_text(), re.M)
    assert found is not None
    return int(found.group(1))
