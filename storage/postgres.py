"""The PostgreSQL database: the same units of work and repositories as SQLite, through psycopg 3.

psycopg's synchronous connection runs on a thread of its own, so a unit of work stays what it is
on SQLite, a plain function given a transaction, and the repositories' SQL is shared. The SQL is
written for SQLite; :func:`postgres_sql` turns its ``?`` placeholders into psycopg's and drops
SQLite's planner hints (``INDEXED BY``). What differs beyond that is said by the database
itself: the full-text condition (:meth:`PostgresDatabase.text_match`) and the newest-first
distinct query. Several bot processes may share one database: migrations take an advisory lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.abc import Buffer
from psycopg.adapt import Loader
from psycopg.rows import RowMaker
from psycopg.types.numeric import Int8Dumper
from psycopg.types.string import StrDumper

from harmline.repositories.unit_of_work import Transaction
from harmline.storage.migrations import Migration
from harmline.storage.postgres_migrations import POSTGRES_MIGRATIONS
from harmline.storage.units import Contention, DatabaseUnavailable, GroupCommit, run_units

log = logging.getLogger(__name__)
Work = Callable[["PostgresTransaction"], Any]
# Any constant: the lock every harmline process takes while it migrates a database.
_MIGRATION_LOCK = 0x6861726D6C696E65  # "harmline"
_INDEXED_BY = re.compile(r"\s+INDEXED BY \w+")


@lru_cache(maxsize=1024)
def postgres_sql(sql: str) -> str:
    """SQLite's SQL as psycopg takes it: ``%`` doubled, ``?`` as ``%s``, no ``INDEXED BY``."""
    return _INDEXED_BY.sub("", sql).replace("%", "%%").replace("?", "%s")


def redacted(url: str) -> str:
    """``url`` without its password, for logs and messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class Row:
    """A result row by column name or position, like sqlite3.Row."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence[Any]) -> None:
        self._names, self._values = names, values

    def __getitem__(self, key: str | int) -> Any:
        return self._values[self._names[key] if isinstance(key, str) else key]

    def keys(self) -> list[str]:
        return list(self._names)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _rows(cursor: psycopg.Cursor[Any]) -> RowMaker[Row]:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}
    return partial(Row, names)


class _IntegerBool(Int8Dumper):
    """Python's True and False as 1 and 0: the flags are integer columns, as in SQLite."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _TextWithoutNul(StrDumper):
    """PostgreSQL's text cannot hold NUL, which a citizen's message can: it becomes U+FFFD."""

    def dump(self, obj: str) -> Buffer | None:
        return super().dump(obj.replace("\x00", "\ufffd")) if "\x00" in obj else super().dump(obj)


class _Number(Loader):
    """NUMERIC results (SUM, AVG) as int when whole, else float: what SQLite gives."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


@contextlib.contextmanager
def _contended() -> Iterator[None]:
    """A deadlock the server broke by failing this statement becomes :class:`Contention`. Two
    processes' group-committed batches may take the same rows in different orders (claims on
    chats and delivery lanes); the other process goes on, this unit is rolled back alone."""
    try:
        yield
    except psycopg.errors.DeadlockDetected as error:
        raise Contention(str(error).splitlines()[0]) from error


class PostgresTransaction:
    """Statements inside one open transaction, on the database's thread."""

    def __init__(self, connection: psycopg.Connection[Row]) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        with _contended():
            return self._connection.execute(postgres_sql(sql), params).rowcount

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT; return the new row's id."""
        with _contended():
            row = self._connection.execute(postgres_sql(sql) + " RETURNING id", params).fetchone()
        if row is None:
            raise RuntimeError("INSERT gave no row id")
        return int(row[0])

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with _contended(), self._connection.cursor() as cursor:
            cursor.executemany(postgres_sql(sql), rows)

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with _contended():
            return self._connection.execute(postgres_sql(sql), params).fetchall()

    def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with _contended():
            return self._connection.execute(postgres_sql(sql), params).fetchone()


