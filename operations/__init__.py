"""Running harmline in production: Prometheus metrics, and health and readiness endpoints."""

from harmline.operations.metrics import Metrics
from harmline.operations.server import OperationsServer

__all__ = ["Metrics", "OperationsServer"]
