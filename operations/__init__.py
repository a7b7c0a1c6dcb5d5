"""Running harmline in production: Prometheus metrics, and health and readiness endpoints."""

from operations.metrics import Metrics
from operations.server import OperationsServer

__all__ = ["Metrics", "OperationsServer"]
