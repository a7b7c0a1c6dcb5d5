"""The one aiosqlite connection, its pragmas, group-committed transactions and the migrations."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import aiosqlite

from harmline.storage.migrations import MIGRATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")
Row = sqlite3.Row
Work = Callable[["SQLiteTransaction"], Any]


class DatabaseNotFound(Exception):
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


class Database:
    """Owns the connection. Writes are units of work run in order by one writer task, so a
    transaction of one task (a handler) never interleaves with another's (the delivery worker).

    Group commit: units that arrive while a batch is being written run together in the next
    batch, in one hop to aiosqlite's thread and one transaction, each in its own SAVEPOINT (a
    unit that raises is rolled back alone). No caller hears of its unit before the COMMIT.
    """

    def __init__(self, path: str, *, create: bool = True) -> None:
        """``create=False`` (operator commands reading an existing database): :meth:`open` refuses a
        file that does not exist instead of creating an empty one. ``create=True`` (the bot) makes
        the file on first start, in a folder that must exist."""
        self.path = path
        self.create = create
        self._connection: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()  # one batch, or one read, at a time on the connection
        self._pending: list[tuple[Work, asyncio.Future[Any]]] = []
        self._arrived = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None

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
        self._writer = asyncio.create_task(self._write_batches(connection), name="database-writer")
        await self.migrate()

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
            self._writer = None
        _fail(self._pending, "the database was closed before this write ran")
        self._pending = []
        if self._connection is not None:
            await self._connection.close()
            self._connection = None

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("database is not open")
        return self._connection

    async def run(self, work: Callable[[SQLiteTransaction], T]) -> T:
        """Run ``work`` in a transaction (rolled back if it raises); return its result once it
        is committed. ``work`` runs on the database thread: plain synchronous code."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future))
        self._arrived.set()
        return await future

    async def _write_batches(self, connection: aiosqlite.Connection) -> None:
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            try:
                async with self._lock:
                    # One hop to aiosqlite's thread for the whole batch: statement by statement,
                    # every execute is a hop of its own (~70 µs against a few µs of SQL).
                    # aiosqlite has no public "run this on the connection's thread", so its
                    # _execute is used here and only here (versions pinned in pyproject.toml).
                    outcomes = await connection._execute(  # type: ignore[no-untyped-call]
                        _run_batch, connection._conn, [work for work, _ in batch])
            except asyncio.CancelledError:  # closing: whether the batch was stored is not known
                _fail(batch, "the database was closed while this write ran")
                raise
            except Exception as error:  # BEGIN or COMMIT failed: nothing of the batch was stored
                outcomes = [(False, error)] * len(batch)
            for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
                if future.done():  # the caller was cancelled meanwhile
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

    async def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """A read outside any transaction (waits for a batch being written to finish)."""
        async with self._lock:
            return list(await self.connection.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def ping(self) -> None:
        await self.fetch_one("SELECT 1")

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

            def apply(tx: SQLiteTransaction, version: int = version, statements: Sequence[str] = migration.statements,
                      name: str = migration.name) -> None:
                for statement in statements:
                    tx.execute(statement)
                tx.execute("INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (?, ?, CURRENT_TIMESTAMP)", (version, name))

            await self.run(apply)


def _fail(units: list[tuple[Work, asyncio.Future[Any]]], why: str) -> None:
    for _, future in units:
        if not future.done():  # its caller may have been cancelled meanwhile
            future.set_exception(RuntimeError(why))


def _run_batch(connection: sqlite3.Connection, works: list[Work]) -> list[tuple[bool, Any]]:
    """On the database thread: every unit in one transaction, each in its own savepoint."""
    outcomes: list[tuple[bool, Any]] = []
    transaction = SQLiteTransaction(connection)
    connection.execute("BEGIN IMMEDIATE")
    try:
        for work in works:
            connection.execute("SAVEPOINT unit")
            try:
                outcomes.append((True, work(transaction)))
            except Exception as error:
                connection.execute("ROLLBACK TO unit")
                outcomes.append((False, error))
            connection.execute("RELEASE unit")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return outcomes


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
