"""Reading evidence images in the background, after the citizen has been answered.

Each image queued by the intake (a persistent row, so a restart or a crash loses none) is
downloaded through the Telegram adapter, read in a thread pool off the event loop (text in the
likely script, QR codes), and what was read joins the report in one transaction: the text and its
language beside the evidence, the numbers and links it holds as indicators marked "from a
screenshot" or "from a QR code", and the report's category, language and scam-script links worked
out again on the citizen's words and the screenshots' text together. The report's forwards and
cards wait for this (at most ``[ocr] max_wait_seconds``), so they carry what was read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from harmline.ocr import ImageReading, ScreenshotReader, UnreadableImage
from harmline.reports.indicators import indicators_read
from harmline.reports.language import Detection
from harmline.reports.model import ImageText, Indicator
from harmline.repositories import Transaction
from harmline.repositories.images import PendingImage
from harmline.services.intake import Intake
from harmline.services.notices import UNREADABLE, Notices
from harmline.services.prepared import Prepared
from harmline.settings.model import OcrSettings

log = logging.getLogger(__name__)
# How often an idle reader looks for images it was not woken for (queued by a replayed update).
IDLE_POLL_SECONDS = 5.0


class FileUnavailable(Exception):
    """The image could not be downloaded; ``retry``: whether trying later may help."""

    def __init__(self, problem: str, *, retry: bool) -> None:
        super().__init__(problem)
        self.retry = retry


Download = Callable[[str], Awaitable[bytes]]


class ScreenshotReading:
    """The background reader: ``start`` in post_init, ``stop`` in post_shutdown."""

    def __init__(self, intake: Intake, reader: ScreenshotReader, settings: OcrSettings, download: Download,
                 notices: Notices) -> None:
        self.intake = intake
        self.notices = notices
        self.reader = reader
        self.settings = settings
        self.download = download
        self._executor: ThreadPoolExecutor | None = None
        self._task: asyncio.Task[None] | None = None
        self._woken = asyncio.Event()

    def wake(self) -> None:
        self._woken.set()

    def start(self) -> None:
        self._executor = ThreadPoolExecutor(self.settings.workers, thread_name_prefix="ocr")
        self._task = asyncio.create_task(self._run(), name="screenshot-reader")

    async def stop(self) -> None:
        """Stop reading; an image cut off half-way stays pending and is read after a restart."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    async def _run(self) -> None:
        while True:
            try:
                while await self.read_due():
                    pass
                await self._sleep()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not end reading for good
                log.exception("screenshot reader: cannot read the queue; retrying shortly")
                await asyncio.sleep(1.0)

    async def _sleep(self) -> None:
        now = self.intake.clock()
        due = await self.intake.images.next_due_at()
        wait = IDLE_POLL_SECONDS if due is None else min(max((due - now).total_seconds(), 0.0), IDLE_POLL_SECONDS)
        self._woken.clear()
        with contextlib.suppress(TimeoutError):  # asyncio.timeout: see delivery.worker on wait_for
            async with asyncio.timeout(wait):
                await self._woken.wait()

    async def read_due(self) -> int:
        """Read the images due now, ``workers`` at a time; returns how many were handled."""
        due = await self.intake.images.due(self.intake.clock(), self.settings.workers * 2)
        await asyncio.gather(*(self._read_one(image) for image in due))
        return len(due)

    async def _read_one(self, image: PendingImage) -> None:
        try:
            data = await self.download(image.file_id)
            reading = await asyncio.get_running_loop().run_in_executor(
                self._executor, self.reader.read, data, image.languages, image.country)
        except FileUnavailable as problem:
            await self._failed(image, f"download: {problem}", retry=problem.retry)
            return
        except UnreadableImage as problem:
            await self._failed(image, f"not readable: {problem}", retry=False, skipped=True)
            return
        except Exception as error:  # a bug in reading one image must not stop the others (nor be retried)
            log.exception("screenshot reader: reading evidence %d failed", image.evidence_id)
            await self._failed(image, f"error: {type(error).__name__}", retry=False)
            return
        # The language, indicators, category and fingerprint are worked out before the write
        # transaction, like the intake's own reading (services/prepared.py).
        detection = self.intake.detector.detect(reading.text, None, image.country) if reading.text else None
        found = indicators_read(reading.text, reading.codes, image.country)
        prepared = Prepared(self.intake.classifier)
        parts = await self.intake.reports.text_parts(report_id=image.report_id)
        if parts is not None:
            prepared.ahead(parts.with_image(image.evidence_id, reading.text), classify=True, fingerprinted=True)
        await self.intake.run_prepared(prepared, lambda tx: self._save(tx, image, reading, detection, found, prepared))
        self.intake.on_due()

    def _save(self, tx: Transaction, image: PendingImage, reading: ImageReading, detection: Detection | None,
              found: list[Indicator], prepared: Prepared) -> None:
        text = ImageText("read", reading.text, detection.language if detection else None, reading.confidence,
                         tuple(reading.codes))
        now = self.intake.clock()
        if not self.intake.images.save_reading(tx, image.evidence_id, text, reading.models, now):
            return  # read meanwhile by another process sharing the database: its reading stands
        self.intake.reports.add_indicators(tx, image.report_id, found)
        self.intake.absorb_image_text(tx, image.report_id, detection, now, (
            f"evidence {image.evidence_id}: {len(reading.text)} characters ({reading.models}, confidence "
            f"{reading.confidence:.0f}), {len(reading.codes)} QR code(s)"), prepared)

    async def _failed(self, image: PendingImage, problem: str, *, retry: bool, skipped: bool = False) -> None:
        log.info("screenshot reader: evidence %d of report %d: %s", image.evidence_id, image.report_id, problem)
        now = self.intake.clock()
        again = retry and image.attempts + 1 < self.settings.max_attempts
        retry_at = now + timedelta(seconds=30 * 2 ** image.attempts) if again else None

        def work(tx: Transaction) -> None:
            self.intake.images.save_failure(tx, image.evidence_id, problem, retry_at, skipped=skipped)
            if retry_at is None:  # given up: the report's forwards need not wait for it any longer
                self.intake.release(tx, image.report_id)
                report = self.intake.reports.get_in(tx, image.report_id)
                # A report that is only this picture says nothing: the citizen is asked for the words.
                if report is not None and not self.intake.reports.report_text(tx, image.report_id):
                    self.notices.tell(tx, report, UNREADABLE, now)

        await self.intake.database.run(work)
        self.intake.on_due()


def make_reader(settings: OcrSettings, installed: set[str]) -> ScreenshotReader:
    languages = [language for language in (settings.languages or sorted(installed)) if language in installed]
    missing = sorted(set(settings.languages) - installed)
    if missing:
        log.warning("ocr.languages: no model shipped for %s; those are not read", ", ".join(missing))
    return ScreenshotReader(languages, max_pixels=settings.max_image_pixels)
