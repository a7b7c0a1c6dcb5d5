"""The validated configuration, as plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Literal

# ISO 3166-1 alpha-2 codes of the eleven ASEAN member states (Timor-Leste included).
ASEAN_COUNTRIES: dict[str, str] = {
    "BN": "Brunei Darussalam",
    "KH": "Cambodia",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MY": "Malaysia",
    "MM": "Myanmar",
    "PH": "Philippines",
    "SG": "Singapore",
    "TH": "Thailand",
    "TL": "Timor-Leste",
    "VN": "Viet Nam",
}

# The civil time zone of each country (Indonesia: the capital's, Western Indonesia Time): the
# moderators' "today" and the weekly summaries follow it.
TIME_ZONES: dict[str, str] = {
    "BN": "Asia/Brunei",
    "KH": "Asia/Phnom_Penh",
    "ID": "Asia/Jakarta",
    "LA": "Asia/Vientiane",
    "MY": "Asia/Kuala_Lumpur",
    "MM": "Asia/Yangon",
    "PH": "Asia/Manila",
    "SG": "Asia/Singapore",
    "TH": "Asia/Bangkok",
    "TL": "Asia/Dili",
    "VN": "Asia/Ho_Chi_Minh",
}

ReviewMode = Literal["none", "before_forward"]
# Whether the citizen chooses if their report is forwarded ([privacy] consent): "opt_out", it is
# unless they tap "Keep on file only"; "ask", only once they tap "Forward it"; "none", always.
ConsentMode = Literal["opt_out", "ask", "none"]


@dataclass(frozen=True)
class WebhookServerSettings:
    """Receive updates through a webhook instead of long polling."""

    url: str
    listen: str = "0.0.0.0"
    port: int = 8443
    url_path: str = "telegram"
    secret_token: str | None = None
    # Accept a webhook without secret_token (anyone who finds the URL could post updates).
    allow_insecure: bool = False


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    rate_limit: bool = True
    webhook: WebhookServerSettings | None = None


@dataclass(frozen=True)
class ModeratorSettings:
    telegram_user_id: int
    countries: tuple[str, ...]  # "*" means every served country
    on_duty: bool = False  # also receives every new report's card in private

    def covers(self, country: str) -> bool:
        return "*" in self.countries or country in self.countries


@dataclass(frozen=True)
class ViewerSettings:
    """A ministry viewer (``[[viewers]]``): the dashboard's figures and indicators of their
    countries, never a report's text."""

    telegram_user_id: int
    countries: tuple[str, ...]  # "*" means every served country

    def covers(self, country: str) -> bool:
        return "*" in self.countries or country in self.countries


@dataclass(frozen=True)
class DashboardSettings:
    """The web dashboard (``[dashboard]``), served by ``harmline dashboard`` on this port, or by
    ``harmline run`` itself when ``with_bot``."""

    port: int = 8080
    with_bot: bool = False
    listen: str = "127.0.0.1"
    session_hours: float = 12.0  # a sign-in lasts this long
    # The bot's username, for the Telegram Login widget (the domain is set with @BotFather /setdomain).
    bot_username: str | None = None


@dataclass(frozen=True)
class ModeratorChatSettings:
    """A moderators' group: new-report cards of its countries go there (into a topic per
    country when the group has topics)."""

    chat_id: int
    countries: tuple[str, ...] = ("*",)

    def covers(self, country: str) -> bool:
        return "*" in self.countries or country in self.countries


@dataclass(frozen=True)
class ContactSettings:
    country: str
    name: str
    language: str
    telegram_chat_id: int | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    allow_insecure: bool = False  # accept an http:// webhook_url (a loopback or test endpoint)
    hotline: str | None = None  # the number citizens are told to call (/check, advice)
    weekly_summary: bool = False  # receives its country's weekly summary
    regional: bool = False  # receives the regional summary (every served country side by side)


@dataclass(frozen=True)
class DeliverySettings:
    # Every forward goes to this chat instead of the real contacts (staging, training).
    redirect_chat_id: int | None = None
    max_attempts: int = 10
    backoff_base_seconds: float = 2.0
    backoff_max_seconds: float = 900.0
    webhook_timeout_seconds: float = 15.0


