"""The one aiosqlite connection, its pragmas, explicit transactions and the migration runner."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import aiosqlite

from storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")
Row = sqlite3.Row


class Database:
    """Owns the connection. Writes run as units of work under one lock, so a transaction of one
    task (a handler) is never interleaved with statements of another (the delivery worker)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        # isolation_level=None: no implicit transactions; run() issues BEGIN and COMMIT itself.
        connection = await aiosqlite.connect(self.path, isolation_level=None)
        connection.row_factory = sqlite3.Row
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
        ):
            await connection.execute(pragma)
        self._connection = connection
        await self.migrate()

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("database is not open")
        return self._connection

    async def run(self, work: Callable[[Transaction], T]) -> T:
        """Run ``work`` inside BEGIN IMMEDIATE … COMMIT (ROLLBACK on any exception).

        The whole unit runs in one hop to aiosqlite's thread. Statement by statement, every
        execute is a hop of its own (about 70 µs here, against a few µs of SQL), which made
        storage most of the cost of taking in a report. aiosqlite has no public call for "run
        this function on the connection's thread", so its ``_execute`` is used here, and only
        here (the supported versions are pinned in pyproject.toml).
        """
        connection = self.connection
        async with self._lock:
            result: T = await connection._execute(  # type: ignore[no-untyped-call]
                self._transaction, connection._conn, work)
            return result

    @staticmethod
    def _transaction(connection: sqlite3.Connection, work: Callable[[Transaction], T]) -> T:
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = work(Transaction(connection))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return result

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """A read outside any transaction (waits for a running one to finish)."""
        async with self._lock:
            return list(await self.connection.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def schema_version(self) -> int:
        row = await self.fetch_one("SELECT MAX(version) AS version FROM schema_migrations")
        return int(row["version"]) if row and row["version"] is not None else 0

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

            def apply(tx: Transaction, version: int = version, statements: Sequence[str] = migration.statements,
                      name: str = migration.name) -> None:
                for statement in statements:
                    tx.execute(statement)
                tx.execute("INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (?, ?, CURRENT_TIMESTAMP)", (version, name))

            await self.run(apply)


class Transaction:
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
