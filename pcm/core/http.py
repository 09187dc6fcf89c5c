"""Small request helpers shared by views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from pcm.accounts.models import User


def current_user(request: HttpRequest) -> User:
    """The signed-in user (views behind login_required only)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
