"""Inline-button data: short, versioned strings parsed by a pure function, so a button pressed
after a restart (or a week later) still means the same thing.

``v1:fu:<ref>:<step>:<value>``  answer a follow-up question (value ``-`` = skip)
``v1:fu:<ref>:send``             "Send now": end the follow-ups
``v1:lang:<code>``               choose the reply language
``v1:del:yes`` / ``v1:del:no``   confirm /deleteme
``v1:mod:<verb>:<ref>[:<arg>]``  a moderator's button on a report card: confirm, reject, escalate,
                                 open; cat / merge / ask open a menu, and with an argument (category,
                                 target reference, question) decide; back closes the menu
``v1:q:<offset>:<cc>:<cat>:<lang>``  a page of /queue (``-`` = no filter)
``v1:find:<search id>:<offset>``     a page of /find results (the terms are stored: saved_searches)
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


MODERATOR_VERBS = ("confirm", "reject", "escalate", "open", "cat", "merge", "ask", "back")
_ANY = "-"


@dataclass(frozen=True)
class ModeratorAction:
    verb: str  # one of MODERATOR_VERBS
    reference: str
    argument: str | None = None  # category, merge target or question key


@dataclass(frozen=True)
class QueuePage:
    offset: int
    country: str | None = None
    category: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class FindPage:
    search_id: int
    offset: int


@dataclass(frozen=True)
class CheckReport:
    reference: str


Action = (FollowUpAnswer | SendNow | ChooseLanguage | ConfirmErase | ModeratorAction | QueuePage | FindPage
          | CheckReport)


def followup(reference: str, step: FollowUpStep, value: str | None) -> str:
    return f"{VERSION}:fu:{reference}:{step.value}:{value or SKIP}"


def send_now(reference: str) -> str:
    return f"{VERSION}:fu:{reference}:send"


def choose_language(language: str) -> str:
    return f"{VERSION}:lang:{language}"


def confirm_erase(confirmed: bool) -> str:
    return f"{VERSION}:del:{'yes' if confirmed else 'no'}"


def moderator(verb: str, reference: str, argument: str | None = None) -> str:
    return f"{VERSION}:mod:{verb}:{reference}" + (f":{argument}" if argument else "")


def queue_page(page: QueuePage) -> str:
    filters = (page.country, page.category, page.language)
    return f"{VERSION}:q:{page.offset}:" + ":".join(value or _ANY for value in filters)


def find_page(search_id: int, offset: int) -> str:
    return f"{VERSION}:find:{search_id}:{offset}"


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
    if kind == "mod" and len(rest) in (2, 3) and rest[0] in MODERATOR_VERBS:
        return _moderator_action(rest)
    if kind == "q" and len(rest) == 4 and rest[0].isdigit():
        country, category, language = (None if value == _ANY else value for value in rest[1:])
        return QueuePage(int(rest[0]), country, category, language)
    if kind == "find" and len(rest) == 2 and rest[0].isdigit() and rest[1].isdigit():
        return FindPage(int(rest[0]), int(rest[1]))
    if kind == "chk" and len(rest) == 1:
        reference = normalise_reference(rest[0])
        return CheckReport(reference) if reference else None
    if kind == "del" and rest in (["yes"], ["no"]):
        return ConfirmErase(rest[0] == "yes")
    return None


def _moderator_action(rest: list[str]) -> ModeratorAction | None:
    reference = normalise_reference(rest[1])
    if reference is None:
        return None
    argument = rest[2] if len(rest) == 3 else None
    if argument is not None and rest[0] == "merge":
        argument = normalise_reference(argument)
        if argument is None:
            return None
    elif argument is not None and not argument.replace("_", "").isalnum():
        return None
    return ModeratorAction(rest[0], reference, argument)
