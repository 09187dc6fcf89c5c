"""The top menu's links to the feedback register (and, for administrators, its handlers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.core.context_processors import MenuItem
from pcm.feedback import access


def menu_items(user: User) -> list[MenuItem]:
    if access.can_see_register(user):
        return [MenuItem(_("Feedback"), reverse("feedback:register"))]
    if access.can_keep_handlers(user):
        # Administrators see no register, but name the staff who handle its complaints.
        return [MenuItem(_("Complaints handlers"), reverse("feedback:handlers"))]
    return []
