"""The person part of the case page: private details by field visibility, the link to correct
them, and other registrations of the same person (only those the user may see)."""

from __future__ import annotations

from typing import Any

from django import template

from pcm.access import policy
from pcm.access.fields import FieldGroup, may_see
from pcm.cases.models import Case
from pcm.people.duplicates import registrations_of

register = template.Library()


@register.inclusion_tag("people/_private_rows.html", takes_context=True)
def person_private_rows(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The exact address and the identity document number, for whoever may see them."""
    user = context["request"].user
    return {
        "person": case.person,
        "sees_contact": may_see(user, FieldGroup.CONTACT, case),
        "sees_documents": may_see(user, FieldGroup.DOCUMENTS, case),
    }


@register.inclusion_tag("people/_person_notices.html", takes_context=True)
def person_notices(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """Other registrations of this person that the user may see, and the edit link."""
    user = context["request"].user
    pending, linked = registrations_of(user, case.person)
    groups = (FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.DOCUMENTS)
    return {
        "case": case,
        "pending": pending,
        "linked": linked,
        "can_edit": policy.can_work_on_case(user, case)
        and all(may_see(user, group, case) for group in groups),
    }
