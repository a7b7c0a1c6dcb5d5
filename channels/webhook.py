"""POST a report as a signed JSON document to a contact's HTTPS endpoint.

The body is signed with HMAC-SHA256 of the contact's ``webhook_secret``
(``X-Harmline-Signature: sha256=<hex>``) and carries ``Idempotency-Key: <reference>`` so a
receiver can ignore a repeat after a retry. No reporter data is ever in the document.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from delivery.channel import DeliveryFailed
from i18n import Catalogs
from i18n.labels import CATEGORY_LABELS
from reports.indicators import defang
from reports.model import Delivery, Report
from settings.model import ContactSettings
from storage.codec import to_text

SIGNATURE_HEADER = "X-Harmline-Signature"


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def report_document(report: Report, language: str, catalogs: Catalogs) -> dict[str, Any]:
    _ = catalogs.gettext(language)
    return {
        "type": "harmline.report",
        "version": 1,
        "reference": report.reference,
        "country": report.country,
        "category": report.category.value,
        "category_label": _(CATEGORY_LABELS[report.category]),
        "category_reason": report.category_reason,
        "platform": report.platform.value if report.platform else None,
        "language": {"code": report.detected_language, "confidence": report.language_confidence},
        "money_lost": report.money_lost,
        "loss_amount": report.loss_amount,
        "received_at": to_text(report.created_at),
        "completed_at": to_text(report.completed_at) if report.completed_at else None,
        # For people reading the JSON: links defanged. Machines get the exact values in "indicators".
        "text": defang(report.text),
        "messages": [
            {
                "text": defang(m.text),
                "received_at": to_text(m.received_at),
                "forwarded_from": {"type": m.origin.type, "name": m.origin.name,
                                   "date": to_text(m.origin.date) if m.origin.date else None}
                if m.origin else None,
            }
            for m in report.messages
        ],
        "indicators": [{"type": i.kind, "value": i.value, "detail": i.detail,
                        "reports": report.history[(i.kind, i.value)].reports
                        if (i.kind, i.value) in report.history else None}
                       for i in report.indicators],
        "evidence": [{"type": e.kind, "file_unique_id": e.file_unique_id, "size": e.file_size,
                      "mime_type": e.mime_type, "file_name": e.file_name} for e in report.evidence],
    }


class WebhookChannel:
    def __init__(self, client: httpx.AsyncClient, contacts: tuple[ContactSettings, ...], catalogs: Catalogs) -> None:
        self.client = client
        self.secrets = {c.webhook_url: c.webhook_secret for c in contacts if c.webhook_url}
        self.catalogs = catalogs

    async def send(self, delivery: Delivery, report: Report) -> None:
        secret = self.secrets.get(delivery.target)
        if not secret:
            raise DeliveryFailed("no webhook_secret configured for this URL any more")
        body = json.dumps(report_document(report, delivery.language, self.catalogs), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, secret),
            "Idempotency-Key": report.reference,
            "User-Agent": "harmline/0.1",
        }
        try:
            response = await self.client.post(delivery.target, content=body, headers=headers)
            response.raise_for_status()
        except httpx.HTTPStatusError as error:
            status = error.response.status_code
            # Only "slow down" (429) is a wait rather than a failure; a contact that stays down fails.
            retry_after = error.response.headers.get("Retry-After", "")
            wait = float(retry_after) if status == 429 and retry_after.isdigit() else None
            raise DeliveryFailed(f"HTTP {status}", retry_after=wait) from error
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
