"""Operator configuration: one TOML file, validated at start-up."""

from settings.load import ConfigError, load_settings, parse_settings
from settings.model import (
    ASEAN_COUNTRIES,
    ContactSettings,
    DeliverySettings,
    IntakeSettings,
    ModeratorSettings,
    Settings,
    TelegramSettings,
    WebhookServerSettings,
)

__all__ = [
    "ASEAN_COUNTRIES",
    "ConfigError",
    "ContactSettings",
    "DeliverySettings",
    "IntakeSettings",
    "ModeratorSettings",
    "Settings",
    "TelegramSettings",
    "WebhookServerSettings",
    "load_settings",
    "parse_settings",
]
