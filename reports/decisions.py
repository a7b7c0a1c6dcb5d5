"""What a moderator can do to a report, and the state each action leads to (pure)."""

from __future__ import annotations

from enum import StrEnum

from harmline.reports.model import ReportStatus


class Action(StrEnum):
    OPEN = "open"  # looked at it (/report, "Open" in the queue)
    CONFIRM = "confirm"  # harmful: confirmed (and forwarded)
    REJECT = "reject"  # not harmful
    MERGE = "merge"  # a duplicate of another report
    ASK = "ask"  # need more info: a question to the citizen
    ESCALATE = "escalate"  # urgent: forwarded at once, shown as urgent
    RECATEGORISE = "recategorise"  # the category was wrong


_LEADS_TO = {Action.CONFIRM: ReportStatus.CONFIRMED, Action.REJECT: ReportStatus.REJECTED,
             Action.MERGE: ReportStatus.MERGED, Action.ASK: ReportStatus.NEEDS_INFO}


def next_status(current: ReportStatus, action: Action) -> ReportStatus | None:
    """The status after ``action``, or None when the report cannot take it (already decided,
    still being written by the citizen, withdrawn)."""
    if not current.undecided:
        return None
    if action in _LEADS_TO:
        return _LEADS_TO[action]
    # Opening, escalating or correcting the category starts a review; it does not end one, and
    # a report waiting for the citizen's answer keeps waiting.
    return ReportStatus.IN_REVIEW if current is ReportStatus.NEW else current