@dataclass(frozen=True)
class IntakeSettings:
    # Messages from one citizen this close together make one report (screenshot, text, screenshot).
    merge_window_seconds: float = 15.0
    # The follow-up questions stay open this long; the report is forwarded at the latest then.
    followup_window_seconds: float = 300.0
    max_text_length: int = 20_000
    # Per citizen, against floods and abuse (Telegram limits only the bot's own messages): new
    # reports in an hour and in a day, and messages of any report in a minute.
    reports_per_hour: int = 10
    reports_per_day: int = 30
    messages_per_minute: int = 20


@dataclass(frozen=True)
class OcrSettings:
    """Reading the text and QR codes of evidence images, in the background (``[ocr]``)."""

    enabled: bool = True
    languages: tuple[str, ...] = ()  # harmline languages to read; empty: every installed one
    workers: int = 1  # threads reading images at once (each uses one core while it reads)
    max_image_bytes: int = 10_000_000  # larger files are kept as evidence but not read
    max_image_pixels: int = 40_000_000  # a decoded image larger than this is not read
    # A report's forwards and cards wait at most this long for its images to be read.
    max_wait_seconds: float = 60.0
    max_attempts: int = 3


@dataclass(frozen=True)
class RetentionPeriod:
    """How long a report is kept whole, then de-identified, before it is deleted."""

    # Words, screenshot texts, files, forward names and the link to the reporter are taken away;
    # indicators, category, country, dates and the loss stay for statistics and /check.
    deidentify_after_days: int = 180
    delete_after_days: int = 730  # the report's row and everything on it


@dataclass(frozen=True)
class RetentionSettings:
    """``[retention]``: the deployment's periods, and countries whose law asks for others
    (``[retention.countries.TH]``). A daily job applies them in batches of ``batch_size``."""

    default: RetentionPeriod = field(default_factory=RetentionPeriod)
    countries: tuple[tuple[str, RetentionPeriod], ...] = ()
    batch_size: int = 500
    at: time = time(2, 30)  # UTC: when the daily job runs

    def period(self, country: str) -> RetentionPeriod:
        return dict(self.countries).get(country, self.default)

    @property
    def shortest_deidentify_days(self) -> int:
        """For what belongs to no country (reporters, the audit rows of citizens' attempts)."""
        return min(p.deidentify_after_days for p in (self.default, *dict(self.countries).values()))


@dataclass(frozen=True)
class OperationsSettings:
    """``/metrics``, ``/healthz`` and ``/readyz`` for the deployment's monitoring (``[operations]``)."""

    port: int | None = None  # None: not served
    listen: str = "127.0.0.1"


@dataclass(frozen=True)
class SummarySettings:
    """When the weekly summaries go out: ``weekday`` (0 = Monday) at ``at`` in each country's own
    time zone; the regional summary at the same local time in ``regional_time_zone``."""

    weekday: int = 0
    at: time = time(9, 0)
    regional_time_zone: str = "Asia/Jakarta"  # the ASEAN Secretariat's


@dataclass(frozen=True)
class Settings:
    telegram: TelegramSettings
    database: str  # the SQLite file, unless database_url names a PostgreSQL database
    countries: tuple[str, ...]
    review: ReviewMode = "none"
    admins: tuple[int, ...] = ()  # Telegram user ids: every country, and /mod to manage moderators
    moderator_chats: tuple[ModeratorChatSettings, ...] = ()
    moderators: tuple[ModeratorSettings, ...] = ()
    contacts: tuple[ContactSettings, ...] = ()
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    intake: IntakeSettings = field(default_factory=IntakeSettings)
    summaries: SummarySettings = field(default_factory=SummarySettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    operations: OperationsSettings = field(default_factory=OperationsSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    consent: ConsentMode = "opt_out"
    viewers: tuple[ViewerSettings, ...] = ()
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    log_level: str = "INFO"
    log_format: str = "text"  # "text" (one readable line) or "json" (one JSON object per line)
    database_url: str | None = None  # storage.url: a PostgreSQL database instead of the SQLite file

    def contacts_for(self, country: str) -> tuple[ContactSettings, ...]:
        return tuple(c for c in self.contacts if c.country == country)

    def time_zone_of(self, scope: str) -> str:
        """The time zone of a country, or of the regional summary (scope ``ALL``)."""
        return self.summaries.regional_time_zone if scope == REGIONAL else TIME_ZONES[scope]


# The scope of the regional summary, beside the country codes.
REGIONAL = "ALL"
