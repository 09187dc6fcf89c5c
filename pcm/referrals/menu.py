"""The provider focal point's menu: the referrals received."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.accounts.models import User
from pcm.core.context_processors import MenuItem


def menu_items(user: User) -> list[MenuItem]:
    if not policy.is_focal_point(user):
        return []
    return [MenuItem(_("Referrals received"), reverse("referrals:inbox"))]
