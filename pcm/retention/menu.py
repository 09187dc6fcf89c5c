"""Menu links: "Data retention" for administrators and managers, "Erasure requests" for managers."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.accounts.models import Role, User
from pcm.core.context_processors import MenuItem
from pcm.retention.actions import may_manage_retention


def menu_items(user: User) -> list[MenuItem]:
    if not may_manage_retention(user):
        return []
    items = [MenuItem(_("Data retention"), reverse("retention:settings"))]
    if user.role == Role.MANAGER:
        items.append(MenuItem(_("Erasure requests"), reverse("retention:erasure_requests")))
    return items
