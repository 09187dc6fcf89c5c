"""Which records belong to a case or to a person, and what anonymisation erases in them.

Written out by hand, so that nothing is erased or exported by guesswork: every model holding an
encrypted field, and every model pointing at a case, a person or one of the records below, must
appear here — as a record of a case, a record of a person, or an exclusion with its reason.
`pcm/retention/tests/test_coverage.py` fails when a new model is added without an entry.

Anonymisation empties every encrypted field of each record listed (found on the model itself,
so a new encrypted field is covered without an edit here), plus the plain-text fields and links
named in PLAIN_ERASED. Everything else stays: it is what statistics count.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models

from pcm.vault.fields import EncryptedTextField


@dataclass(frozen=True)
class Records:
    """A model whose rows belong to one case (or person): PATH is the lookup from the row to
    the case (or person); "" for the case (or person) itself."""

    label: str
    path: str

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def rows_of(self, owner_pk: int) -> models.QuerySet[models.Model]:
        lookup = f"{self.path}__pk" if self.path else "pk"
        return self.model._default_manager.filter(**{lookup: owner_pk})


# Every record that holds data about one case, in the order the export shows them.
CASE_RECORDS: tuple[Records, ...] = (
    Records("cases.Case", ""),
    Records("cases.Consent", "case"),
    Records("cases.HouseholdMember", "case"),
    Records("cases.IntakeScreening", "case"),
    Records("assessments.Assessment", "case"),
    Records("assessments.IdentifiedRisk", "assessment__case"),
    Records("plans.CasePlan", "case"),
    Records("plans.PlanVersion", "case"),
    Records("plans.PlanGoal", "plan_version__case"),
    Records("plans.PlanAction", "case"),
    Records("plans.PlanReview", "plan__case"),
    Records("plans.SafetyPlan", "case"),
    Records("plans.EmergencyContact", "safety_plan__case"),
    Records("casework.CaseNote", "case"),
    Records("casework.DirectSupport", "case"),
    Records("casework.CaseConference", "case"),
    Records("casework.ConferenceAction", "conference__case"),
    Records("casework.FollowUp", "case"),
    Records("casework.StepChange", "case"),
    Records("closure.ClosureRequest", "case"),
    Records("closure.CaseReopening", "case"),
    Records("closure.TransferRequest", "case"),
    Records("supervision.CaseFileCheck", "case"),
    Records("attachments.Attachment", "case"),
    Records("access.BreakGlassGrant", "case"),
    Records("referrals.Referral", "case"),
    Records("referrals.ReferralStep", "referral__case"),
)

# Every record that holds data about the person rather than one of their cases.
PERSON_RECORDS: tuple[Records, ...] = (Records("people.Person", ""),)

# Records linked to a person whose rows are deleted when the person is anonymised.
# (The blind-index hashes of the name and phone, and the possible-duplicate flags that tie the
# person to another registration, either way.)
PERSON_DELETED: tuple[Records, ...] = (
    Records("people.PersonToken", "person"),
    Records("people.DuplicateFlag", "person"),
    Records("people.DuplicateFlag", "candidate"),
)

# Plain (unencrypted) fields that anonymisation also empties: free text, or a link that would
# tie the anonymised case to somebody. Value: what the field becomes.
PLAIN_ERASED: dict[str, dict[str, object]] = {
    "cases.Consent": {"share_with_others": ""},
    # The household member's own case: a link between two people.
    "cases.HouseholdMember": {"own_case": None},
    # Languages spoken can single a person out in a small place; statistics do not use them.
    "people.Person": {"languages": []},
}

# Plain text fields of the records above that are kept, and why (checked by a test so that a
# new free-text field cannot slip through unnoticed).
PLAIN_KEPT: dict[str, str] = {
    "cases.Case.number": "Says which agency holds the case, nothing about the person.",
    "closure.TransferRequest.case_number": "The case number when the transfer was requested.",
    "casework.DirectSupport.currency": "A currency code, for the statistics of support given.",
    "cases.HouseholdMember.sex": "For the statistics of households (the name is erased).",
    "attachments.Attachment.storage_name": "A random file name; the file itself is destroyed.",
}

# Models with encrypted fields, or pointing at a case or person, that are not part of a case's
# or a person's record — and why.
EXCLUDED: dict[str, str] = {
    "cases.ContactRecord": (
        "Not linked to a case or a person (no name is recorded); the retention run empties "
        "its free text once the agency's retention period has passed."
    ),
    "closure.SatisfactionSurvey": (
        "Unlinkable to any case or person by design; its comment asks for no names."
    ),
    "supervision.SupervisionSession": (
        "About a staff member's supervision, not a service user; cases are named by number."
    ),
    "supervision.AgreedAction": "An action agreed in a staff member's supervision session.",
    "notifications.Notification": "A link to a case and a kind, no content.",
    "retention.ErasureRequest": "Ids and a reason code only; kept as the record of an erasure.",
    "audit.AuditEvent": "The append-only audit trail: ids, codes and field names, never values.",
    "feedback.FeedbackEntry": (
        "The agency's feedback and complaints register: an entry may refer to a case but is not "
        "part of its record, and sensitive or staff complaints must stay with the complaints "
        "handlers rather than travel with a transfer or a service user's export. When the case "
        "is anonymised, its linked entries lose their text and the link (retention.hooks)."
    ),
}


def encrypted_field_names(model: type[models.Model]) -> list[str]:
    return [
        field.name for field in model._meta.local_fields if isinstance(field, EncryptedTextField)
    ]


def erased_values(model: type[models.Model]) -> dict[str, object]:
    """What anonymisation sets on every row of MODEL: encrypted fields empty, and PLAIN_ERASED."""
    values: dict[str, object] = dict.fromkeys(encrypted_field_names(model), "")
    values.update(PLAIN_ERASED.get(model._meta.label, {}))
    return values
