"""What a report is, independent of Telegram and of storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from harmline.reports.purpose import FORWARD, Purpose


class Category(StrEnum):
    SCAM = "scam"
    ILLEGAL_GAMBLING = "illegal_gambling"
    FRAUDULENT_CONTENT = "fraudulent_content"
    OTHER = "other"


class Platform(StrEnum):
    FACEBOOK = "facebook"
    TIKTOK = "tiktok"
    INSTAGRAM = "instagram"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    SMS = "sms"
    PHONE_CALL = "phone_call"
    WEBSITE = "website"
    OTHER = "other"


class ReportStatus(StrEnum):
    """Where a report is. Forwarding is separate (the outbox): with review = "none" a report is
    forwarded while still NEW; with "before_forward" only on CONFIRMED (or escalated as urgent)."""

    COLLECTING = "collecting"  # follow-up questions open; more messages join this report
    NEW = "new"  # complete; no moderator has looked at it yet
    IN_REVIEW = "in_review"  # a moderator opened it, changed its category, or the citizen answered
    NEEDS_INFO = "needs_info"  # a moderator asked the citizen a question; their next message answers it
    CONFIRMED = "confirmed"  # a moderator confirmed it (and it was forwarded)
    REJECTED = "rejected"  # a moderator found nothing harmful
    MERGED = "merged"  # a duplicate, joined to another report
    CANCELLED = "cancelled"  # withdrawn by the citizen before it was forwarded

    @property
    def undecided(self) -> bool:
        return self in (ReportStatus.NEW, ReportStatus.IN_REVIEW, ReportStatus.NEEDS_INFO)

    @property
    def decided(self) -> bool:
        return self in (ReportStatus.CONFIRMED, ReportStatus.REJECTED, ReportStatus.MERGED)


class FollowUpStep(StrEnum):
    COUNTRY = "country"
    PLATFORM = "platform"
    LOSS = "loss"
    AMOUNT = "amount"


# The origin of a message the reporter forwarded from their own chat: stored without a name.
SELF = "self"


@dataclass(frozen=True)
class Origin:
    """Where a forwarded message came from: a user, a hidden user, a group, a channel, or the
    reporter's own chat (:data:`SELF`, no name)."""

    type: str
    name: str
    date: datetime | None = None


@dataclass(frozen=True)
class Attachment:
    kind: str  # photo, document, video, audio, voice, animation (sticker: stored before stickers stopped being reports)
    file_id: str
    file_unique_id: str
    file_size: int | None = None
    mime_type: str | None = None
    file_name: str | None = None


@dataclass(frozen=True)
class IncomingMessage:
    """One citizen message, as the intake sees it (built from a Telegram update by handlers/)."""

    update_id: int
    user_id: int
    chat_id: int
    message_id: int
    text: str  # the message text, or the media caption
    received_at: datetime
    language_code: str | None = None
    attachments: tuple[Attachment, ...] = ()
    media_group_id: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True)
class ReportMessage:
    text: str
    received_at: datetime
    origin: Origin | None = None


@dataclass(frozen=True)
class ImageText:
    """What was read from an evidence image: its text and QR codes, never the citizen's words."""

    state: str  # pending, read, failed, skipped
    text: str = ""
    language: str | None = None
    confidence: float | None = None  # 0-100, the OCR engine's
    codes: tuple[str, ...] = ()  # QR code contents
    problem: str | None = None  # why it was not read (failed, skipped)


@dataclass(frozen=True)
class Evidence:
    kind: str
    file_id: str
    file_unique_id: str
    file_size: int | None
    mime_type: str | None
    file_name: str | None
    caption: str | None
    read: ImageText | None = None  # None: not an image, or reading is off


@dataclass(frozen=True)
class Indicator:
    kind: str  # phone, url, email, bank_account, ewallet, crypto_wallet, social_handle
    value: str
    # Bank or wallet name, a URL's registrable domain (";shortener" appended for link shorteners),
    # a crypto wallet's network, a handle's platform.
    detail: str | None = None
    # Where it was found: "text" (the citizen's words), "image" (read from a screenshot), "qr" (a
    # QR code). Not part of its identity: the same number typed and seen in a screenshot is one.
    found_in: str = field(default="text", compare=False)


@dataclass(frozen=True)
class IndicatorHistory:
    """How often an indicator was reported before: what /check answers and cards show."""

    kind: str
    value: str
    reports: int  # reports (not cancelled) that contain it
    first_seen: datetime | None
    last_seen: datetime | None
    countries: tuple[str, ...]
    categories: tuple[tuple[str, int], ...]  # (category, reports), most frequent first

    @property
    def most_common_category(self) -> str | None:
        return self.categories[0][0] if self.categories else None


@dataclass(frozen=True)
class Explanation:
    """Why the classifier chose a category: its calibrated confidence, the readable cues
    (reports.cues names) and the citizen's words that weighed most. Rendered in the reader's
    language (reports.explanation)."""

    confidence: float
    cues: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    uncertain: bool = False  # below the model's threshold: shown as uncertain, not asserted


@dataclass
class Report:
    id: int
    reference: str
    country: str
    status: ReportStatus
    reply_language: str
    detected_language: str | None
    language_confidence: float | None
    category: Category
    category_reason: str
    platform: Platform | None
    money_lost: bool | None
    loss_amount: str | None
    followup_step: FollowUpStep | None
    followup_message_id: int | None
    created_at: datetime
    last_message_at: datetime
    followup_deadline: datetime
    completed_at: datetime | None
    reporter_chat_id: int | None = None
    urgent: bool = False  # escalated by a moderator: forwarded at once, shown first
    merged_into: str | None = None  # the reference of the report this duplicate was joined to
    decided_at: datetime | None = None
    decided_by: str | None = None  # the moderator's name, for "already decided by …"
    scam_type: str | None = None  # for scams: phishing, investment, job … (reports.learned.SCAM_TYPES)
    explanation: Explanation | None = None  # the classifier's; None once a moderator set the category
    # The citizen asked to keep it on file only (or, with consent = "ask", has not yet agreed to
    # forward it): nothing of it goes to contacts, summaries or exports; moderators still see it.
    keep_on_file: bool = False
    messages: list[ReportMessage] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    # Per indicator, every report (this one included) that contains it: for the contact's card.
    history: dict[tuple[str, str], IndicatorHistory] = field(default_factory=dict)
    same_script_reports: int = 0  # earlier reports of the same scam text (linked automatically)
    possible_duplicates: int = 0  # earlier reports that may be the same (for a moderator to decide)

    @property
    def text(self) -> str:
        """All the citizen's words, in the order they were sent."""
        return "\n\n".join(m.text for m in self.messages if m.text)


@dataclass(frozen=True)
class Delivery:
    """One report (or a weekly summary) on its way to one recipient (a row of the outbox)."""

    id: int
    report_id: int | None  # None: a delivery of no report (a weekly summary)
    contact_name: str
    channel: str  # "telegram" or "webhook"
    target: str  # chat id or URL
    language: str
    state: str  # pending, delivered, failed, cancelled
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    progress: int = 0  # messages of this delivery already sent (a retry starts after them)
    purpose: Purpose = FORWARD  # what it carries (reports.purpose)
    created_at: datetime | None = None  # when it was queued
