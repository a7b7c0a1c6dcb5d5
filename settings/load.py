"""Reads and validates the TOML configuration.

Every problem becomes a :class:`ConfigError` whose message is one line naming the key
(``contacts[1].webhook_secret: required when webhook_url is set``), so an operator can fix it
without reading a traceback.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import time
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from harmline.i18n.languages import LANGUAGES
from harmline.settings.model import (
    ASEAN_COUNTRIES,
    ContactSettings,
    DashboardSettings,
    DeliverySettings,
    IntakeSettings,
    ModeratorChatSettings,
    ModeratorSettings,
    OcrSettings,
    OperationsSettings,
    RetentionPeriod,
    RetentionSettings,
    Settings,
    SummarySettings,
    TelegramSettings,
    ViewerSettings,
    WebhookServerSettings,
)

TOKEN_ENV = "HARMLINE_BOT_TOKEN"
_MISSING: Any = object()
T = TypeVar("T")


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and the problem."""


class _Table:
    """One TOML table being read: typed getters that name the key on error, and unknown-key checks."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: must be a table")
        self._data: dict[str, Any] = data
        self._path = path
        self._used: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self._data)

    def key(self, name: str) -> str:
        return f"{self._path}.{name}" if self._path else name

    def get(self, name: str, kind: type[T], default: Any = _MISSING) -> T:
        self._used.add(name)
        if name not in self._data:
            if default is _MISSING:
                raise ConfigError(f"{self.key(name)}: missing")
            return default  # type: ignore[no-any-return]
        value = self._data[name]
        # TOML integers are acceptable where a float is expected; booleans are not numbers.
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{self.key(name)}: expected {_kind_name(kind)}, got {value!r}")
        return value

    def text(self, name: str, default: Any = _MISSING) -> str:
        value = self.get(name, str, default)
        if value is not None and not value.strip():
            raise ConfigError(f"{self.key(name)}: must not be empty")
        return value

    def positive(self, name: str, kind: type[T], default: T) -> T:
        value = self.get(name, kind, default)
        if value <= 0:  # type: ignore[operator]
            raise ConfigError(f"{self.key(name)}: must be greater than 0, got {value!r}")
        return value

    def strings(self, name: str, default: Any = _MISSING) -> list[str]:
        values = self.get(name, list, default)
        for index, item in enumerate(values):
            if not isinstance(item, str):
                raise ConfigError(f"{self.key(name)}[{index}]: expected a string, got {item!r}")
        return values

    def names(self) -> list[str]:
        """The keys given (for a table whose keys are data, like country codes)."""
        return list(self._data)

    def table(self, name: str) -> _Table:
        self._used.add(name)
        return _Table(self._data.get(name, {}), self.key(name))

    def tables(self, name: str) -> list[_Table]:
        self._used.add(name)
        items = self._data.get(name, [])
        if not isinstance(items, list):
            raise ConfigError(f"{self.key(name)}: expected an array of tables ([[{name}]])")
        return [_Table(item, f"{self.key(name)}[{index}]") for index, item in enumerate(items)]

    def finish(self) -> None:
        for name in self._data:
            if name not in self._used:
                raise ConfigError(f"{self.key(name)}: unknown key")


def _kind_name(kind: type) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false",
            list: "an array", dict: "a table"}.get(kind, kind.__name__)


def _country(value: str, key: str, allowed: tuple[str, ...] | None = None) -> str:
    code = value.upper()
    if code not in ASEAN_COUNTRIES:
        raise ConfigError(f"{key}: {value!r} is not an ASEAN country code ({', '.join(ASEAN_COUNTRIES)})")
    if allowed is not None and code not in allowed:
        raise ConfigError(f"{key}: {value!r} is not in deployment.countries ({', '.join(allowed)})")
    return code


def _url(value: str, key: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{key}: {value!r} is not an http(s) URL")
    return value


# Telegram's rule for setWebhook's secret_token (sent back in X-Telegram-Bot-Api-Secret-Token).
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _secret_token(hook: _Table) -> str | None:
    value = hook.get("secret_token", str, None)
    if value is not None and not _SECRET_TOKEN.fullmatch(value):
        problem = (f"is {len(value)} characters long" if len(value) > 256 or not value
                   else f"contains {next(c for c in value if not _SECRET_TOKEN.fullmatch(c))!r}")
        raise ConfigError(f"{hook.key('secret_token')}: {problem}; Telegram accepts 1 to 256 characters, "
                          "only A-Z, a-z, 0-9, _ and -")
    return value


def _telegram(table: _Table) -> TelegramSettings:
    file_token = table.get("token", str, None)
    token = os.environ.get(TOKEN_ENV) or file_token
    if not token:
        raise ConfigError(f"telegram.token: missing (or set {TOKEN_ENV})")
    if ":" not in token:
        raise ConfigError("telegram.token: does not look like a bot token (expected '123456:ABC…')")
    webhook = None
    hook = table.table("webhook")
    if hook:
        webhook = WebhookServerSettings(
            url=_url(hook.text("url"), hook.key("url")),
            listen=hook.text("listen", "0.0.0.0"),
            port=hook.get("port", int, 8443),
            url_path=hook.text("url_path", "telegram"),
            secret_token=_secret_token(hook),
            allow_insecure=hook.get("allow_insecure", bool, False),
        )
        if webhook.secret_token is None and not webhook.allow_insecure:
            raise ConfigError(f"{hook.key('secret_token')}: required: without it anyone who finds the webhook "
                              "URL can post forged updates (set allow_insecure = true in [telegram.webhook] "
                              "to accept that)")
    hook.finish()
    settings = TelegramSettings(
        token=token,
        base_url=_url(table.text("base_url", TelegramSettings.base_url), table.key("base_url")),
        base_file_url=_url(table.text("base_file_url", TelegramSettings.base_file_url),
                           table.key("base_file_url")),
        rate_limit=table.get("rate_limit", bool, True),
        webhook=webhook,
    )
    table.finish()
    return settings


def _scope(table: _Table, countries: tuple[str, ...], default: Any = _MISSING) -> tuple[str, ...]:
    scope = table.strings("countries", default)
    if not scope:
        raise ConfigError(f"{table.key('countries')}: must name at least one country or \"*\"")
    return tuple(
        "*" if code == "*" else _country(code, f"{table.key('countries')}[{i}]", countries)
        for i, code in enumerate(scope)
    )


def _moderator(table: _Table, countries: tuple[str, ...]) -> ModeratorSettings:
    moderator = ModeratorSettings(telegram_user_id=table.get("telegram_user_id", int),
                                  countries=_scope(table, countries), on_duty=table.get("on_duty", bool, False))
    table.finish()
    return moderator


def _viewer(table: _Table, countries: tuple[str, ...]) -> ViewerSettings:
    viewer = ViewerSettings(telegram_user_id=table.get("telegram_user_id", int), countries=_scope(table, countries))
    table.finish()
    return viewer


def _dashboard(table: _Table) -> DashboardSettings:
    defaults = DashboardSettings()
    port = table.get("port", int, defaults.port)
    if not 1 <= port <= 65535:
        raise ConfigError(f"{table.key('port')}: {port} is not a TCP port (1-65535)")
    username = table.get("bot_username", str, None)
    if username is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,31}", username.removeprefix("@")):
        raise ConfigError(f"{table.key('bot_username')}: {username!r} is not a Telegram bot username")
    dashboard = DashboardSettings(port=port, listen=table.text("listen", defaults.listen),
                                  with_bot=table.get("with_bot", bool, defaults.with_bot),
                                  session_hours=table.positive("session_hours", float, defaults.session_hours),
                                  bot_username=username.removeprefix("@") if username else None)
    table.finish()
    return dashboard


def _moderator_chat(table: _Table, countries: tuple[str, ...]) -> ModeratorChatSettings:
    chat = ModeratorChatSettings(chat_id=table.get("chat_id", int), countries=_scope(table, countries, ["*"]))
    if chat.chat_id >= 0:
        raise ConfigError(f"{table.key('chat_id')}: {chat.chat_id} is not a group (group ids are negative)")
    table.finish()
    return chat


def _user_ids(table: _Table, name: str) -> tuple[int, ...]:
    values = table.get(name, list, [])
    for index, item in enumerate(values):
        if not isinstance(item, int) or isinstance(item, bool) or item <= 0:
            raise ConfigError(f"{table.key(name)}[{index}]: expected a Telegram user id, got {item!r}")
    return tuple(values)


def _contact(table: _Table, countries: tuple[str, ...]) -> ContactSettings:
    language = table.text("language", "en")
    if language not in LANGUAGES:
        raise ConfigError(f"{table.key('language')}: {language!r} is not one of {', '.join(LANGUAGES)}")
    webhook_url = table.get("webhook_url", str, None)
    webhook_secret = table.get("webhook_secret", str, None)
    allow_insecure = table.get("allow_insecure", bool, False)
    if webhook_url is not None:
        _url(webhook_url, table.key("webhook_url"))
        if urlparse(webhook_url).scheme != "https" and not allow_insecure:
            raise ConfigError(f"{table.key('webhook_url')}: {webhook_url!r} is not https: reports carry "
                              "personal evidence, use an https:// URL (or allow_insecure = true in this "
                              "contact, e.g. for an endpoint on loopback)")
        if not webhook_secret:
            raise ConfigError(f"{table.key('webhook_secret')}: required when webhook_url is set")
    contact = ContactSettings(
        country=_country(table.text("country"), table.key("country"), countries),
        name=table.text("name"),
        language=language,
        telegram_chat_id=table.get("telegram_chat_id", int, None),
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        allow_insecure=allow_insecure,
        hotline=table.get("hotline", str, None),
        weekly_summary=table.get("weekly_summary", bool, False),
        regional=table.get("regional", bool, False),
    )
    if contact.telegram_chat_id is None and contact.webhook_url is None:
        raise ConfigError(f"{table.key('telegram_chat_id')}: a contact needs telegram_chat_id or webhook_url")
    if contact.telegram_chat_id is None and (contact.weekly_summary or contact.regional):
        key = "weekly_summary" if contact.weekly_summary else "regional"
        raise ConfigError(f"{table.key(key)}: summaries are sent in Telegram; set telegram_chat_id as well")
    table.finish()
    return contact


def _delivery(table: _Table) -> DeliverySettings:
    defaults = DeliverySettings()
    delivery = DeliverySettings(
        redirect_chat_id=table.get("redirect_chat_id", int, None),
        max_attempts=table.positive("max_attempts", int, defaults.max_attempts),
        backoff_base_seconds=table.positive("backoff_base_seconds", float, defaults.backoff_base_seconds),
        backoff_max_seconds=table.positive("backoff_max_seconds", float, defaults.backoff_max_seconds),
        webhook_timeout_seconds=table.positive("webhook_timeout_seconds", float, defaults.webhook_timeout_seconds),
    )
    table.finish()
    return delivery


def _intake(table: _Table) -> IntakeSettings:
    defaults = IntakeSettings()
    intake = IntakeSettings(
        merge_window_seconds=table.positive("merge_window_seconds", float, defaults.merge_window_seconds),
        followup_window_seconds=table.positive("followup_window_seconds", float, defaults.followup_window_seconds),
        max_text_length=table.positive("max_text_length", int, defaults.max_text_length),
        reports_per_hour=table.positive("reports_per_hour", int, defaults.reports_per_hour),
        reports_per_day=table.positive("reports_per_day", int, defaults.reports_per_day),
        messages_per_minute=table.positive("messages_per_minute", int, defaults.messages_per_minute),
    )
    table.finish()
    return intake


def _ocr(table: _Table) -> OcrSettings:
    defaults = OcrSettings()
    enabled = table.get("enabled", bool, defaults.enabled)
    languages = table.strings("languages", [])
    for index, language in enumerate(languages):
        if language not in LANGUAGES:
            raise ConfigError(f"{table.key('languages')}[{index}]: {language!r} is not one of harmline's languages "
                              f"({', '.join(LANGUAGES)})")
    ocr = OcrSettings(
        enabled=enabled,
        languages=tuple(languages),
        workers=table.positive("workers", int, defaults.workers),
        max_image_bytes=table.positive("max_image_bytes", int, defaults.max_image_bytes),
        max_image_pixels=table.positive("max_image_pixels", int, defaults.max_image_pixels),
        max_wait_seconds=table.positive("max_wait_seconds", float, defaults.max_wait_seconds),
        max_attempts=table.positive("max_attempts", int, defaults.max_attempts),
    )
    table.finish()
    return ocr


def _operations(table: _Table) -> OperationsSettings:
    port = table.get("port", int, None)
    if port is not None and not 1 <= port <= 65535:
        raise ConfigError(f"{table.key('port')}: {port} is not a TCP port (1-65535)")
    operations = OperationsSettings(port=port, listen=table.text("listen", OperationsSettings.listen))
    table.finish()
    return operations


def _period(table: _Table, defaults: RetentionPeriod) -> RetentionPeriod:
    period = RetentionPeriod(
        deidentify_after_days=table.positive("deidentify_after_days", int, defaults.deidentify_after_days),
        delete_after_days=table.positive("delete_after_days", int, defaults.delete_after_days),
    )
    if period.delete_after_days < period.deidentify_after_days:
        raise ConfigError(f"{table.key('delete_after_days')}: {period.delete_after_days} is shorter than "
                          f"deidentify_after_days ({period.deidentify_after_days}); a report is de-identified "
                          "before it is deleted")
    return period


def _retention(table: _Table, countries: tuple[str, ...]) -> RetentionSettings:
    defaults = RetentionSettings()
    default = _period(table, defaults.default)
    by_country = table.table("countries")
    periods = []
    for code in by_country.names():
        country = _country(code, by_country.key(code), countries)
        period_table = by_country.table(code)
        periods.append((country, _period(period_table, default)))
        period_table.finish()
    by_country.finish()
    at_text = table.text("time", defaults.at.strftime("%H:%M"))
    try:
        at = time.fromisoformat(at_text)
    except ValueError:
        raise ConfigError(f"{table.key('time')}: {at_text!r} is not a time of day like \"02:30\" (UTC)") from None
    retention = RetentionSettings(default=default, countries=tuple(periods),
                                  batch_size=table.positive("batch_size", int, defaults.batch_size), at=at)
    table.finish()
    return retention


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _summaries(table: _Table) -> SummarySettings:
    defaults = SummarySettings()
    day = table.text("day", WEEKDAYS[defaults.weekday]).lower()
    if day not in WEEKDAYS:
        raise ConfigError(f"{table.key('day')}: {day!r} is not a day of the week (monday … sunday)")
    at_text = table.text("time", defaults.at.strftime("%H:%M"))
    try:
        at = time.fromisoformat(at_text)
    except ValueError:
        raise ConfigError(f"{table.key('time')}: {at_text!r} is not a time of day like \"09:00\"") from None
    zone = table.text("regional_time_zone", defaults.regional_time_zone)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{table.key('regional_time_zone')}: {zone!r} is not an IANA time zone "
                          "like \"Asia/Jakarta\"") from None
    table.finish()
    return SummarySettings(weekday=WEEKDAYS.index(day), at=at, regional_time_zone=zone)


def _database_url(url: str | None) -> str | None:
    """``storage.url``: a PostgreSQL connection URL (the password may stay out of the file: libpq
    reads PGPASSWORD and ~/.pgpass)."""
    if url is None:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConfigError(f"storage.url: expected postgresql://[user[:password]@]host[:port]/database, got a "
                          f"{parts.scheme or 'scheme-less'} URL (SQLite is storage.database = \"FILE\")")
    if not parts.path.strip("/"):
        raise ConfigError("storage.url: names no database (…/DATABASE at the end)")
    return url.strip()


def parse_settings(data: dict[str, Any], *, base_dir: Path | None = None) -> Settings:
    """Validate an already parsed TOML document. Relative paths are taken from ``base_dir``."""
    root = _Table(data, "")
    telegram = _telegram(root.table("telegram"))

    storage = root.table("storage")
    given = storage.get("database", str, None)
    database_url = _database_url(storage.get("url", str, None))
    if given is not None and database_url is not None:
        raise ConfigError("storage.url: give either storage.url (PostgreSQL) or storage.database (SQLite), not both")
    database = storage.text("database", "harmline.db")
    storage.finish()
    if database != ":memory:" and base_dir is not None and not Path(database).is_absolute():
        database = str(base_dir / database)

    deployment = root.table("deployment")
    names = deployment.strings("countries")
    if not names:
        raise ConfigError("deployment.countries: must name at least one country")
    countries = tuple(_country(code, f"deployment.countries[{i}]") for i, code in enumerate(names))
    if len(set(countries)) != len(countries):
        raise ConfigError("deployment.countries: lists a country twice")
    deployment.finish()

    moderation = root.table("moderation")
    review = moderation.text("review", "none")
    if review not in ("none", "before_forward"):
        raise ConfigError(f"moderation.review: {review!r} must be \"none\" or \"before_forward\"")
    admins = _user_ids(moderation, "admins")
    moderator_chats = tuple(_moderator_chat(t, countries) for t in moderation.tables("chats"))
    moderation.finish()

    moderators = tuple(_moderator(t, countries) for t in root.tables("moderators"))
    contacts = tuple(_contact(t, countries) for t in root.tables("contacts"))
    delivery = _delivery(root.table("delivery"))
    intake = _intake(root.table("intake"))
    summaries = _summaries(root.table("summaries"))
    ocr = _ocr(root.table("ocr"))
    operations = _operations(root.table("operations"))
    retention = _retention(root.table("retention"), countries)
    viewers = tuple(_viewer(t, countries) for t in root.tables("viewers"))
    dashboard = _dashboard(root.table("dashboard"))
    privacy = root.table("privacy")
    consent = privacy.text("consent", "opt_out")
    if consent not in ("opt_out", "ask", "none"):
        raise ConfigError(f"privacy.consent: {consent!r} must be \"opt_out\", \"ask\" or \"none\"")
    privacy.finish()

    logging_table = root.table("logging")
    log_level = logging_table.text("level", "INFO").upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"logging.level: {log_level!r} must be DEBUG, INFO, WARNING or ERROR")
    log_format = logging_table.text("format", "text")
    if log_format not in ("text", "json"):
        raise ConfigError(f"logging.format: {log_format!r} must be \"text\" or \"json\"")
    logging_table.finish()
    root.finish()

    if delivery.redirect_chat_id is None:
        for country in countries:
            if not any(c.country == country for c in contacts):
                raise ConfigError(f"contacts: no contact for {country}; add a [[contacts]] entry "
                                  "or set delivery.redirect_chat_id")
    if review == "before_forward":
        for country in countries:
            # Held reports must be seen by someone, or they would wait for ever.
            seen = any(c.covers(country) for c in moderator_chats) or any(m.covers(country) for m in moderators)
            if not seen and not admins:
                raise ConfigError(f"moderators: review = \"before_forward\" but nobody reviews {country}; add a "
                                  "[[moderators]] entry, a [[moderation.chats]] group or moderation.admins")

    return Settings(
        telegram=telegram,
        database=database,
        database_url=database_url,
        countries=countries,
        review=review,  # type: ignore[arg-type]
        admins=admins,
        moderator_chats=moderator_chats,
        moderators=moderators,
        contacts=contacts,
        delivery=delivery,
        intake=intake,
        summaries=summaries,
        ocr=ocr,
        operations=operations,
        retention=retention,
        consent=consent,  # type: ignore[arg-type]
        viewers=viewers,
        dashboard=dashboard,
        log_level=log_level,
        log_format=log_format,
    )


def load_settings(path: str | Path) -> Settings:
    """Read the TOML file at ``path``; raise :class:`ConfigError` with a one-line reason."""
    file = Path(path)
    try:
        with file.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such config file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{file}: not valid TOML: {error}") from None
    return parse_settings(data, base_dir=file.resolve().parent)
