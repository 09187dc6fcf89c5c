"""Who may export personal data, and which cases an export holds.

Only roles that need a caseload outside PCM may export one: a supervisor (their teams' cases)
and a manager (their agency's cases), through the access policy like any other read.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from pcm.access.policy import cases_visible_to
from pcm.accounts.models import Role, User
from pcm.cases.models import CaseQuerySet

EXPORT_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER})


class Scope(models.TextChoices):
    OPEN = "open", _("Open cases")
    ALL = "all", _("All cases, open and closed")


def may_export(user: User | AnonymousUser) -> bool:
    return (
        isinstance(user, User)
        and user.is_active
        and user.agency is not None
        and user.agency.is_active
        and user.role in EXPORT_ROLES
    )


def cases_to_export(user: User, scope: str) -> CaseQuerySet:
    """The cases USER's export of SCOPE holds: those they may see, open ones only if asked."""
    cases = cases_visible_to(user)
    return cases.open() if scope == Scope.OPEN else cases
