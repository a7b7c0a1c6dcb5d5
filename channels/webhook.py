"""POST a report as a signed JSON document to a contact's HTTPS endpoint.

The body is signed with HMAC-SHA256 of the contact's ``webhook_secret``
(``X-Harmline-Signature: sha256=<hex>``) and carries ``Idempotency-Key: <reference>`` so a
receiver can ignore a repeat after a retry. No reporter data is ever in the document.

What an answer means: any 2xx is delivered. 408, 409, 425 and 429 (and every 5xx, a redirect, a
timeout, a refused connection) may pass: retried with backoff, at the earliest after a 429's or
503's ``Retry-After``. Every other 4xx — 400/422 (the document refused), 401/403 (the signature
or credentials refused: check ``webhook_secret``), 404/410 (no endpoint there: check
``webhook_url``), 413 … — will be answered the same way however often it is sent, so the
delivery fails at once with that reason; ``harmline outbox retry`` sends it again once fixed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from harmline.delivery.channel import Attempt, DeliveryFailed
from harmline.i18n import Catalogs
from harmline.reports.indicators import defang
from harmline.reports.labels import CATEGORY_LABELS
from harmline.reports.model import Delivery, Report
from harmline.settings.model import ContactSettings
from harmline.storage.codec import to_text

SIGNATURE_HEADER = "X-Harmline-Signature"
# 4xx answers that may pass: Request Timeout, Conflict (a concurrent request), Too Early, Too Many Requests.
PASSING_CLIENT_ERRORS = frozenset({408, 409, 425, 429})
_HINTS = {401: "check webhook_secret", 403: "check webhook_secret", 404: "check webhook_url",
          410: "check webhook_url"}


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
                "forwarded_from": {"type": m.origin.type, "name": m.origin.name or None,
                                   "date": to_text(m.origin.date) if m.origin.date else None}
                if m.origin else None,
            }
            for m in report.messages
        ],
        "indicators": [{"type": i.kind, "value": i.value, "detail": i.detail, "found_in": i.found_in,
                        "reports": report.history[(i.kind, i.value)].reports
                        if (i.kind, i.value) in report.history else None}
                       for i in report.indicators],
        "evidence": [{"type": e.kind, "file_unique_id": e.file_unique_id, "size": e.file_size,
                      "mime_type": e.mime_type, "file_name": e.file_name,
                      # Read from the image, never the citizen's words; links defanged as in "text".
                      "read": {"state": e.read.state, "text": defang(e.read.text), "language": e.read.language,
                               "confidence": e.read.confidence, "qr_codes": list(e.read.codes)}
                      if e.read else None}
                     for e in report.evidence],
    }


class WebhookChannel:
    def __init__(self, client: httpx.AsyncClient, contacts: tuple[ContactSettings, ...], catalogs: Catalogs) -> None:
        self.client = client
        self.secrets = {c.webhook_url: c.webhook_secret for c in contacts if c.webhook_url}
        self.catalogs = catalogs

    async def send(self, delivery: Delivery, report: Report, attempt: Attempt) -> None:
        secret = self.secrets.get(delivery.target)
        if not secret:
            raise DeliveryFailed("no webhook_secret configured for this URL any more", permanent=True)
        body = json.dumps(report_document(report, delivery.language, self.catalogs), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, secret),
            "Idempotency-Key": report.reference,
            "User-Agent": "harmline/0.1",
        }
        try:
            response = await self.client.post(delivery.target, content=body, headers=headers)
        except httpx.TimeoutException as error:
            raise DeliveryFailed(f"{type(error).__name__}: no answer within the webhook timeout") from error
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        if not response.is_success:
            raise answer_failure(response)
        await attempt.sent(1, last=True)


def answer_failure(response: httpx.Response) -> DeliveryFailed:
    """A non-2xx answer as the delivery's failure (see the module's notes)."""
    status = response.status_code
    reason = f"HTTP {status} {response.reason_phrase}".rstrip()
    detail = " ".join(response.text[:200].split()) if response.content else ""
    if status in _HINTS:
        reason += f" ({_HINTS[status]})"
    if detail:
        reason += f": {detail}"
    if 300 <= status < 400 and response.headers.get("Location"):
        reason += f" (redirects are not followed; Location: {response.headers['Location']})"
    retry_after = response.headers.get("Retry-After", "").strip()
    wait = float(retry_after) if retry_after.isdigit() else None
    permanent = 400 <= status < 500 and status not in PASSING_CLIENT_ERRORS
    return DeliveryFailed(reason, min_wait=wait, permanent=permanent)
