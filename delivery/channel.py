"""What the worker needs of a channel (Telegram chat, webhook): send one report, or say why not."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from reports.model import Delivery, Report


class DeliveryFailed(Exception):
    """The recipient did not take the report this time.

    ``retry_after`` is the wait the recipient asked for (Telegram's flood control); such a wait
    is not counted as a failed attempt. ``progress`` is how many of the delivery's messages did
    go out, so the retry does not send them twice. ``permanent``: retrying cannot help (the
    citizen blocked the bot), so the delivery fails at once.
    """

    def __init__(self, reason: str, *, retry_after: float | None = None, progress: int = 0,
                 permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.progress = progress
        self.permanent = permanent


def flood_failure(retry_after: float | timedelta, progress: int = 0) -> DeliveryFailed:
    """Telegram's "retry after" (seconds, or a timedelta in newer python-telegram-bot) as a failure."""
    seconds = retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)
    return DeliveryFailed(f"flood control: retry after {seconds:.0f} s", retry_after=seconds, progress=progress)


class Channel(Protocol):
    async def send(self, delivery: Delivery, report: Report) -> None:
        """Deliver ``report`` as ``delivery`` says, skipping the ``delivery.progress`` messages
        already sent, or raise :class:`DeliveryFailed`."""
        ...


class StandaloneChannel(Protocol):
    async def send(self, delivery: Delivery) -> None:
        """Deliver what ``delivery.purpose`` names (a weekly summary), which belongs to no report;
        otherwise as :meth:`Channel.send`."""
        ...
