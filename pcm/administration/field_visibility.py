"""The agency's field-visibility setting: which groups of fields each case role sees.

The agency's manager or administrator ticks, per role, the groups (pcm.access.fields) that role
sees; what matches the defaults is not stored, so a later change of the defaults reaches it.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _

from pcm.access.fields import (
    CONFIGURABLE_ROLES,
    DEFAULT_GROUPS,
    FieldGroup,
    role_groups,
    settings_value,
)
from pcm.accounts.models import Agency, Role, User
from pcm.administration.events import SettingsEvent
from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused, EditConflict

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

SETTING_ROLES = frozenset({Role.MANAGER, Role.ADMINISTRATOR})


def may_configure_field_visibility(user: User | AnonymousUser) -> bool:
    """The manager and the administrator of an active agency set it, for their agency only."""
    return (
        isinstance(user, User)
        and user.is_active
        and user.role in SETTING_ROLES
        and user.agency is not None
        and user.agency.is_active
    )


def fingerprint(agency: Agency) -> str:
    """A short digest of the stored setting: a form posted from an older one is refused."""
    stored = json.dumps(agency.field_visibility or {}, sort_keys=True)
    return hashlib.sha256(stored.encode()).hexdigest()[:16]


def default_labels(role: str) -> str:
    labels = [str(FieldGroup(group).label) for group in FieldGroup.values]
    chosen = [
        label
        for group, label in zip(FieldGroup.values, labels, strict=True)
        if group in DEFAULT_GROUPS[role]
    ]
    return ", ".join(chosen) if chosen else _("nothing")


class FieldVisibilityForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        initial: dict[str, object] = {"fingerprint": fingerprint(agency)}
        initial.update({role: sorted(role_groups(agency, role)) for role in CONFIGURABLE_ROLES})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for role in CONFIGURABLE_ROLES:
            self.fields[role] = forms.MultipleChoiceField(
                label=Role(role).label,
                choices=FieldGroup.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Default: %(groups)s.") % {"groups": default_labels(role)},
            )

    def groups_by_role(self) -> dict[str, set[str]]:
        return {role: set(self.cleaned_data.get(role) or ()) for role in CONFIGURABLE_ROLES}


def do_set_field_visibility(
    agency: Agency,
    groups_by_role: dict[str, set[str]] | dict[str, frozenset[str]],
    *,
    expected_fingerprint: str,
    acting_user: User,
) -> Agency:
    """Store which groups each case role of AGENCY sees (roles left out keep theirs); audited
    with the groups' codes."""
    if not may_configure_field_visibility(acting_user) or acting_user.agency_id != agency.pk:
        raise ActionRefused(
            _("Only the agency's manager or administrator can change what each role sees.")
        )
    unknown = {group for groups in groups_by_role.values() for group in groups} - set(
        FieldGroup.values
    )
    if unknown:
        raise ActionRefused(_("Choose among the groups of fields listed."))
    with transaction.atomic(durable=True):
        current = Agency.objects.select_for_update().get(pk=agency.pk)
        if fingerprint(current) != expected_fingerprint:
            raise EditConflict(
                _(
                    "Someone changed what each role sees while you were editing. Nothing was "
                    "saved: check the setting as it is now and save again."
                )
            )
        # A role left out keeps what it sees now.
        value = settings_value(
            {
                role: groups_by_role.get(role, role_groups(current, role))
                for role in CONFIGURABLE_ROLES
            }
        )
        changed = sorted(
            role
            for role in CONFIGURABLE_ROLES
            if role_groups(current, role) != role_groups_of(value, role)
        )
        if not changed:
            return current
        current.field_visibility = value
        current.save(update_fields=["field_visibility"])
        record_event(
            SettingsEvent.FIELD_VISIBILITY_CHANGED,
            actor=acting_user,
            target=current,
            agency=current,
            fields=["field_visibility"],
            detail={"roles": {role: sorted(role_groups(current, role)) for role in changed}},
        )
    return current


def role_groups_of(value: dict[str, list[str]], role: str) -> frozenset[str]:
    """The groups ROLE would see with the stored VALUE."""
    configured = value.get(role)
    return DEFAULT_GROUPS[role] if configured is None else frozenset(configured)
