"""Inline-button data: short, versioned strings parsed by a pure function, so a button pressed
after a restart (or a week later) still means the same thing.

``v1:fu:<ref>:<step>:<value>``  answer a follow-up question (value ``-`` = skip)
``v1:fu:<ref>:send``             "Send now": end the follow-ups
``v1:lang:<code>``               choose the reply language
``v1:del:yes`` / ``v1:del:no``   confirm /deleteme
``v1:mod:confirm:<ref>``         a moderator releases a report held for review
``v1:chk:<ref>``                 "Check it": how often the report's numbers and links were reported
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.model import FollowUpStep
from reports.reference import normalise_reference

VERSION = "v1"
SKIP = "-"


@dataclass(frozen=True)
class FollowUpAnswer:
    reference: str
    step: FollowUpStep
    value: str | None  # None: skipped


@dataclass(frozen=True)
class SendNow:
    reference: str


@dataclass(frozen=True)
class ChooseLanguage:
    language: str


@dataclass(frozen=True)
class ConfirmErase:
    confirmed: bool


@dataclass(frozen=True)
class ModeratorConfirm:
    reference: str


@dataclass(frozen=True)
class CheckReport:
    reference: str


Action = FollowUpAnswer | SendNow | ChooseLanguage | ConfirmErase | ModeratorConfirm | CheckReport


def followup(reference: str, step: FollowUpStep, value: str | None) -> str:
    return f"{VERSION}:fu:{reference}:{step.value}:{value or SKIP}"


def send_now(reference: str) -> str:
    return f"{VERSION}:fu:{reference}:send"


def choose_language(language: str) -> str:
    return f"{VERSION}:lang:{language}"


def confirm_erase(confirmed: bool) -> str:
    return f"{VERSION}:del:{'yes' if confirmed else 'no'}"


def moderator_confirm(reference: str) -> str:
    return f"{VERSION}:mod:confirm:{reference}"


def check_report(reference: str) -> str:
    return f"{VERSION}:chk:{reference}"


def parse(data: str | None) -> Action | None:
    """The action a button stands for, or None for anything unknown, old or forged."""
    parts = (data or "").split(":")
    if len(parts) < 3 or parts[0] != VERSION:
        return None
    kind, rest = parts[1], parts[2:]
    if kind == "fu" and rest:
        reference = normalise_reference(rest[0])
        if reference is None:
            return None
        if rest[1:] == ["send"]:
            return SendNow(reference)
        if len(rest) == 3 and rest[1] in FollowUpStep.__members__.values():
            return FollowUpAnswer(reference, FollowUpStep(rest[1]), None if rest[2] == SKIP else rest[2])
        return None
    if kind == "lang" and len(rest) == 1:
        return ChooseLanguage(rest[0])
    if kind == "mod" and len(rest) == 2 and rest[0] == "confirm":
        reference = normalise_reference(rest[1])
        return ModeratorConfirm(reference) if reference else None
    if kind == "chk" and len(rest) == 1:
        reference = normalise_reference(rest[0])
        return CheckReport(reference) if reference else None
    if kind == "del" and rest in (["yes"], ["no"]):
        return ConfirmErase(rest[0] == "yes")
    return None
