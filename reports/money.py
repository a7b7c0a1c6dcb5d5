"""Amounts of money lost, as citizens type them ("RM 2,500", "5 ล้าน", "1,5 juta", "2 triệu đồng")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217 (THB, MYR, IDR, VND, PHP, SGD, BND, KHR, LAK, MMK, USD, CNY…) or USDT


def parse_loss(text: str, country: str) -> Money | None:
    """The amount and currency in ``text``; a bare number is in the country's own currency.
    None when no amount can be read."""
    raise NotImplementedError  # written by the money parser's author this session