class PostgresDatabase(GroupCommit[PostgresTransaction]):
    """One connection to a PostgreSQL database (``storage.url``), on a thread of its own."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.path = redacted(url)  # what logs and messages name
        self._connection: psycopg.Connection[Row] | None = None
        self._thread: ThreadPoolExecutor | None = None

    async def _on_thread(self, call: Callable[[psycopg.Connection[Row]], Any]) -> Any:
        if self._thread is None or self._connection is None:
            raise RuntimeError("database is not open")
        return await asyncio.get_running_loop().run_in_executor(self._thread, call, self._connection)

    async def open(self) -> None:
        """Connect and migrate. :class:`DatabaseUnavailable` if the server cannot be reached."""
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="postgres")
        try:
            self._connection = await asyncio.get_running_loop().run_in_executor(self._thread, self._connect)
        except psycopg.OperationalError as error:
            self._thread.shutdown()
            self._thread = None
            lines = [line.strip() for line in str(error).splitlines() if line.strip()]
            reason = lines[-1] if lines else type(error).__name__
            raise DatabaseUnavailable(f"storage.url: cannot connect to {self.path}: {reason}") from None
        self._start_writer()
        await self.migrate()

    def _connect(self) -> psycopg.Connection[Row]:
        # autocommit: the writer issues BEGIN and COMMIT itself; a read is its own transaction.
        connection = psycopg.Connection.connect(self.url, autocommit=True, row_factory=_rows,
                                                application_name="harmline")
        connection.adapters.register_dumper(bool, _IntegerBool)
        connection.adapters.register_dumper(str, _TextWithoutNul)
        connection.adapters.register_loader("numeric", _Number)
        return connection

    async def close(self) -> None:
        await self._stop_writer()
        if self._connection is not None and self._thread is not None:
            await asyncio.get_running_loop().run_in_executor(self._thread, self._connection.close)
        self._connection = None
        if self._thread is not None:
            self._thread.shutdown()
            self._thread = None

    async def _run_batch(self, works: list[Work]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = await self._on_thread(partial(_run_batch, works=works))
        return outcomes

    async def _read(self, sql: str, params: Sequence[Any]) -> Sequence[Row]:
        rows: list[Row] = await self._on_thread(lambda c: c.execute(postgres_sql(sql), params).fetchall())
        return rows

    def text_match(self, table: str, alias: str) -> str:
        """The condition "the indexed text of ``table`` contains the parameter" (trigram index)."""
        return f"{alias}.text ILIKE ?"

    def text_pattern(self, text: str) -> str:
        """``text`` as the parameter of :meth:`text_match`: a LIKE pattern that finds it as written."""
        escaped = text.replace("\x00", "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"

    def newest_first(self, key: str, source: str, order: str) -> str:
        """Distinct ``key`` values of ``source`` (FROM … WHERE …), newest ``order`` first, LIMIT ?."""
        return f"SELECT {key} AS report_id {source} GROUP BY {key} ORDER BY MAX({order}) DESC LIMIT ?"

    async def migrate(self) -> None:
        """Apply the migrations newer than the stored version, each in its own transaction, under
        an advisory lock: processes starting together migrate once."""
        await self.run(_create_migrations_table)
        for version, migration in enumerate(POSTGRES_MIGRATIONS, start=1):
            if await self.run(partial(_apply_if_new, version=version, migration=migration)):
                log.info("applied migration %d: %s", version, migration.name)


def _create_migrations_table(tx: Transaction) -> None:
    tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
    tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
               " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")


def _apply_if_new(tx: Transaction, *, version: int, migration: Migration) -> bool:
    tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
    if tx.fetch_one("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)) is not None:
        return False  # another process applied it while this one waited for the lock
    migration.apply(tx)
    tx.execute("INSERT INTO schema_migrations (version, name, applied_at)"
               " VALUES (?, ?, CAST(CURRENT_TIMESTAMP AS TEXT))", (version, migration.name))
    return True


def _run_batch(connection: psycopg.Connection[Row], *, works: list[Work]) -> list[tuple[bool, Any]]:
    """On the database's thread: every unit in one transaction, each in its own savepoint."""
    return run_units(works, PostgresTransaction(connection), connection.execute)
