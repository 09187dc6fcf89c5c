"""The "Exports" menu link, for the roles that may export."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.core.context_processors import MenuItem
from pcm.exports.rules import may_export


def menu_items(user: User) -> list[MenuItem]:
    if not may_export(user):
        return []
    return [MenuItem(_("Exports"), reverse("exports:index"))]
