"""Operator configuration: one TOML file, validated at start-up."""

from harmline.settings.load import ConfigError, load_settings, parse_settings
from harmline.settings.model import (
    ASEAN_COUNTRIES,
    REGIONAL,
    ContactSettings,
    DeliverySettings,
    IntakeSettings,
    ModeratorSettings,
    Settings,
    SummarySettings,
    TelegramSettings,
    WebhookServerSettings,
)

__all__ = [
    "ASEAN_COUNTRIES",
    "REGIONAL",
    "ConfigError",
    "ContactSettings",
    "DeliverySettings",
    "IntakeSettings",
    "ModeratorSettings",
    "Settings",
    "SummarySettings",
    "TelegramSettings",
    "WebhookServerSettings",
    "load_settings",
    "parse_settings",
]
