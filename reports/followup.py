"""The optional questions after a report: which steps, in what order, and when the report is due."""

from __future__ import annotations

from datetime import datetime, timedelta

from harmline.reports.model import FollowUpStep, Report, ReportStatus


def steps(countries: tuple[str, ...]) -> list[FollowUpStep]:
    """Country only when the bot serves several; AMOUNT is asked only after a 'yes' to LOSS."""
    chosen = [FollowUpStep.COUNTRY] if len(countries) > 1 else []
    return [*chosen, FollowUpStep.PLATFORM, FollowUpStep.LOSS]


def next_step(current: FollowUpStep, countries: tuple[str, ...], *, money_lost: bool | None) -> FollowUpStep | None:
    if current is FollowUpStep.LOSS and money_lost:
        return FollowUpStep.AMOUNT
    order = steps(countries)
    if current is FollowUpStep.AMOUNT or current not in order:
        return None
    index = order.index(current) + 1
    return order[index] if index < len(order) else None


def delivery_due(report: Report, merge_window: timedelta) -> datetime:
    """When the report's deliveries may go: the close of its follow-ups, or, once complete, a
    merge window after its last message (a screenshot sent just after "Send now" still joins)."""
    if report.status is ReportStatus.COLLECTING or report.completed_at is None:
        return report.followup_deadline
    return max(report.completed_at, report.last_message_at + merge_window)


def looks_like_amount(text: str) -> bool:
    """A short answer with digits (``RM 8,500``, ``5jt``, ``₱10000``) to the 'how much' question."""
    stripped = text.strip()
    return 0 < len(stripped) <= 40 and any(c.isdigit() for c in stripped)
