"""Field-level visibility: beyond which cases a role sees, which groups of fields it sees.

Fields fall into groups. Each role sees a default set of groups, which an agency may change per
role (Agency.field_visibility, {"manager": ["identity", ...]}); what a user may not see is left
out of pages, exports and any other output alike. Profile fields (sex, age group, displacement
status, area, languages) are never identifying on their own and go with any visible case.
"""

from __future__ import annotations

from dataclasses import dataclass
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

# The group of the identifying fields of a case's own records, by "app.Model.field". Every
# other encrypted field of a case's records is free text: the narrative group.
RECORD_FIELD_GROUPS = {
    "cases.Consent.given_by_name": FieldGroup.IDENTITY,
    "cases.HouseholdMember.name": FieldGroup.IDENTITY,
    "cases.Consent.contact_restrictions": FieldGroup.CONTACT,
    "plans.EmergencyContact.name": FieldGroup.CONTACT,
    "plans.EmergencyContact.relationship": FieldGroup.CONTACT,
    "plans.EmergencyContact.phone": FieldGroup.CONTACT,
}


def record_field_group(model_label: str, field_name: str) -> FieldGroup:
    """The group of an encrypted field of a person or of a case's record ("app.Model")."""
    if model_label == "people.Person" and field_name in PERSON_FIELD_GROUPS:
        return PERSON_FIELD_GROUPS[field_name]
    return RECORD_FIELD_GROUPS.get(f"{model_label}.{field_name}", FieldGroup.NARRATIVE)


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
    """The groups of fields USER sees (of CASE, which the access policy let them see).

    Under a live break-glass grant for CASE (emergency access, recorded with its reason), the
    holder sees all of that case; lists, which are about no one case, never change.
    """
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    groups = role_groups(user.agency, user.role)
    if case is not None and groups != ALL_GROUPS and _under_break_glass(user, case):
        return ALL_GROUPS
    return groups


def _under_break_glass(user: User, case: Case) -> bool:
    """Whether USER holds a live break-glass grant for CASE (asked once per user object)."""
    cache: dict[int, bool] = user.__dict__.setdefault("_pcm_break_glass", {})
    if case.pk not in cache:
        from pcm.access import policy

        cache[case.pk] = policy.live_break_glass_grant(user, case) is not None
    return cache[case.pk]


def may_see(user: User | AnonymousUser, group: str, case: Case | None = None) -> bool:
    return group in visible_groups(user, case)


@dataclass(frozen=True)
class FieldVisibility:
    """What one user sees of a case, for templates: `see.identity`, `see.narrative`..."""

    groups: frozenset[str]

    def __contains__(self, group: object) -> bool:
        return group in self.groups

    @property
    def identity(self) -> bool:
        return FieldGroup.IDENTITY in self.groups

    @property
    def contact(self) -> bool:
        return FieldGroup.CONTACT in self.groups

    @property
    def documents(self) -> bool:
        return FieldGroup.DOCUMENTS in self.groups

    @property
    def risk(self) -> bool:
        return FieldGroup.RISK in self.groups

    @property
    def narrative(self) -> bool:
        return FieldGroup.NARRATIVE in self.groups


def field_visibility(user: User | AnonymousUser, case: Case | None = None) -> FieldVisibility:
    return FieldVisibility(visible_groups(user, case))


def may_search_by_name(user: User | AnonymousUser) -> bool:
    """Only a user who sees names may look cases up by name: others could probe who is here."""
    return may_see(user, FieldGroup.IDENTITY)


def shown_in_lists(user: User | AnonymousUser, case: Case) -> bool:
    """Whether lists (case list, queues, search results) may show who CASE is about.

    A case whose identity a supervisor hid shows only its number in every list, to everyone;
    its own page still shows the identity to those who see the identity group.
    """
    return not case.identity_hidden and may_see(user, FieldGroup.IDENTITY)


def role_settings(agency: Agency) -> dict[str, frozenset[str]]:
    """The groups each configurable role sees in AGENCY, defaults included."""
    return {role: role_groups(agency, role) for role in CONFIGURABLE_ROLES}


def settings_value(
    groups_by_role: dict[str, frozenset[str] | set[str] | list[str]],
) -> dict[str, list[str]]:
    """What Agency.field_visibility stores: only the roles that differ from the defaults."""
    stored: dict[str, list[str]] = {}
    for role in CONFIGURABLE_ROLES:
        groups = frozenset(group for group in groups_by_role.get(role, ()) if group in ALL_GROUPS)
        if groups != DEFAULT_GROUPS[role]:
            stored[role] = [group for group in FieldGroup.values if group in groups]
    return stored
