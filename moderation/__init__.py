"""Moderation: who may decide which reports (roles), what a decision does (states, notices)."""

from moderation.roles import Grant, Roster

__all__ = ["Grant", "Roster"]
