"""Moderation: who may decide which reports (roles), what a decision does (states, notices)."""

from harmline.moderation.roles import Grant, Roster

__all__ = ["Grant", "Roster"]
