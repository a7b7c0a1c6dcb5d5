"""Delivering reports from the outbox to their recipients, whatever the channel."""

from harmline.delivery.channel import Attempt, Channel, DeliveryFailed
from harmline.delivery.worker import OutboxWorker, backoff_delay

__all__ = ["Attempt", "Channel", "DeliveryFailed", "OutboxWorker", "backoff_delay"]
