"""The top menu's link to the service directory."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.core.context_processors import MenuItem
from pcm.services.directory import may_search


def menu_items(user: User) -> list[MenuItem]:
    if not may_search(user):
        return []
    return [MenuItem(_("Services"), reverse("services:directory"))]
