"""The top menu's link to the MEAL dashboard (a supervisor's is their team's)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.accounts.models import Role, User
from pcm.core.context_processors import MenuItem
from pcm.meal.query import may_use_meal


def menu_items(user: User) -> list[MenuItem]:
    if not may_use_meal(user):
        return []
    label = _("Team dashboard") if user.role == Role.SUPERVISOR else _("MEAL dashboard")
    return [MenuItem(label, reverse("meal:dashboard"))]
