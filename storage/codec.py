"""Conversions between domain values and column values."""

from __future__ import annotations

from datetime import UTC, datetime


def to_text(moment: datetime) -> str:
    """Fixed-width ISO-8601 UTC, so text order is time order in SQL comparisons."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_text(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def optional_from_text(value: str | None) -> datetime | None:
    return from_text(value) if value else None
