"""Persistence: the only package with SQL."""

from harmline.storage.database import Database, Transaction
from harmline.storage.image_text import ImageTextStore, PendingImage
from harmline.storage.outbox import Outbox
from harmline.storage.reports import Reporter, ReportStore

__all__ = ["Database", "ImageTextStore", "Outbox", "PendingImage", "ReportStore", "Reporter", "Transaction"]
