"""What travels with a case transferred to another agency: only what the consent covers.

A transfer moves the case itself, with everything that hangs off it (pcm.closure.
transfer_actions). Before it moves, every field of a group the service user's consent does not
let go to the receiving agency (pcm.cases.consent.sharing_decision) is erased from the case's
records: the sending agency keeps only a stub without personal data, so what the consent does
not cover leaves neither agency with it. The groups:

- identity: the name (and a caregiver's or household member's name); the date of birth
  becomes 1 July of its year, so the age group the statistics count survives;
- contact: the phone number, the address, the emergency contacts, contact restrictions;
- documents: the identity document number and the attached files;
- risk: the risk types found at intake and in assessments (the risk level itself travels: the
  receiving supervisors see it before they accept, and it sets the response time);
- narrative: every free text of the case's notes, assessments, plans and other records.

When the service user has other cases with the sending agency, the person is not moved: the
transferred case gets a copy of the person carrying only the consented fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from pcm.access.fields import PERSON_FIELD_GROUPS, FieldGroup, record_field_group
from pcm.accounts.models import Agency
from pcm.cases.consent import SharingDecision, current_consent, sharing_decision
from pcm.cases.models import Case
from pcm.people.models import Person
from pcm.retention.coverage import CASE_RECORDS, encrypted_field_names

if TYPE_CHECKING:
    from pcm.accounts.models import User


@dataclass(frozen=True)
class TransferPreview:
    """What the transfer form tells the caseworker before they ask: where the case may go,
    what goes with it and what stays, or why it cannot go at all."""

    agencies: list[Agency] = field(default_factory=list)
    decision: SharingDecision | None = None
    blocked: list[str] = field(default_factory=list)


def transfer_preview(case: Case) -> TransferPreview:
    """The same consent lets the same groups go to each agency it names."""
    consent = current_consent(case)
    named: list[Agency] = []
    if consent is not None and not consent.withdrawn and consent.data_sharing:
        named = list(
            consent.share_with.filter(is_active=True).exclude(pk=case.agency_id).order_by("name")
        )
    if named:
        return TransferPreview(agencies=named, decision=sharing_decision(case, named[0]))
    if consent is not None and not consent.withdrawn and consent.data_sharing:
        return TransferPreview(
            blocked=[_("The current consent names no other agency on PCM to share with.")]
        )
    # No consent, a withdrawn one, or one without sharing: the reason is the same for any
    # agency, so ask about the case's own.
    return TransferPreview(blocked=sharing_decision(case, case.agency).reasons)


def _withhold_person_fields(person: Person, withheld: set[str]) -> list[str]:
    """Blank PERSON's fields of the WITHHELD groups (in memory); the names of those changed."""
    changed = []
    for name, group in PERSON_FIELD_GROUPS.items():
        if group not in withheld or name == "date_of_birth":
            continue
        setattr(person, name, "")
        changed.append(name)
    if FieldGroup.IDENTITY in withheld and person.date_of_birth is not None:
        person.date_of_birth = date(person.date_of_birth.year, 7, 1)
        person.date_of_birth_is_estimated = True
        changed += ["date_of_birth", "date_of_birth_is_estimated"]
    return changed


# Records of a case that stay as they are whatever the consent: the transfer requests (their
# reason was written for the receiving agency to read) and the emergency accesses (the
# sending agency's own audit of who opened the case and why).
KEPT_RECORDS = frozenset({"closure.TransferRequest", "access.BreakGlassGrant"})


def person_for_receiver(case: Case, to_agency: Agency, withheld: set[str]) -> Person:
    """The person the transferred CASE will point to, in TO_AGENCY, without WITHHELD fields.

    Moved (and erased in place) when CASE is their only case; else copied, so the sending
    agency's other cases keep their service user whole.
    """
    person = Person.objects.select_for_update().get(pk=case.person_id)
    shared_elsewhere = Case.objects.filter(person_id=person.pk).exclude(pk=case.pk).exists()
    if shared_elsewhere:
        person.pk = None
        person._state.adding = True
    person.agency = to_agency
    _withhold_person_fields(person, withheld)
    # A full save: the blind index of the name and phone follows (pcm.people.signals).
    person.save()
    return person


def withhold_case_records(case: Case, withheld: Iterable[str], actor: User | None) -> list[str]:
    """Erase from CASE's records every field of the WITHHELD groups; the record kinds touched.

    Runs inside the transfer's transaction. The person is handled by `person_for_receiver`.
    """
    groups = set(withheld)
    touched: list[str] = []
    if not groups:
        return touched
    for entry in CASE_RECORDS:
        if entry.label in KEPT_RECORDS:
            continue
        names = [
            name
            for name in encrypted_field_names(entry.model)
            if record_field_group(entry.label, name) in groups
        ]
        if names and entry.rows_of(case.pk).update(**dict.fromkeys(names, "")):
            touched.append(entry.label)
    if FieldGroup.CONTACT in groups:
        from pcm.plans.safety import EmergencyContact

        if EmergencyContact.objects.filter(safety_plan__case=case).delete()[0]:
            touched.append("plans.EmergencyContact")
    if FieldGroup.RISK in groups:
        from pcm.assessments.models import IdentifiedRisk
        from pcm.cases.intake import IntakeScreening

        for screening in IntakeScreening.objects.filter(case=case):
            screening.risk_types.clear()
        if IdentifiedRisk.objects.filter(assessment__case=case).delete()[0]:
            touched.append("assessments.IdentifiedRisk")
    if FieldGroup.DOCUMENTS in groups:
        from pcm.retention import hooks

        if hooks.destroy_case_attachments(case, actor):
            touched.append("attachments.Attachment")
    return sorted(set(touched))
