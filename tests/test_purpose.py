"""Outbox purposes: every stored form reads back as the value that wrote it, and nothing else
is taken for a purpose (a delivery of an unknown kind must not be sent as something it is not)."""

from __future__ import annotations

import pytest

from harmline.reports.purpose import CARD, FORWARD, BadPurpose, Card, Notice, Summary, parse_purpose


@pytest.mark.parametrize(("purpose", "stored"), [
    (FORWARD, "forward"),
    (CARD, "card"),
    (Card(7), "card:answer:7"),
    (Notice("confirmed"), "notice:confirmed"),
    (Notice("ask:screenshot"), "notice:ask:screenshot"),
    (Summary("TH", "2026-W47"), "summary:TH:2026-W47"),
    (Summary("regional", "2026-W47"), "summary:regional:2026-W47"),
])
def test_each_purpose_is_stored_as_before_and_read_back(purpose: object, stored: str) -> None:
    # The stored form is part of the outbox's uniqueness: it must stay what earlier versions wrote.
    assert str(purpose) == stored
    assert parse_purpose(stored) == purpose


@pytest.mark.parametrize("stored", ["", "forward:x", "card:answer:", "card:answer:two", "card:other", "notice:",
                                    "summary:TH", "summary::2026-W47", "v2:forward", "FORWARD"])
def test_anything_else_is_refused(stored: str) -> None:
    with pytest.raises(BadPurpose):
        parse_purpose(stored)
