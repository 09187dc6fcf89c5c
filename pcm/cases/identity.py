"""Hiding a case's identity in lists, for especially sensitive cases.

The case's supervisor, or a manager of its agency, sets it: every list (case list, queues,
team page, search results) then shows only the case number and "Identity protected", to
everyone, the caseworker included; a search by name no longer finds the case (by number only).
The case page itself still shows the identity to those whose role sees it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcm.access import policy
from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.cases.events import IdentityEvent
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class HidingReason(models.TextChoices):
    """Why a case's identity is hidden: a code, so the audit trail holds no free text."""

    KNOWN_TO_STAFF = "known_to_staff", gettext_lazy("The person is known to staff or partners")
    SOUGHT = "sought", gettext_lazy("Someone may be looking for the person")
    PROMINENT = "prominent", gettext_lazy("A public or prominent person")
    REQUESTED = "requested", gettext_lazy("The service user asked for it")
    OTHER = "other", gettext_lazy("Another reason")


def may_hide_identity(user: User | AnonymousUser, case: Case) -> bool:
    """The supervisor of the case's team, or a manager of its agency, decides."""
    if policy.is_case_supervisor(user, case):
        return True
    return (
        isinstance(user, User)
        and user.is_active
        and user.role == Role.MANAGER
        and user.agency_id is not None
        and user.agency_id == case.agency_id
    )


def do_set_identity_hidden(
    case: Case, *, hidden: bool, reason: str = "", acting_user: User
) -> Case:
    """Hide (or show again) CASE's identity in every list. REASON: a HidingReason, optional."""
    if not may_hide_identity(acting_user, case):
        raise ActionRefused(
            _("Only the case's supervisor or a manager of the agency can hide its identity.")
        )
    if reason and reason not in HidingReason.values:
        raise ActionRefused(_("Choose one of the reasons listed, or none."))
    with transaction.atomic(durable=True):
        changed = Case.objects.filter(pk=case.pk, identity_hidden=not hidden).update(
            identity_hidden=hidden
        )
        if not changed:
            raise ActionRefused(
                _("The identity of this case is already hidden in lists.")
                if hidden
                else _("The identity of this case is already shown in lists.")
            )
        detail: dict[str, object] = {"case": case.pk}
        if hidden and reason:
            detail["reason"] = reason
        record_event(
            IdentityEvent.HIDDEN_IN_LISTS if hidden else IdentityEvent.SHOWN_IN_LISTS,
            actor=acting_user,
            target=case,
            agency=case.agency,
            fields=["identity_hidden"],
            detail=detail,
        )
    case.identity_hidden = hidden
    return case
