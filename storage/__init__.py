"""Persistence: the only package with SQL."""

from storage.database import Database, Transaction
from storage.image_text import ImageTextStore, PendingImage
from storage.outbox import Outbox
from storage.reports import Reporter, ReportStore

__all__ = ["Database", "ImageTextStore", "Outbox", "PendingImage", "ReportStore", "Reporter", "Transaction"]
