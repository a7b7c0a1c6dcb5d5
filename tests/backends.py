"""Which database the suite runs on: SQLite files by default; a PostgreSQL server when
``HARMLINE_TEST_POSTGRES`` names one (``postgresql://USER@HOST:PORT/postgres``, as `.ci/run` and
``tests/postgres_server.sh`` start it).

On PostgreSQL every SQLite path a test uses stands for a database of its own, made from a
migrated template on first use and dropped when the test ends, so tests stay as independent as
their temporary folders, and the same path twice (a restart) is the same database.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from harmline.storage import Database, PostgresDatabase
from harmline.storage.postgres import postgres_sql
from harmline.storage.units import SQLDatabase

POSTGRES = os.environ.get("HARMLINE_TEST_POSTGRES") or None
TEMPLATE = "harmline_test_template"
_made: set[str] = set()


def on_postgres() -> bool:
    return POSTGRES is not None


def _url(name: str) -> str:
    assert POSTGRES is not None
    return urlunsplit(urlsplit(POSTGRES)._replace(path=f"/{name}"))


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    assert POSTGRES is not None
    return psycopg.connect(POSTGRES, autocommit=True)


async def prepare_template() -> None:
    """Once per session: a database with every migration applied, copied for each test."""
    with _admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {TEMPLATE}")
    database = PostgresDatabase(_url(TEMPLATE))
    await database.open()
    await database.close()


def postgres_url(path: str | Path) -> str:
    """The PostgreSQL database standing for the SQLite file ``path``, made on first use."""
    name = "t_" + hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:20]
    if name not in _made:
        with _admin() as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        _made.add(name)
    return _url(name)


def drop_made() -> None:
    """After each test: its databases go."""
    if not _made:
        return
    with _admin() as admin:
        for name in sorted(_made):
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _made.clear()


def storage_table(path: str | Path) -> dict[str, str]:
    """The ``[storage]`` table of a test's configuration: the SQLite file, or its PostgreSQL stand-in."""
    return {"url": postgres_url(path)} if POSTGRES else {"database": str(path)}


def make_database(path: str | Path) -> SQLDatabase:
    """A database (not opened) for a test that talks to storage directly."""
    return PostgresDatabase(postgres_url(path)) if POSTGRES else Database(str(path))


def storage_toml(path: str | Path) -> str:
    """The ``[storage]`` table's key for a configuration file a test writes."""
    return f'url = "{postgres_url(path)}"' if POSTGRES else f'database = "{path}"'


class _Translated:
    """A psycopg connection that takes SQLite's ``?`` placeholders, like the bot's transactions."""

    def __init__(self, connection: psycopg.Connection[tuple[Any, ...]]) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[tuple[Any, ...]]:
        return self._connection.execute(postgres_sql(sql), params)

    def close(self) -> None:
        self._connection.close()


def read_directly(path: str | Path) -> sqlite3.Connection | _Translated:
    """A plain connection for a test that inspects the database behind the bot's back."""
    if POSTGRES:
        return _Translated(psycopg.connect(postgres_url(path), autocommit=True))
    return sqlite3.connect(path, timeout=5)
