"""The agency's retention setting. Anonymisation is in `anonymise`, erasure in `erasure`, the
export of a service user's own data in `subject_export`."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from pcm.accounts.models import Agency, Role, User
from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused, EditConflict
from pcm.retention.models import MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS, RetentionEvent

SETTINGS_ROLES = (Role.ADMINISTRATOR, Role.MANAGER)


def may_manage_retention(user: User | AnonymousUser) -> bool:
    """An administrator or a manager of an active agency sets its retention period."""
    return (
        isinstance(user, User)
        and user.is_active
        and user.role in SETTINGS_ROLES
        and user.agency is not None
        and user.agency.is_active
    )


def do_set_retention_months(
    agency: Agency, *, months: int, expected_months: int, acting_user: User
) -> Agency:
    """Set how many months after closure AGENCY's cases are anonymised (1 to 120)."""
    if not may_manage_retention(acting_user) or acting_user.agency_id != agency.pk:
        raise ActionRefused(_("Only an administrator or a manager of the agency can change this."))
    if not MIN_RETENTION_MONTHS <= months <= MAX_RETENTION_MONTHS:
        raise ActionRefused(
            _("Choose a period from %(low)d to %(high)d months.")
            % {"low": MIN_RETENTION_MONTHS, "high": MAX_RETENTION_MONTHS}
        )
    with transaction.atomic(durable=True):
        updated = Agency.objects.filter(pk=agency.pk, retention_months=expected_months).update(
            retention_months=months
        )
        if not updated:
            raise EditConflict(
                _(
                    "Someone else changed the retention period meanwhile. Nothing was saved; "
                    "check the period shown now and save again if needed."
                )
            )
        if months != expected_months:
            record_event(
                RetentionEvent.RETENTION_CHANGED,
                actor=acting_user,
                target=agency,
                agency=agency,
                fields=["retention_months"],
                detail={"from": expected_months, "to": months},
            )
    agency.refresh_from_db()
    return agency
