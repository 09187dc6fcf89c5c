"""The menu link to emergency (break-glass) access, for managers and administrators."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.accounts.models import User
from pcm.core.context_processors import MenuItem


def menu_items(user: User) -> list[MenuItem]:
    if not policy.can_request_break_glass(user):
        return []
    return [MenuItem(label=_("Emergency access"), url=reverse("access:break_glass"))]
