"""Writes to safety plans: creating and revising a case's safety plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.plans import permissions
from pcm.plans.drafts import ContactInput, SafetyPlanInput
from pcm.plans.events import PlanEvent
from pcm.plans.safety import EmergencyContact, SafetyPlan
from pcm.plans.versioning import when

if TYPE_CHECKING:
    from pcm.accounts.models import User

TEXT_FIELDS = ("warning_signs", "safe_places", "safe_people", "emergency_steps")


def do_save_safety_plan(
    case: Case, data: SafetyPlanInput, *, expected_version: int | None, acting_user: User
) -> SafetyPlan:
    """Create (EXPECTED_VERSION None) or revise the case's safety plan."""
    if not permissions.is_caseworker_of(acting_user, case):
        raise ActionRefused(_("Only the case's caseworker can write its safety plan."))
    if case.status not in permissions.SAFETY_PLAN_STEPS:
        raise ActionRefused(_("This case is no longer open: its safety plan cannot change."))
    if not data.emergency_steps.strip() and not data.contacts:
        raise ActionRefused(
            _("Write what to do in an emergency, or add at least one emergency contact.")
        )
    now = timezone.now()
    values = {name: getattr(data, name).strip() for name in TEXT_FIELDS}
    with transaction.atomic(durable=True):
        existing = SafetyPlan.objects.select_related("updated_by").filter(case=case).first()
        if (existing.version if existing else None) != expected_version:
            raise EditConflict(_conflict_message(existing, data))
        if existing is None:
            try:
                with transaction.atomic():
                    plan = SafetyPlan.objects.create(
                        case=case,
                        reviewed_on=data.reviewed_on,
                        created_by=acting_user,
                        created_at=now,
                        updated_by=acting_user,
                        updated_at=now,
                        **values,
                    )
            except IntegrityError:  # created by someone else at the same moment
                raise EditConflict(_conflict_message(None, data)) from None
            changed = [*TEXT_FIELDS, "reviewed_on", "emergency_contacts"]
        else:
            assert expected_version is not None  # noqa: S101 - equal to existing.version above
            plan = existing
            changed = _changed_fields(plan, data)
            updated = SafetyPlan.objects.filter(pk=plan.pk, version=expected_version).update(
                reviewed_on=data.reviewed_on,
                updated_by=acting_user,
                updated_at=now,
                version=F("version") + 1,
                **values,
            )
            if not updated:  # saved by someone else since it was read above
                raise EditConflict(_conflict_message(None, data))
            plan.emergency_contacts.all().delete()
        EmergencyContact.objects.bulk_create(
            [
                EmergencyContact(
                    safety_plan=plan,
                    position=index + 1,
                    name=contact.name.strip(),
                    relationship=contact.relationship.strip(),
                    phone=contact.phone.strip(),
                )
                for index, contact in enumerate(data.contacts)
            ]
        )
        record_event(
            PlanEvent.SAFETY_PLAN_SAVED,
            actor=acting_user,
            target=plan,
            agency=case.agency,
            fields=changed,
            detail={"case": case.pk, "created": existing is None},
        )
    plan.refresh_from_db()
    return plan


def _contacts(plan: SafetyPlan) -> list[ContactInput]:
    return [
        ContactInput(name=c.name, phone=c.phone, relationship=c.relationship)
        for c in plan.emergency_contacts.all()
    ]


def _changed_fields(plan: SafetyPlan, data: SafetyPlanInput) -> list[str]:
    """The fields of PLAN that DATA gives other values (names only, for the audit trail)."""
    changed = [name for name in TEXT_FIELDS if getattr(plan, name) != getattr(data, name).strip()]
    if plan.reviewed_on != data.reviewed_on:
        changed.append("reviewed_on")
    if _contacts(plan) != [
        ContactInput(c.name.strip(), c.phone.strip(), c.relationship.strip()) for c in data.contacts
    ]:
        changed.append("emergency_contacts")
    return changed


def _conflict_message(existing: SafetyPlan | None, data: SafetyPlanInput) -> str:
    if existing is None:
        return _("The safety plan changed while you were editing it. Reload it and try again.")
    labels = {
        "warning_signs": _("warning signs"),
        "safe_places": _("safe places"),
        "safe_people": _("safe people"),
        "emergency_steps": _("what to do in an emergency"),
        "reviewed_on": _("reviewed on"),
        "emergency_contacts": _("emergency contacts"),
    }
    differing = ", ".join(str(labels[name]) for name in _changed_fields(existing, data))
    return _(
        "%(who)s saved this safety plan at %(when)s while you were editing it. Nothing was "
        "saved. Their version differs from yours in: %(fields)s. Reload the page to see "
        "their version, then make your changes again."
    ) % {
        "who": existing.updated_by,
        "when": when(existing.updated_at),
        "fields": differing or _("nothing you changed"),
    }
