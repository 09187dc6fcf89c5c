"""Errors that actions raise for people: each carries a translated message saying what to do."""

from __future__ import annotations

from django.utils.functional import Promise


class ActionRefused(Exception):
    """The user may not do this, or not in this state. The message is shown to them."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


class EditConflict(ActionRefused):
    """Someone else changed the record since this user loaded it (optimistic locking)."""
