"""Units of work, group-committed: the part of a database that is the same on every backend.

A unit of work is a plain synchronous function given an open transaction. Units are run in
order by one writer task; those that arrive while a batch is being written run together in the
next batch, in one hop to the database's thread and one transaction, each in its own SAVEPOINT (a
unit that raises is rolled back alone). No caller hears of its unit before the COMMIT.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import psycopg

from harmline.repositories.unit_of_work import Row

T = TypeVar("T")
Tx = TypeVar("Tx")


class DatabaseUnavailable(Exception):
    """The database cannot be opened: a file that does not exist, a server that cannot be
    reached. The message is one line naming the setting (storage.database or storage.url)."""


class Contention(Exception):
    """Another process held what a unit of work wanted, and the server broke the deadlock by
    failing this unit (PostgreSQL, several processes). The unit was rolled back alone; claiming
    units answer "not now" and try again on their next round."""


# What a database raises when a write or read fails (disk full, I/O, a server gone, a deadlock
# broken), either backend: not a bug; the update is stored again or retried.
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error, Contention)


class GroupCommit(ABC, Generic[Tx]):
    """The writer task and its queue; a backend says how a batch and a read run on its thread."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()  # one batch, or one read, at a time on the connection
        self._pending: list[tuple[Callable[[Tx], Any], asyncio.Future[Any]]] = []
        self._arrived = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None

    @abstractmethod
    async def _run_batch(self, works: list[Callable[[Tx], Any]]) -> list[tuple[bool, Any]]:
        """Every unit in one transaction, each in its own savepoint: (ok, result or error) each."""

    @abstractmethod
    async def _read(self, sql: str, params: Sequence[Any]) -> Sequence[Row]:
        """A read outside any transaction, on the database's thread."""

    @abstractmethod
    async def open(self) -> None:
        """Connect and bring the schema up to date."""

    @abstractmethod
    async def close(self) -> None: ...

    # Where the backends' SQL differs beyond what their transactions translate:

    @abstractmethod
    def text_match(self, table: str, alias: str) -> str:
        """The condition "the indexed text of ``table`` (aliased ``alias``) contains the parameter"."""

    @abstractmethod
    def text_pattern(self, text: str) -> str:
        """``text`` as the parameter of :meth:`text_match`, found as written."""

    @abstractmethod
    def newest_first(self, key: str, source: str, order: str) -> str:
        """Distinct ``key`` values (as ``report_id``) of ``source`` (FROM … WHERE …), newest
        ``order`` first, then ``LIMIT ?``."""

    def _start_writer(self) -> None:
        self._writer = asyncio.create_task(self._write_batches(), name="database-writer")

    async def _stop_writer(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
            self._writer = None
        _fail(self._pending, "the database was closed before this write ran")
        self._pending = []

    async def run(self, work: Callable[[Tx], T]) -> T:
        """Run ``work`` in a transaction (rolled back if it raises); return its result once it
        is committed. ``work`` runs on the database thread: plain synchronous code."""
        if self._writer is None:
            raise RuntimeError("database is not open")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future))
        self._arrived.set()
        return await future

    async def _write_batches(self) -> None:
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            try:
                async with self._lock:
                    outcomes = await self._run_batch([work for work, _ in batch])
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
            return list(await self._read(sql, params))

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def ping(self) -> None:
        await self.fetch_one("SELECT 1")

    async def schema_version(self) -> int:
        row = await self.fetch_one("SELECT MAX(version) AS version FROM schema_migrations")
        return int(row["version"]) if row and row["version"] is not None else 0


def run_units(works: Sequence[Callable[[Tx], Any]], transaction: Tx, execute: Callable[[str], object],
              begin: str = "BEGIN") -> list[tuple[bool, Any]]:
    """On the database's thread: every unit in one transaction (``begin`` opens it), each in its
    own savepoint, so a unit that raises is rolled back alone; (ok, result or error) per unit."""
    execute(begin)
    try:
        outcomes: list[tuple[bool, Any]] = []
        for work in works:
            execute("SAVEPOINT unit")
            try:
                outcomes.append((True, work(transaction)))
            except Exception as error:
                execute("ROLLBACK TO SAVEPOINT unit")
                outcomes.append((False, error))
            execute("RELEASE SAVEPOINT unit")
    except BaseException:
        execute("ROLLBACK")
        raise
    execute("COMMIT")
    return outcomes


def _fail(units: list[tuple[Callable[[Any], Any], asyncio.Future[Any]]], why: str) -> None:
    for _, future in units:
        if not future.done():  # its caller may have been cancelled meanwhile
            future.set_exception(RuntimeError(why))


SQLDatabase = GroupCommit[Any]
"""What the repositories are given: a database of either backend."""
