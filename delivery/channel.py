"""What the worker needs of a channel (Telegram chat, webhook): send one report, or say why not."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

from harmline.reports.model import Delivery, Report


class DeliveryFailed(Exception):
    """The recipient did not take the report this time: an expected failure, logged in one line.

    ``retry_after`` is the wait the recipient asked for (Telegram's flood control); such a wait
    is not counted as a failed attempt. ``min_wait``: a counted failure whose retry must not come
    sooner than this (a webhook's 429 with Retry-After). ``progress`` is how many of the
    delivery's messages did go out, so the retry does not send them twice. ``permanent``:
    retrying cannot help until someone changes something (the chat does not exist, the bot was
    removed from it, the endpoint is gone), so the delivery fails at once.

    Any other exception a channel raises is a bug: the worker counts it as a failed attempt too,
    and logs it with its traceback.
    """

    def __init__(self, reason: str, *, retry_after: float | None = None, min_wait: float | None = None,
                 progress: int = 0, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.min_wait = min_wait
        self.progress = progress
        self.permanent = permanent


def flood_failure(retry_after: float | timedelta, progress: int = 0) -> DeliveryFailed:
    """Telegram's "retry after" (seconds, or a timedelta in newer python-telegram-bot) as a failure."""
    seconds = retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)
    return DeliveryFailed(f"flood control: retry after {seconds:.0f} s", retry_after=seconds, progress=progress)


class Attempt:
    """One attempt at one delivery, as the channel reports it to the worker while it sends.

    ``progress`` starts at the messages sent by earlier attempts; the channel calls :meth:`sent`
    after each message the recipient accepted, and the worker saves the count at once, so a crash
    or a failure later in the delivery repeats at most the one message that was in flight.
    :meth:`note` keeps a problem the delivery went past (an evidence item that could not be sent):
    the row keeps it as its ``last_error`` once delivered.
    """

    def __init__(self, delivery: Delivery, save: Callable[[int], Awaitable[None]] | None = None) -> None:
        self.delivery = delivery
        self.progress = delivery.progress
        self.notes: list[str] = []
        self._save = save

    async def sent(self, count: int, *, last: bool = False) -> None:
        """``count`` of the delivery's messages (from the first) are now with the recipient.
        ``last``: nothing follows, so nothing is saved (the worker records the delivery next)."""
        if count <= self.progress:
            return
        self.progress = count
        if self._save is not None and not last:
            await self._save(count)

    def note(self, problem: str) -> None:
        self.notes.append(problem)


class Channel(Protocol):
    async def send(self, delivery: Delivery, report: Report, attempt: Attempt) -> None:
        """Deliver ``report`` as ``delivery`` says, skipping the ``delivery.progress`` messages
        already sent and calling ``attempt.sent`` after each one, or raise :class:`DeliveryFailed`."""
        ...


class StandaloneChannel(Protocol):
    async def send(self, delivery: Delivery, attempt: Attempt) -> None:
        """Deliver what ``delivery.purpose`` names (a weekly summary), which belongs to no report;
        otherwise as :meth:`Channel.send`."""
        ...
