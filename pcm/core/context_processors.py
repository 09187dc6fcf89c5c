"""Values every page template needs: demo flag, languages, what the menu may show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from pcm.access import policy
from pcm.accounts.models import User
from pcm.core.discovery import app_modules


@dataclass(frozen=True)
class MenuItem:
    """A link in the top menu, added by an app's `menu.menu_items(user)`."""

    label: str
    url: str


def _fully_signed_in(user: Any) -> bool:
    """Signed in and, where two factors are required, past the second one."""
    if not user.is_authenticated:
        return False
    return not settings.REQUIRE_2FA or bool(user.is_verified())


def pcm(request: HttpRequest) -> dict[str, Any]:
    # Error pages for requests refused before authentication (a bad Host) have no user.
    user = getattr(request, "user", None) or AnonymousUser()
    signed_in = _fully_signed_in(user)
    role = getattr(user, "role", "")
    unread = 0
    if signed_in and isinstance(user, User):
        from pcm.notifications.models import Notification

        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    extra_menu: list[MenuItem] = []
    if signed_in and isinstance(user, User):
        for module in app_modules("menu"):
            extra_menu.extend(module.menu_items(user))
    return {
        "signed_in": signed_in,
        # Entries that apps add through a `<app>/menu.py` module with `menu_items(user)`.
        "extra_menu": extra_menu,
        "unread_notifications": unread,
        "PCM_DEMO": settings.DEMO,
        "PCM_LANGUAGES": settings.LANGUAGES,
        "menu": {
            "cases": signed_in and policy.can_work_with_cases(user),
            "register": signed_in and policy.can_register_people(user),
            "administration": signed_in and policy.can_administer(user),
            "risk_types": signed_in and role == "manager",
            "today": signed_in and role == "caseworker",
            "team": signed_in and role == "supervisor",
            "transfers_in": signed_in and role == "supervisor",
            "transfers_out": signed_in and role in ("supervisor", "manager"),
        },
    }
