"""``harmline migrate-db``: a deployment's SQLite database copied into PostgreSQL.

The source is read in one read transaction, so a bot still running on it (WAL) is copied as one
consistent moment. The target must be empty: its migrations are applied first, then every table
is copied with its ids, the identity sequences moved past them, and the full-text tables filled
from the texts they index. Counts of every table and a field-by-field comparison of sampled
reports verify the copy. The source is only brought to the current schema first, as the bot
does at start.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg

from harmline.storage.database import Database, DatabaseNotFound, missing_database
from harmline.storage.postgres import PostgresDatabase, postgres_sql

# In the order foreign keys allow (reports.merged_into, which may point forward, is set after).
TABLES = (
    "reporters", "reports", "report_messages", "evidence", "indicators", "audit_log", "processed_updates",
    "report_fingerprints", "report_bands", "report_links", "moderators", "review_cards", "forum_topics",
    "saved_searches", "deliveries", "bot_state", "inbox", "evidence_text", "blocked_users",
)
# The tables whose id is an identity column in PostgreSQL.
IDENTITY_TABLES = ("reporters", "reports", "report_messages", "evidence", "indicators", "audit_log",
                   "saved_searches", "deliveries")
PAGE = 2000
SAMPLE = 20


class TransferRefused(Exception):
    """The copy cannot start (a missing source, a target that is not empty); one line."""


@dataclass(frozen=True)
class Transferred:
    counts: dict[str, int]  # rows per table, the same in both databases
    sampled: int  # reports compared field by field


Progress = Callable[[str, int], None]


async def copy_to_postgres(source: str, target: str, progress: Progress = lambda table, rows: None) -> Transferred:
    """Copy the SQLite database at ``source`` into the empty PostgreSQL database at ``target``."""
    problem = missing_database(source, create=False)
    if problem is not None:
        raise TransferRefused(problem.replace("storage.database", "--from"))
    # Bring the source to the current schema first (what the bot does at start), then read it.
    sqlite = Database(source, create=False)
    try:
        await sqlite.open()
    except DatabaseNotFound as error:
        raise TransferRefused(str(error)) from None
    await sqlite.close()
    postgres = PostgresDatabase(target)
    await postgres.open()  # migrates the target
    await postgres.close()

    return await asyncio.to_thread(_copy, source, target, progress)


def _copy(source: str, target: str, progress: Progress) -> Transferred:
    reader = sqlite3.connect(f"file:{quote(str(Path(source).resolve()))}?mode=ro", uri=True)
    try:
        reader.execute("BEGIN")  # one snapshot of a database that may be in use
        with psycopg.connect(target, autocommit=False) as writer:
            if writer.execute("SELECT COUNT(*) FROM reports").fetchone() != (0,):
                raise TransferRefused("--to: the PostgreSQL database already holds reports; give an empty one")
            counts = {table: _copy_table(reader, writer, table, progress) for table in TABLES}
            _set_merges(reader, writer)
            for table in IDENTITY_TABLES:
                writer.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                               f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
            writer.execute("INSERT INTO report_search (rowid, text) SELECT id, text FROM report_messages"
                           " WHERE text <> ''")
            writer.execute("INSERT INTO image_search (rowid, text) SELECT evidence_id, text FROM evidence_text"
                           " WHERE text <> ''")
            writer.commit()
            _verify_counts(writer, counts)
            sampled = _spot_check(reader, writer)
    finally:
        reader.close()
    return Transferred(counts, sampled)


def _columns(reader: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in reader.execute(f"PRAGMA table_info({table})")]


def _copy_table(reader: sqlite3.Connection, writer: psycopg.Connection[Any], table: str,
                progress: Progress) -> int:
    columns = [c for c in _columns(reader, table) if not (table == "reports" and c == "merged_into")]
    listed = ", ".join(columns)
    insert = postgres_sql(f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' * len(columns))})")
    copied = 0
    cursor = reader.execute(f"SELECT {listed} FROM {table} ORDER BY rowid")
    with writer.cursor() as out:
        while rows := cursor.fetchmany(PAGE):
            out.executemany(insert, [_clean(row) for row in rows])
            copied += len(rows)
            progress(table, copied)
    progress(table, copied)
    return copied


def _clean(row: Sequence[Any]) -> tuple[Any, ...]:
    # PostgreSQL's text cannot hold NUL (SQLite's can): the same replacement the bot makes.
    return tuple(v.replace("\x00", "\ufffd") if isinstance(v, str) and "\x00" in v else v for v in row)


def _set_merges(reader: sqlite3.Connection, writer: psycopg.Connection[Any]) -> None:
    merges = reader.execute("SELECT merged_into, id FROM reports WHERE merged_into IS NOT NULL").fetchall()
    with writer.cursor() as out:
        out.executemany("UPDATE reports SET merged_into = %s WHERE id = %s", merges)


def _verify_counts(writer: psycopg.Connection[Any], counts: dict[str, int]) -> None:
    for table, expected in counts.items():
        row = writer.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        if row is None or row[0] != expected:
            raise RuntimeError(f"{table}: {expected} rows read, {row[0] if row else 0} in PostgreSQL")


def _spot_check(reader: sqlite3.Connection, writer: psycopg.Connection[Any]) -> int:
    """The first, the last and up to SAMPLE random reports, with their messages and indicators,
    compared field by field."""
    ids = [row[0] for row in reader.execute("SELECT id FROM reports ORDER BY id")]
    if not ids:
        return 0
    chosen = sorted({ids[0], ids[-1], *random.sample(ids, min(SAMPLE, len(ids)))})
    for report_id in chosen:
        for table, key in (("reports", "id"), ("report_messages", "report_id"), ("indicators", "report_id")):
            columns = ", ".join(_columns(reader, table))
            query = f"SELECT {columns} FROM {table} WHERE {key} = ? ORDER BY id"
            before = [_clean(row) for row in reader.execute(query, (report_id,))]
            after = [tuple(row) for row in writer.execute(postgres_sql(query), (report_id,))]
            if before != after:
                raise RuntimeError(f"{table} of report {report_id} differs after the copy")
    return len(chosen)
