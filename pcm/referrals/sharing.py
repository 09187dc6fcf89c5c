"""What a referral may carry: the fields a caseworker can tick, and what the consent lets go.

Each shareable field belongs to a group of pcm.access.fields (or to the profile, which is not
identifying on its own). A field may be ticked only when the case's current consent covers
referrals and, for a grouped field, that group; the caseworker ticks the minimum the service
needs. What is ticked is copied into the referral's payload when it is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pcm.access.fields import FieldGroup
from pcm.cases.consent import Purpose, current_consent
from pcm.cases.models import Case, IntakeScreening, RiskLevel
from pcm.people.models import Language, Person, Sex

Value = str | int | list[str] | None


def _risk_types(case: Case) -> list[str]:
    screening = IntakeScreening.objects.filter(case=case).prefetch_related("risk_types").first()
    return [risk.name for risk in screening.risk_types.all()] if screening else []


def _location(person: Person) -> str | None:
    return person.location.name if person.location is not None else None


@dataclass(frozen=True)
class ShareableField:
    key: str
    label: Promise
    # None: profile information, never identifying on its own.
    group: FieldGroup | None
    read: Callable[[Case], Value]

    def value(self, case: Case) -> Value:
        value = self.read(case)
        return value if value not in ("", [], None) else None


SHAREABLE_FIELDS: tuple[ShareableField, ...] = (
    ShareableField("name", _("Name"), FieldGroup.IDENTITY, lambda case: case.person.full_name),
    ShareableField(
        "date_of_birth",
        _("Date of birth"),
        FieldGroup.IDENTITY,
        lambda case: case.person.date_of_birth.isoformat() if case.person.date_of_birth else None,
    ),
    ShareableField("age", _("Age"), None, lambda case: case.person.age_on(timezone.localdate())),
    ShareableField("sex", _("Sex"), None, lambda case: case.person.sex),
    ShareableField("phone", _("Phone number"), FieldGroup.CONTACT, lambda case: case.person.phone),
    ShareableField("address", _("Address"), FieldGroup.CONTACT, lambda case: case.person.address),
    ShareableField("area", _("Area"), None, lambda case: _location(case.person)),
    ShareableField(
        "languages", _("Languages"), None, lambda case: list(case.person.languages or [])
    ),
    ShareableField(
        "id_document_number",
        _("Identity document number"),
        FieldGroup.DOCUMENTS,
        lambda case: case.person.id_document_number,
    ),
    ShareableField("risk_level", _("Risk level"), FieldGroup.RISK, lambda case: case.risk_level),
    ShareableField("risk_types", _("Risk types"), FieldGroup.RISK, _risk_types),
)
FIELDS_BY_KEY = {shareable.key: shareable for shareable in SHAREABLE_FIELDS}


def field_label(key: str) -> str:
    shareable = FIELDS_BY_KEY.get(key)
    return str(shareable.label) if shareable else key


def display_value(key: str, value: Value) -> str:
    """A payload value as a person reads it, in the reader's language."""
    if value is None or value == "" or value == []:
        return "—"
    if key == "sex":
        return str(dict(Sex.choices).get(str(value), value))
    if key == "risk_level":
        return str(dict(RiskLevel.choices).get(str(value), value))
    if key == "languages" and isinstance(value, list):
        labels = dict(Language.choices)
        return ", ".join(str(labels.get(code, code)) for code in value)
    if key == "date_of_birth":
        return date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


@dataclass(frozen=True)
class Choice:
    """One field on the referral form: whether it may be ticked, and why not."""

    field: ShareableField
    allowed: bool
    why_not: str = ""


@dataclass(frozen=True)
class ReferralConsent:
    """What the current consent of a case lets go with a referral."""

    allowed: bool
    choices: list[Choice] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    consent_version: int | None = None

    @property
    def allowed_keys(self) -> frozenset[str]:
        return frozenset(choice.field.key for choice in self.choices if choice.allowed)

    def seen_by(self, groups: frozenset[str]) -> ReferralConsent:
        """The same, limited to the groups the referring user sees: nobody sends (or prints)
        what their own role may not read."""
        choices = [
            choice
            if not choice.allowed or choice.field.group is None or choice.field.group in groups
            else Choice(choice.field, False, gettext("Your role does not see this information."))
            for choice in self.choices
        ]
        return ReferralConsent(self.allowed, choices, self.reasons, self.consent_version)


def referral_consent(case: Case) -> ReferralConsent:
    """Whether CASE may be referred at all, and which fields its consent lets go."""
    consent = current_consent(case)
    if consent is None:
        return ReferralConsent(
            False, reasons=[gettext("No consent is recorded for this case: it cannot be referred.")]
        )
    if consent.withdrawn:
        return ReferralConsent(
            False,
            reasons=[gettext("The service user withdrew their consent: no referral may be sent.")],
            consent_version=consent.version,
        )
    if not consent.allows(Purpose.REFERRALS):
        return ReferralConsent(
            False,
            reasons=[gettext("The current consent does not cover referrals to services.")],
            consent_version=consent.version,
        )
    groups = set(consent.shared_fields or ())
    choices = []
    for shareable in SHAREABLE_FIELDS:
        if shareable.group is None or shareable.group in groups:
            choices.append(Choice(shareable, True))
        else:
            choices.append(
                Choice(
                    shareable,
                    False,
                    gettext("The consent does not cover sharing “%(group)s”.")
                    % {"group": FieldGroup(shareable.group).label},
                )
            )
    return ReferralConsent(True, choices, consent_version=consent.version)
