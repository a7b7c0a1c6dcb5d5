"""The SQLite database: one aiosqlite connection, its pragmas, and the migrations."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiosqlite

from harmline.repositories.unit_of_work import Row, Transaction
from harmline.storage.migrations import MIGRATIONS, Migration
from harmline.storage.units import DatabaseUnavailable, GroupCommit, run_units

log = logging.getLogger(__name__)
Work = Callable[["SQLiteTransaction"], Any]


class DatabaseNotFound(DatabaseUnavailable):
    """The database file, or the folder to create it in, does not exist; the message names
    ``storage.database`` and the resolved path, in one line."""


def missing_database(path: str, *, create: bool) -> str | None:
    """Why ``path`` cannot be opened as harmline's database, in one line naming storage.database and
    the resolved path; None if it can. Without ``create`` the file must exist; with it, its folder."""
    if path == ":memory:":
        return None
    file = Path(path).resolve()
    if file.is_dir():
        return f"storage.database: {file} is a folder, not a database file"
    if file.exists():
        return None
    if not create:
        return f"storage.database: {file} does not exist (check the path; harmline run creates it on first start)"
    if not file.parent.is_dir():
        return f"storage.database: cannot create {file}: the folder {file.parent} does not exist"
    return None


def _connect_target(path: str, create: bool) -> tuple[str, bool, str | None]:
    """What to hand to sqlite3.connect (the name, whether it is a URI) and the resolved path when
    a new file will be created; :class:`DatabaseNotFound` if it cannot be opened."""
    problem = missing_database(path, create=create)
    if problem is not None:
        raise DatabaseNotFound(problem)
    if path == ":memory:":
        return path, False, None
    file = Path(path).resolve()
    if create:
        return path, False, None if file.exists() else str(file)
    # mode=rw: SQLite itself refuses to create the file, should it vanish after the check.
    return f"file:{quote(str(file))}?mode=rw", True, None


class Database(GroupCommit["SQLiteTransaction"]):
    """The SQLite database: one aiosqlite connection (WAL) and its migrations. Writes are units
    of work, group-committed (storage/units.py), so a transaction of one task (a handler) never
    interleaves with another's (the delivery worker)."""

    def __init__(self, path: str, *, create: bool = True) -> None:
        """``create=False`` (operator commands reading an existing database): :meth:`open` refuses a
        file that does not exist instead of creating an empty one. ``create=True`` (the bot) makes
        the file on first start, in a folder that must exist."""
        super().__init__()
        self.path = path
        self.create = create
        self._connection: aiosqlite.Connection | None = None

    async def open(self) -> None:
        """Connect and migrate. :class:`DatabaseNotFound` if the file (``create=False``) or its
        folder (``create=True``) does not exist."""
        target, uri, new = _connect_target(self.path, self.create)
        # isolation_level=None: no implicit transactions; the writer issues BEGIN and COMMIT.
        try:
            connection = await aiosqlite.connect(target, isolation_level=None, uri=uri)
        except sqlite3.OperationalError:
            problem = missing_database(self.path, create=self.create)
            if problem is None:
                raise
            raise DatabaseNotFound(problem) from None
        if new:
            log.info("created a new database at %s", new)
        connection.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
        ):
            await connection.execute(pragma)
        self._connection = connection
        self._start_writer()
        await self.migrate()

    async def close(self) -> None:
        await self._stop_writer()
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("database is not open")
        return self._connection

    async def _run_batch(self, works: list[Work]) -> list[tuple[bool, Any]]:
        # One hop to aiosqlite's thread for the whole batch: statement by statement, every
        # execute is a hop of its own (~70 µs against a few µs of SQL). aiosqlite has no public
        # "run this on the connection's thread", so its _execute is used here and only here
        # (versions pinned in pyproject.toml).
        connection = self.connection
        outcomes: list[tuple[bool, Any]] = await connection._execute(  # type: ignore[no-untyped-call]
            _run_batch, connection._conn, works)
        return outcomes

    async def _read(self, sql: str, params: Sequence[Any]) -> Sequence[Row]:
        return list(await self.connection.execute_fetchall(sql, params))

    def text_match(self, table: str, alias: str) -> str:
        """The condition "the indexed text of ``table`` contains the parameter" (FTS5 trigram)."""
        return f"{table} MATCH ?"

    def newest_first(self, key: str, source: str, order: str) -> str:
        """Distinct ``key`` values of ``source`` (FROM … WHERE …), newest ``order`` first, LIMIT ?:
        SQLite walks the index in ``order`` and stops at the limit."""
        return f"SELECT DISTINCT {key} AS report_id {source} ORDER BY {order} DESC LIMIT ?"

    def text_pattern(self, text: str) -> str:
        """``text`` as the parameter of :meth:`text_match`: one FTS5 phrase, searched as written."""
        return fts5_phrase(text)

    async def migrate(self) -> None:
        """Apply the migrations newer than the stored version, each in its own transaction."""
        await self.connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = await self.schema_version()
        for version, migration in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            log.info("applying migration %d: %s", version, migration.name)
            await self.run(partial(apply_migration, version=version, migration=migration))


def apply_migration(tx: Transaction, *, version: int, migration: Migration) -> None:
    """One migration's statements and its row in schema_migrations, in one transaction."""
    migration.apply(tx)
    tx.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
               (version, migration.name))


def fts5_phrase(text: str) -> str:
    """``text`` as one FTS5 string, so quotes, AND/OR/NOT/NEAR, ``*``, ``^``, ``:``, ``-`` and
    parentheses are searched for as written. NUL would end the string early inside FTS5 (an
    "unterminated string" error) and a lone surrogate cannot be encoded: both are left out."""
    cleaned = "".join(c for c in text if c != "\x00" and not "\ud800" <= c <= "\udfff")
    return '"' + cleaned.replace('"', '""') + '"'


def _run_batch(connection: sqlite3.Connection, works: list[Work]) -> list[tuple[bool, Any]]:
    """On the database thread: every unit in one transaction, each in its own savepoint."""
    return run_units(works, SQLiteTransaction(connection), connection.execute, "BEGIN IMMEDIATE")


class SQLiteTransaction:
    """Statements inside one open transaction, on the database thread (plain sqlite3)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        return self._connection.execute(sql, params).rowcount

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT; return the new row's id."""
        row_id = self._connection.execute(sql, params).lastrowid
        if row_id is None:
            raise RuntimeError("INSERT gave no row id")
        return row_id

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._connection.executemany(sql, rows)

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self._connection.execute(sql, params).fetchall()

    def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self._connection.execute(sql, params).fetchone()
        return row
