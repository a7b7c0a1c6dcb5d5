"""One report as it leaves harmline: what investigators act on, nothing about the reporter (no name,
username, phone number, chat, nor the citizen's own words); and which reports leave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

# Which reports an export holds (the storage layer selects them: repositories.exports):
# - "forwarded": a forward to a national contact was delivered, and the report was not found
#   harmless, merged into another nor withdrawn since (with review = "none" nobody confirms reports);
# - "confirmed": a moderator confirmed it;
# - "received": every report but those withdrawn by the citizen and those still being written,
#   whether checked, found harmless or forwarded or not.
# Never a report the citizen asked to keep on file only.
ExportStatus = Literal["forwarded", "confirmed", "received"]
EXPORT_STATUSES: tuple[ExportStatus, ...] = ("forwarded", "confirmed", "received")


@dataclass(frozen=True)
class ExportedIndicator:
    kind: str  # phone, url, email, bank_account, ewallet, crypto_wallet, social_handle
    value: str  # as stored; human-readable outputs defang it
    detail: str | None  # bank or wallet name, registrable domain, network, platform
    # The first time any live report (not withdrawn, not found harmless) gave this value, even one
    # outside the export: /check's "since when", STIX's valid_from.
    first_reported: datetime | None = None


@dataclass(frozen=True)
class ExportedReport:
    reference: str
    country: str
    category: str
    scam_type: str | None
    platform: str | None
    language: str | None
    received_at: datetime
    decided_at: datetime | None
    money_lost: bool | None
    loss_amount: Decimal | None  # parsed from what the citizen typed; None if not understood
    loss_currency: str | None
    indicators: tuple[ExportedIndicator, ...]
