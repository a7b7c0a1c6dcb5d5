"""Who may moderate what, and where each decision leads — without Telegram or storage."""

from __future__ import annotations

from pathlib import Path

import pytest

from harmline.moderation import Grant, Roster
from harmline.reports.decisions import Action, next_status
from harmline.reports.model import ReportStatus
from harmline.routing import REVIEW, reviewers_for
from harmline.settings import parse_settings
from tests.conftest import config


def _settings(tmp_path: Path, **moderation: object):  # type: ignore[no-untyped-def]
    document = config(str(tmp_path / "h.db"))
    document["deployment"] = {"countries": ["MY", "TH"]}
    document["contacts"].append({"country": "TH", "name": "TCSD", "language": "th", "telegram_chat_id": -1002})
    document["moderation"].update(moderation)
    document["moderators"] = [{"telegram_user_id": 11, "countries": ["MY"]},
                              {"telegram_user_id": 12, "countries": ["*"], "on_duty": True}]
    return parse_settings(document)


def test_scopes_admins_and_run_time_grants(tmp_path: Path) -> None:
    roster = Roster(_settings(tmp_path, admins=[1]))
    assert roster.countries_of(1) == ("MY", "TH") and roster.is_admin(1)
    assert roster.countries_of(11) == ("MY",) and not roster.may_moderate(11, "TH")
    assert roster.countries_of(12) == ("MY", "TH")  # "*": every served country
    assert roster.countries_of(99) == () and not roster.is_moderator(99)
    roster.apply(Grant(11, ("MY", "TH")))  # /mod add 11 TH: the stored grant overrides the config
    assert roster.may_moderate(11, "TH")
    roster.apply(Grant(12, ()))  # /mod remove 12
    assert not roster.is_moderator(12) and roster.on_duty_for("MY") == []


def test_cards_go_to_groups_and_on_duty_moderators_and_never_to_nobody(tmp_path: Path) -> None:
    with_group = _settings(tmp_path, chats=[{"chat_id": -1009, "countries": ["TH"]}])
    roster = Roster(with_group)
    # Thailand has a group; the on-duty moderator also gets every card in private.
    assert [(r.channel, r.target, r.language) for r in reviewers_for("TH", with_group, roster)] == [
        (REVIEW, "-1009", "th"), (REVIEW, "12", "th")]
    roster.apply(Grant(12, ("MY", "TH"), on_duty=False))
    # Malaysia has no group and nobody on duty: every moderator of the country, so none is missed.
    assert [r.target for r in reviewers_for("MY", with_group, roster)] == ["11", "12"]


@pytest.mark.parametrize(("current", "action", "expected"), [
    (ReportStatus.NEW, Action.CONFIRM, ReportStatus.CONFIRMED),
    (ReportStatus.IN_REVIEW, Action.REJECT, ReportStatus.REJECTED),
    (ReportStatus.NEEDS_INFO, Action.MERGE, ReportStatus.MERGED),
    (ReportStatus.NEW, Action.ASK, ReportStatus.NEEDS_INFO),
    (ReportStatus.NEW, Action.OPEN, ReportStatus.IN_REVIEW),
    (ReportStatus.NEEDS_INFO, Action.ESCALATE, ReportStatus.NEEDS_INFO),  # still waiting for the answer
    (ReportStatus.NEW, Action.RECATEGORISE, ReportStatus.IN_REVIEW),
    (ReportStatus.CONFIRMED, Action.REJECT, None),  # decided: a late tap changes nothing
    (ReportStatus.MERGED, Action.OPEN, None),
    (ReportStatus.COLLECTING, Action.CONFIRM, None),  # the citizen is still writing it
    (ReportStatus.CANCELLED, Action.CONFIRM, None),
])
def test_state_changes(current: ReportStatus, action: Action, expected: ReportStatus | None) -> None:
    assert next_status(current, action) is expected
