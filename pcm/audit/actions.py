"""Writing audit events. Called inside the same transaction as the change it records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pcm.audit.models import AuditEvent, AuditEventType

if TYPE_CHECKING:
    from django.db.models import Model

    from pcm.accounts.models import Agency, User


def record_event(
    event_type: AuditEventType | str,
    *,
    actor: User | None,
    target: Model | None = None,
    agency: Agency | None = None,
    fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. DETAIL must hold ids and codes only, never personal data."""
    return AuditEvent.objects.create(
        actor=actor,
        event_type=event_type,
        agency=agency,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        fields=sorted(fields),
        detail=detail or {},
    )
