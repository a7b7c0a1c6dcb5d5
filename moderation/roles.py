"""Who may moderate which countries.

Admins (config only, so nobody can lock the operator out at run time) see every served country
and manage moderators. Moderators come from the config and from ``/mod add|remove``; a run-time
change is stored as a :class:`Grant` and overrides the config entry of that user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harmline.settings.model import Settings

EVERY_COUNTRY = "*"


@dataclass(frozen=True)
class Grant:
    """A moderator as changed at run time (a row of the ``moderators`` table)."""

    user_id: int
    countries: tuple[str, ...]  # empty: no longer a moderator
    on_duty: bool = False


@dataclass(frozen=True)
class Member:
    """One line of the roster, for ``/mod``."""

    user_id: int
    countries: tuple[str, ...]
    on_duty: bool
    admin: bool
    changed_at_run_time: bool


class Roster:
    def __init__(self, settings: Settings, grants: Iterable[Grant] = ()) -> None:
        self._served = settings.countries
        self._admins = frozenset(settings.admins)
        self._configured = {m.telegram_user_id: Grant(m.telegram_user_id, m.countries, m.on_duty)
                            for m in settings.moderators}
        self._grants: dict[int, Grant] = {}
        self.load(grants)

    def load(self, grants: Iterable[Grant]) -> None:
        for grant in grants:
            self._grants[grant.user_id] = grant

    def apply(self, grant: Grant) -> None:
        self._grants[grant.user_id] = grant

    def _entry(self, user_id: int) -> Grant | None:
        return self._grants.get(user_id) or self._configured.get(user_id)

    def is_admin(self, user_id: int) -> bool:
        return user_id in self._admins

    def countries_of(self, user_id: int) -> tuple[str, ...]:
        """The served countries whose reports ``user_id`` may see and decide (empty: none)."""
        if self.is_admin(user_id):
            return self._served
        entry = self._entry(user_id)
        if entry is None:
            return ()
        if EVERY_COUNTRY in entry.countries:
            return self._served
        return tuple(c for c in self._served if c in entry.countries)

    def is_moderator(self, user_id: int) -> bool:
        return bool(self.countries_of(user_id))

    def may_moderate(self, user_id: int, country: str) -> bool:
        return country in self.countries_of(user_id)

    def on_duty(self, user_id: int) -> bool:
        entry = self._entry(user_id)
        return entry is not None and entry.on_duty

    def members(self) -> list[Member]:
        ids = sorted({*self._admins, *self._configured, *self._grants})
        return [Member(uid, self.countries_of(uid), self.on_duty(uid), self.is_admin(uid), uid in self._grants)
                for uid in ids if self.countries_of(uid)]

    def moderators_of(self, country: str) -> list[int]:
        """The moderators of ``country`` (admins only when the country has none)."""
        own = [m.user_id for m in self.members() if not m.admin and country in m.countries]
        return own or sorted(self._admins)

    def on_duty_for(self, country: str) -> list[int]:
        return [m.user_id for m in self.members() if m.on_duty and country in m.countries]
