"""Shared fixtures: configurations, a real SQLite file, and a clock the tests can move."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from harmline.demo import environment
from harmline.settings import Settings, parse_settings
from tests.backends import drop_made, on_postgres, prepare_template, storage_table


@pytest.fixture(scope="session", autouse=True)
def postgres_template() -> None:
    """On the PostgreSQL leg (HARMLINE_TEST_POSTGRES), the migrated template tests copy."""
    if on_postgres():
        asyncio.run(prepare_template())


@pytest.fixture(autouse=True)
def postgres_databases(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """On the PostgreSQL leg, a loopback deployment's SQLite file stands for a PostgreSQL
    database of its own, and each test's databases are dropped when it ends."""
    if on_postgres():
        monkeypatch.setattr(environment, "storage_for", storage_table)
    yield
    drop_made()


# Tests that never touch a database run the same on both backends: the PostgreSQL leg leaves them
# to the SQLite leg, which keeps the two legs side by side well under CI's time.
NO_DATABASE = {"test_ocr", "test_learned_classifier", "test_language_eval", "test_cues", "test_language",
               "test_indicators", "test_money", "test_purpose", "test_fuzz_callback_data", "test_catalogues",
               "test_analyze", "test_botapi_server", "test_ordering", "test_summary_layout", "test_summary_wording",
               "test_summary_files"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not on_postgres():
        return
    skip = pytest.mark.skip(reason="touches no database: run on the SQLite leg")
    for item in items:
        if item.path.stem in NO_DATABASE:
            item.add_marker(skip)


class Clock:
    """A clock the test moves by hand (follow-up windows are minutes long)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def config(database: str, **overrides: Any) -> dict[str, Any]:
    """A valid configuration document; ``overrides`` replace whole top-level tables."""
    document: dict[str, Any] = {
        "telegram": {"token": "123456:TEST-TOKEN", "rate_limit": False},
        "storage": storage_table(database),
        "deployment": {"countries": ["MY"]},
        "moderation": {"review": "none"},
        "moderators": [{"telegram_user_id": 900001, "countries": ["MY"]}],
        "contacts": [{"country": "MY", "name": "National Scam Response Centre", "telegram_chat_id": -100123,
                      "language": "ms"}],
        "delivery": {"backoff_base_seconds": 0.2, "backoff_max_seconds": 1.0, "max_attempts": 5},
    }
    document.update(overrides)
    return document


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        return parse_settings(config(str(tmp_path / "harmline.db"), **overrides))

    return make
