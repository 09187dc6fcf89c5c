"""Field-level visibility: beyond which cases a role sees, which groups of fields it sees.

Fields fall into groups. Each role sees a default set of groups, which an agency may change per
role (Agency.field_visibility, {"manager": ["identity", ...]}); what a user may not see is left
out of pages, exports and any other output alike. Profile fields (sex, age group, displacement
status, area, languages) are never identifying on their own and go with any visible case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pcm.accounts.models import Agency
    from pcm.cases.models import Case


class FieldGroup(models.TextChoices):
    IDENTITY = "identity", _("Name and date of birth")
    CONTACT = "contact", _("Phone number and address")
    DOCUMENTS = "documents", _("Identity document number")
    RISK = "risk", _("Risk level and risk types")
    NARRATIVE = "narrative", _("Notes, assessments and plans (free text)")


ALL_GROUPS = frozenset(FieldGroup.values)

# Which group each identifying field of a person belongs to.
PERSON_FIELD_GROUPS = {
    "given_name": FieldGroup.IDENTITY,
    "family_name": FieldGroup.IDENTITY,
    "date_of_birth": FieldGroup.IDENTITY,
    "phone": FieldGroup.CONTACT,
    "address": FieldGroup.CONTACT,
    "id_document_number": FieldGroup.DOCUMENTS,
}

DEFAULT_GROUPS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: ALL_GROUPS,
    Role.SUPERVISOR: ALL_GROUPS,
    # A manager reads the agency's caseload: age group, sex and risk, not who the people are.
    Role.MANAGER: frozenset({FieldGroup.RISK}),
    Role.MEAL_OFFICER: frozenset(),
    Role.PROVIDER_FOCAL_POINT: frozenset(),
    Role.ADMINISTRATOR: frozenset(),
}

# Roles whose defaults an agency may change (the others never see case content).
CONFIGURABLE_ROLES = (Role.CASEWORKER, Role.SUPERVISOR, Role.MANAGER)


def role_groups(agency: Agency | None, role: str) -> frozenset[str]:
    """The groups ROLE sees in AGENCY: the agency's setting, else the default."""
    default = DEFAULT_GROUPS.get(role, frozenset())
    if agency is None or role not in CONFIGURABLE_ROLES:
        return default
    configured = (agency.field_visibility or {}).get(role)
    if configured is None:
        return default
    return frozenset(group for group in configured if group in ALL_GROUPS)


def visible_groups(user: User | AnonymousUser, case: Case | None = None) -> frozenset[str]:
    """The groups of fields USER sees (of CASE, which the access policy let them see)."""
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    return role_groups(user.agency, user.role)


def may_see(user: User | AnonymousUser, group: str, case: Case | None = None) -> bool:
    return group in visible_groups(user, case)
