"""What anonymisation asks of other apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps

if TYPE_CHECKING:
    from pcm.accounts.models import User
    from pcm.cases.models import Case


def destroy_case_attachments(case: Case, actor: User | None) -> int:
    """Destroy the case's attachment files and erase their titles (pcm.attachments)."""
    if not apps.is_installed("pcm.attachments"):
        return 0
    from pcm.attachments.actions import destroy_case_attachments as destroy

    return destroy(case, actor)


def forget_case_feedback(case_id: int) -> int:
    """Empty the feedback register's entries linked to the case (pcm.feedback)."""
    if not apps.is_installed("pcm.feedback"):
        return 0
    from pcm.feedback.actions import forget_case

    return forget_case(case_id)
