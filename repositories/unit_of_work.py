"""The unit of work: what the services know of a database.

A unit of work is a plain synchronous function given an open :class:`Transaction`; the store runs
it on its own thread, inside a transaction (rolled back if it raises), and answers once it is
committed. Units that arrive together may share one commit (group commit) but never see each
other's failures. The services build units from repository calls and never see SQL: only the
repositories use what a transaction offers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Row(Protocol):
    """A result row, by column name (or position)."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> list[str]: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


class Transaction(Protocol):
    """Statements inside one open transaction, on the store's thread."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        ...

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT; return the new row's id."""
        ...

    def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    def fetch_all(self, sql: str, params: Sequence[Any] = ()) -> Sequence[Row]: ...

    def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...


class UnitOfWork(Protocol):
    """The database: opened once, then units of work run in order."""

    async def open(self) -> None:
        """Connect and bring the schema up to date."""
        ...

    async def close(self) -> None: ...

    async def run(self, work: Callable[[Transaction], T]) -> T:
        """Run ``work`` in a transaction (rolled back if it raises); return its result once it
        is committed."""
        ...

    async def ping(self) -> None:
        """Raise if the database does not answer (readiness)."""
        ...
