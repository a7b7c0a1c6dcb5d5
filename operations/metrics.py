"""harmline's Prometheus metrics, in a registry of their own (one per bot: never the process-wide
default registry, so two bots in one process — the tests — do not collide).

Counters and histograms are updated where things happen (intake, outbox worker); the gauges of
the outbox and the inbox are read from the database by a repeating job (:meth:`Metrics.refresh`),
so a scrape never waits on the database.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from harmline.reports.model import Delivery
from harmline.reports.purpose import Card, Forward, Notice, Purpose


def purpose_kind(purpose: Purpose) -> str:
    if isinstance(purpose, Forward):
        return "forward"
    if isinstance(purpose, Card):
        return "card"
    return "notice" if isinstance(purpose, Notice) else "summary"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.reports_received = Counter("harmline_reports_received", "Reports created, by country", ["country"],
                                        registry=r)
        self.deliveries = Counter("harmline_deliveries_delivered", "Deliveries sent, by channel and kind",
                                  ["channel", "kind"], registry=r)
        self.delivery_latency = Histogram(
            "harmline_delivery_latency_seconds", "From a delivery's queueing to its delivery, by kind", ["kind"],
            buckets=(1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600), registry=r)
        self.flood_waits = Counter("harmline_telegram_flood_waits", "Telegram's 429 answers (flood control)",
                                   registry=r)
        self.classification = Histogram(
            "harmline_classification_seconds", "Reading one message: language, category, indicators",
            buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1), registry=r)
        self.outbox = Gauge("harmline_outbox_deliveries", "Deliveries in the outbox, by state", ["state"],
                            registry=r)
        self.outbox_oldest_pending = Gauge("harmline_outbox_oldest_pending_seconds",
                                           "Age of the oldest pending delivery", registry=r)
        self.update_lag = Gauge("harmline_update_lag_seconds",
                                "Age of the oldest update stored but not handled yet", registry=r)

    def delivered(self, delivery: Delivery, now: datetime) -> None:
        kind = purpose_kind(delivery.purpose)
        self.deliveries.labels(delivery.channel, kind).inc()
        if delivery.created_at is not None:
            self.delivery_latency.labels(kind).observe(max((now - delivery.created_at).total_seconds(), 0.0))

    def refresh(self, outbox_states: dict[str, int], oldest_pending: datetime | None,
                oldest_update: datetime | None, now: datetime) -> None:
        for state in ("pending", "delivered", "failed", "cancelled"):
            self.outbox.labels(state).set(outbox_states.get(state, 0))
        self.outbox_oldest_pending.set((now - oldest_pending).total_seconds() if oldest_pending else 0)
        self.update_lag.set((now - oldest_update).total_seconds() if oldest_update else 0)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
