"""The manager's menu link to the agency's field-visibility setting (administrators reach it
from the administration page)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.accounts.models import Role, User
from pcm.administration.field_visibility import may_configure_field_visibility
from pcm.core.context_processors import MenuItem


def menu_items(user: User) -> list[MenuItem]:
    if user.role != Role.MANAGER or not may_configure_field_visibility(user):
        return []
    return [
        MenuItem(label=_("What each role sees"), url=reverse("administration:field_visibility"))
    ]
