"""Persistence: the only package with SQL."""

from storage.database import Database, Transaction
from storage.outbox import Outbox
from storage.reports import Reporter, ReportStore

__all__ = ["Database", "Outbox", "ReportStore", "Reporter", "Transaction"]
