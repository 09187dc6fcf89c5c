"""The top menu's link to possible duplicates, shown only while some wait for this user."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.accounts.models import User
from pcm.core.context_processors import MenuItem
from pcm.people.duplicates import open_flags_visible_to


def menu_items(user: User) -> list[MenuItem]:
    if not policy.can_work_with_cases(user) or not open_flags_visible_to(user).exists():
        return []
    return [MenuItem(_("Possible duplicates"), reverse("people:duplicates"))]
