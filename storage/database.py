"""The one aiosqlite connection, its pragmas, explicit transactions and the migration runner."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite

from storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)


class Database:
    """Owns the connection. Every statement runs under one lock, so a transaction opened by one
    task (a handler) is never interleaved with statements of another (the delivery worker)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        # isolation_level=None: no implicit transactions; we BEGIN and COMMIT ourselves.
        connection = await aiosqlite.connect(self.path, isolation_level=None)
        connection.row_factory = aiosqlite.Row
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

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception."""
        async with self._lock:
            connection = self.connection
            await connection.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(connection)
            except BaseException:
                await connection.execute("ROLLBACK")
                raise
            await connection.execute("COMMIT")

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement on its own (SQLite makes a single statement atomic): no BEGIN/COMMIT trips."""
        async with self._lock:
            return await Transaction(self.connection).execute(sql, params)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        """A read outside any transaction (waits for an open one to finish)."""
        async with self._lock:
            return await Transaction(self.connection).fetch_all(sql, params)

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        async with self._lock:
            return await Transaction(self.connection).fetch_one(sql, params)

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
            async with self.transaction() as tx:
                for statement in migration.statements:
                    await tx.execute(statement)
                await tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at)"
                    " VALUES (?, ?, CURRENT_TIMESTAMP)",
                    (version, migration.name),
                )


class Transaction:
    """Statements inside one open transaction.

    Each method is one round trip to aiosqlite's thread (the main cost of a write here), so
    cursors are left to the garbage collector instead of a separate ``close`` trip.
    """

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        cursor = await self._connection.execute(sql, params)
        return cursor.rowcount

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT; return the new row's id."""
        cursor = await self._connection.execute(sql, params)
        row_id = cursor.lastrowid
        if row_id is None:
            raise RuntimeError("INSERT gave no row id")
        return row_id

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._connection.executemany(sql, rows)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[aiosqlite.Row]:
        return list(await self._connection.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None
