"""Inline-button data: short, versioned strings parsed by a pure function, so a button pressed
after a restart (or a week later) still means the same thing.

``v1:fu:<ref>:<step>:<value>``  answer a follow-up question (value ``-`` = skip)
``v1:fu:<ref>:send``             "Send now": end the follow-ups
``v1:fu:<ref>:keep`` / ``:fwd``  keep the report on file only, or forward it after all ([privacy] consent)
``v1:priv:full``                 the full privacy notice
``v1:lang:<code>``               choose the reply language
``v1:del:yes`` / ``v1:del:no``   confirm /deleteme
``v1:mod:<verb>:<ref>[:<arg>]``  a moderator's button on a report card: confirm, reject, escalate,
                                 open; cat / merge / ask open a menu, and with an argument (category,
                                 target reference, question) decide; back closes the menu
``v1:q:<offset>:<cc>:<cat>:<lang>``  a page of /queue (``-`` = no filter)
``v1:find:<search id>:<offset>``     a page of /find results (the terms are stored: saved_searches)
``v1:chk:<ref>``                 "Check it": how often the report's numbers and links were reported

Button data comes back from Telegram as the user's client sends it, so it may be forged: parsing
is total and strict. Only what a builder here can produce parses (ASCII, at most 64 bytes, numbers
in ASCII digits without leading zeros and below :data:`MAX_NUMBER`, canonical references, known
verbs, steps, values, filters and languages); everything else is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harmline.i18n import LANGUAGES
from harmline.reports.labels import QUESTIONS
from harmline.reports.model import Category, FollowUpStep, Platform
from harmline.reports.reference import REFERENCE_PATTERN
from harmline.settings.model import ASEAN_COUNTRIES

VERSION = "v1"
SKIP = "-"
MAX_DATA_LENGTH = 64  # Telegram's limit on callback_data, in bytes
# Offsets and search ids: far beyond any real list or number of searches, and well inside
# SQLite's 64-bit integers (a forged 20-digit number once overflowed them).
MAX_NUMBER = 2**31 - 1
# ASCII digits only: str.isdigit() also accepts "²" and other scripts' digits.
_NUMBER = re.compile(r"0|[1-9][0-9]{0,9}")


@dataclass(frozen=True)
class FollowUpAnswer:
    reference: str
    step: FollowUpStep
    value: str | None  # None: skipped


@dataclass(frozen=True)
class SendNow:
    reference: str


@dataclass(frozen=True)
class ChooseForwarding:
    reference: str
    forward: bool  # False: keep on file only


@dataclass(frozen=True)
class ShowPrivacy:
    pass


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


Action = (FollowUpAnswer | SendNow | ChooseForwarding | ShowPrivacy | ChooseLanguage | ConfirmErase
          | ModeratorAction | QueuePage | FindPage | CheckReport)


def followup(reference: str, step: FollowUpStep, value: str | None) -> str:
    return f"{VERSION}:fu:{reference}:{step.value}:{value or SKIP}"


def send_now(reference: str) -> str:
    return f"{VERSION}:fu:{reference}:send"


def choose_forwarding(reference: str, forward: bool) -> str:
    return f"{VERSION}:fu:{reference}:{'fwd' if forward else 'keep'}"


def show_privacy() -> str:
    return f"{VERSION}:priv:full"


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


def parse(data: object) -> Action | None:
    """The action a button stands for, or None for anything unknown, old or forged. Never raises."""
    if not isinstance(data, str) or not data.isascii() or not 0 < len(data) <= MAX_DATA_LENGTH:
        return None
    parts = data.split(":")
    if len(parts) < 3 or parts[0] != VERSION:
        return None
    kind, rest = parts[1], parts[2:]
    if kind == "fu":
        return _followup(rest)
    if kind == "lang" and len(rest) == 1 and rest[0] in LANGUAGES:
        return ChooseLanguage(rest[0])
    if kind == "mod":
        return _moderator_action(rest)
    if kind == "q" and len(rest) == 4:
        return _queue_page(rest)
    if kind == "find" and len(rest) == 2:
        search_id, offset = _number(rest[0]), _number(rest[1])
        return FindPage(search_id, offset) if search_id is not None and offset is not None else None
    if kind == "chk" and len(rest) == 1:
        reference = _reference(rest[0])
        return CheckReport(reference) if reference else None
    if kind == "priv" and rest == ["full"]:
        return ShowPrivacy()
    if kind == "del" and rest in (["yes"], ["no"]):
        return ConfirmErase(rest[0] == "yes")
    return None


def _number(text: str) -> int | None:
    """A non-negative number written as a builder writes it, at most :data:`MAX_NUMBER`."""
    if _NUMBER.fullmatch(text) is None:
        return None
    value = int(text)
    return value if value <= MAX_NUMBER else None


def _reference(text: str) -> str | None:
    """A report reference exactly as the bot writes it (``MY-7KQ4XP2D``)."""
    return text if REFERENCE_PATTERN.fullmatch(text) else None


# The values each follow-up question's buttons carry (the amount is typed, so only "skip").
_FOLLOWUP_VALUES: dict[FollowUpStep, frozenset[str]] = {
    FollowUpStep.COUNTRY: frozenset(ASEAN_COUNTRIES),
    FollowUpStep.PLATFORM: frozenset(Platform.__members__.values()),
    FollowUpStep.LOSS: frozenset(("yes", "no")),
    FollowUpStep.AMOUNT: frozenset(),
}


def _followup(rest: list[str]) -> FollowUpAnswer | SendNow | ChooseForwarding | None:
    reference = _reference(rest[0])
    if reference is None:
        return None
    if rest[1:] == ["send"]:
        return SendNow(reference)
    if rest[1:] in (["keep"], ["fwd"]):
        return ChooseForwarding(reference, rest[1] == "fwd")
    if len(rest) != 3 or rest[1] not in FollowUpStep.__members__.values():
        return None
    step, value = FollowUpStep(rest[1]), rest[2]
    if value == SKIP:
        return FollowUpAnswer(reference, step, None)
    return FollowUpAnswer(reference, step, value) if value in _FOLLOWUP_VALUES[step] else None


def _moderator_action(rest: list[str]) -> ModeratorAction | None:
    """``<verb>:<ref>``, and for the menus' choices ``<verb>:<ref>:<argument>``."""
    if len(rest) not in (2, 3) or rest[0] not in MODERATOR_VERBS:
        return None
    verb, reference = rest[0], _reference(rest[1])
    if reference is None:
        return None
    if len(rest) == 2:
        return ModeratorAction(verb, reference)
    argument: str | None = rest[2]
    if verb == "merge":
        argument = _reference(rest[2])
    elif verb == "cat":
        argument = rest[2] if rest[2] in Category.__members__.values() else None
    elif verb == "ask":
        argument = rest[2] if rest[2] in QUESTIONS else None
    else:  # confirm, reject, escalate, open and back take no argument
        argument = None
    return ModeratorAction(verb, reference, argument) if argument is not None else None


def _queue_page(rest: list[str]) -> QueuePage | None:
    offset = _number(rest[0])
    country, category, language = (None if value == _ANY else value for value in rest[1:])
    if (offset is None or (country is not None and country not in ASEAN_COUNTRIES)
            or (category is not None and category not in Category.__members__.values())
            or (language is not None and language not in LANGUAGES)):
        return None
    return QueuePage(offset, country, category, language)
