"""Persistence: the only package with SQL. It implements the storage interface
(``harmline.repositories``) on SQLite (the embedded default) and PostgreSQL."""

from harmline.repositories import Store
from harmline.storage.database import Database
from harmline.storage.exports import ExportStore
from harmline.storage.image_text import ImageTextStore
from harmline.storage.inbox import Inbox
from harmline.storage.moderation import ModerationStore
from harmline.storage.outbox import Outbox
from harmline.storage.postgres import PostgresDatabase
from harmline.storage.privacy import PrivacyStore
from harmline.storage.reports import ReportStore
from harmline.storage.summaries import SummaryStore
from harmline.storage.units import SQLDatabase


def open_store(database: str, url: str | None = None, *, create: bool = True) -> Store:
    """The store the settings name: PostgreSQL at ``url`` (storage.url), else the SQLite file
    ``database`` (storage.database). Not opened yet."""
    if url is not None:
        return store_on(PostgresDatabase(url))
    return sqlite_store(database, create=create)


def sqlite_store(path: str, *, create: bool = True) -> Store:
    """The SQLite store at ``path`` (not opened yet); ``create=False`` refuses a missing file."""
    return store_on(Database(path, create=create))


def store_on(database: SQLDatabase) -> Store:
    """The repositories of a database: the same on either backend."""
    return Store(database=database, reports=ReportStore(database), images=ImageTextStore(database),
                 moderation=ModerationStore(database), outbox=Outbox(database), summaries=SummaryStore(database),
                 exports=ExportStore(database), inbox=Inbox(database),
                 privacy=PrivacyStore(database))


__all__ = [
    "Database",
    "ExportStore",
    "ImageTextStore",
    "Inbox",
    "ModerationStore",
    "Outbox",
    "PostgresDatabase",
    "PrivacyStore",
    "ReportStore",
    "SummaryStore",
    "open_store",
    "sqlite_store",
    "store_on",
]
