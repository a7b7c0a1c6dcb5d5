"""Who may see what on the dashboard: the bot's own roles and country scopes, plus ministry
viewers (``[[viewers]]``), who see figures and indicators but never a report's text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from harmline.moderation.roles import Roster
from harmline.settings.model import Settings


class Role(StrEnum):
    ADMIN = "admin"  # every country; everything
    MODERATOR = "moderator"  # their countries; the queue and reports
    MINISTRY = "ministry"  # their countries; figures and indicators only


@dataclass(frozen=True)
class Viewer:
    user_id: int
    name: str
    role: Role
    countries: tuple[str, ...]

    @property
    def reads_reports(self) -> bool:
        return self.role is not Role.MINISTRY

    def sees(self, country: str) -> bool:
        return country in self.countries


def viewer_of(user_id: int, name: str, settings: Settings, roster: Roster) -> Viewer | None:
    """The signed-in user's role and countries; None for anyone without one."""
    if roster.is_admin(user_id):
        return Viewer(user_id, name, Role.ADMIN, settings.countries)
    if roster.is_moderator(user_id):
        return Viewer(user_id, name, Role.MODERATOR, roster.countries_of(user_id))
    for viewer in settings.viewers:
        if viewer.telegram_user_id == user_id:
            countries = tuple(c for c in settings.countries if viewer.covers(c))
            return Viewer(user_id, name, Role.MINISTRY, countries)
    return None
