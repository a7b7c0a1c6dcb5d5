"""Persistence: the only package with SQL. It implements the storage interface
(``harmline.repositories``) on SQLite."""

from harmline.repositories import Store
from harmline.storage.database import Database
from harmline.storage.exports import ExportStore
from harmline.storage.image_text import ImageTextStore
from harmline.storage.inbox import Inbox
from harmline.storage.moderation import ModerationStore
from harmline.storage.outbox import Outbox
from harmline.storage.reports import ReportStore
from harmline.storage.summaries import SummaryStore


def sqlite_store(path: str, *, create: bool = True) -> Store:
    """The SQLite store at ``path`` (not opened yet); ``create=False`` refuses a missing file."""
    return store_on(Database(path, create=create))


def store_on(database: Database) -> Store:
    """The repositories of an SQLite database."""
    return Store(database=database, reports=ReportStore(database), images=ImageTextStore(database),
                 moderation=ModerationStore(database), outbox=Outbox(database), summaries=SummaryStore(database),
                 exports=ExportStore(database), inbox=Inbox(database))


__all__ = ["Database", "ExportStore", "ImageTextStore", "Inbox", "ModerationStore", "Outbox", "ReportStore",
           "SummaryStore", "sqlite_store", "store_on"]
