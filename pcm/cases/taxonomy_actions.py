"""Writes to the protection risk taxonomy, which each agency's managers maintain."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.cases.taxonomy import RiskType
from pcm.core.errors import ActionRefused


def do_save_risk_type(
    risk_type: RiskType, *, changed_fields: list[str], creating: bool, acting_user: User
) -> RiskType:
    """A manager adds or changes one of their agency's risk types."""
    if acting_user.role != Role.MANAGER or acting_user.agency is None:
        raise ActionRefused(_("Only a manager of the agency edits its risk types."))
    with transaction.atomic(durable=True):
        risk_type.agency = acting_user.agency
        risk_type.save()
        record_event(
            AuditEventType.RECORD_CREATED if creating else AuditEventType.RECORD_CHANGED,
            actor=acting_user,
            target=risk_type,
            agency=acting_user.agency,
            fields=changed_fields,
        )
    return risk_type
