"""Re-queuing failed deliveries (``harmline outbox retry``): to the recipient the configuration
names *now*, since the usual reason to retry is that an operator fixed a contact's chat id or URL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from harmline.repositories.outbox import OutboxEntry, Requeue
from harmline.routing import SUMMARY, TELEGRAM, WEBHOOK, Recipient, recipients_for, summary_recipients
from harmline.settings import Settings
from harmline.summaries.schedule import summary_of


@dataclass(frozen=True)
class Planned:
    entry: OutboxEntry
    change: Requeue
    note: str | None  # the target changed, or the recipient is no longer configured


def _current(entry: OutboxEntry, settings: Settings) -> list[Recipient] | None:
    """The recipients the configuration names now for what ``entry`` delivers; None when the
    target is not a contact's (moderators' cards, notices to a citizen: kept as stored)."""
    delivery = entry.delivery
    if delivery.channel in (TELEGRAM, WEBHOOK) and entry.country is not None:
        return recipients_for(entry.country, settings)
    if delivery.channel == SUMMARY and delivery.report_id is None:
        parsed = summary_of(delivery.purpose)
        return summary_recipients(parsed[0], settings) if parsed else None
    return None


def plan_requeue(entries: Sequence[OutboxEntry], settings: Settings) -> list[Planned]:
    """Each failed delivery with the target and language to send it to now."""
    planned = []
    for entry in entries:
        delivery = entry.delivery
        target, language, note = delivery.target, delivery.language, None
        current = _current(entry, settings)
        if current is not None:
            match = next((r for r in current if r.name == delivery.contact_name and r.channel == delivery.channel),
                         None)
            if match is None:
                note = "no longer in the configuration: sent to the stored target"
            else:
                if match.target != delivery.target:
                    note = f"now to {match.target} (was {delivery.target}), from the first message"
                target, language = match.target, match.language
        planned.append(Planned(entry, Requeue(delivery.id, target, language), note))
    return planned
