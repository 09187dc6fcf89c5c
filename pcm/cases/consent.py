"""Informed consent or assent, versioned: every revision or withdrawal is a new record.

The current consent of a case is its latest record. Sharing paths ask this module, never the
records directly: `consent_allows(case, Purpose.REFERRALS)`, `may_share_with(case, agency)`,
and `sharing_decision(case, agency)`, which also says which groups of information
(pcm.access.fields) may go, and why nothing may.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pcm.access.fields import ALL_GROUPS, FieldGroup
from pcm.vault.fields import EncryptedCharField, EncryptedTextField

if TYPE_CHECKING:
    from pcm.accounts.models import Agency
    from pcm.cases.models import Case


class GivenBy(models.TextChoices):
    SERVICE_USER = "service_user", _("The service user")
    CAREGIVER = "caregiver", _("A caregiver (assent of the service user)")
    LEGAL_REPRESENTATIVE = (
        "legal_representative",
        _("A legal representative (assent of the service user)"),
    )


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbal")
    WRITTEN = "written", _("Written (signed form)")


class Purpose(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management")
    REFERRALS = "referrals", _("Referrals to services")
    DATA_SHARING = "data_sharing", _("Sharing information with named agencies")


class ContactMethod(models.TextChoices):
    PHONE_CALL = "phone_call", _("Phone calls")
    SMS = "sms", _("Text messages")
    MESSAGING_APP = "messaging_app", _("Messaging apps")
    HOME_VISIT = "home_visit", _("Home visits")
    OFFICE = "office", _("Meetings at the office")


class Consent(models.Model):
    """One version of a case's consent (or its withdrawal)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    version = models.PositiveIntegerField()
    withdrawn = models.BooleanField(_("consent withdrawn"), default=False)
    given_by = models.CharField(_("given by"), max_length=30, choices=GivenBy.choices)
    given_by_name = EncryptedCharField(
        _("name of the caregiver or representative"), max_length=200, blank=True
    )
    assent_reason = EncryptedTextField(
        _("why assent instead of consent"),
        blank=True,
        help_text=_("Required when a caregiver or legal representative gives consent."),
    )
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    given_at = models.DateTimeField(_("when"), default=timezone.now)
    case_management = models.BooleanField(_("case management"), default=False)
    referrals = models.BooleanField(_("referrals to services"), default=False)
    data_sharing = models.BooleanField(_("sharing information with named agencies"), default=False)
    share_with = models.ManyToManyField(
        "accounts.Agency",
        verbose_name=_("agencies information may be shared with"),
        blank=True,
        related_name="+",
    )
    share_with_others = models.CharField(
        _("other organisations (not on PCM)"), max_length=500, blank=True
    )
    # The groups of information (pcm.access.fields) that may be shared with other agencies.
    shared_fields = models.JSONField(_("information that may be shared"), default=list, blank=True)
    safe_contact_methods = models.JSONField(_("safe ways to make contact"), default=list)
    contact_restrictions = EncryptedTextField(
        _("contact restrictions"),
        blank=True,
        help_text=_("e.g. “no calls after 6 pm”, “do not leave messages”."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="consent_version_unique")
        ]

    def __str__(self) -> str:
        return f"consent v{self.version} of case {self.case_id}"

    def allows(self, purpose: Purpose) -> bool:
        return not self.withdrawn and bool(getattr(self, purpose.value))

    def shared_field_labels(self) -> list[str]:
        """The groups of information the consent lets go to the named agencies, by label."""
        return [str(label) for value, label in FieldGroup.choices if value in self.shared_fields]


def current_consent(case: Case) -> Consent | None:
    """The latest version of CASE's consent, or None if none was ever recorded."""
    return Consent.objects.filter(case=case).order_by("-version").first()


def consent_allows(case: Case, purpose: Purpose) -> bool:
    consent = current_consent(case)
    return consent is not None and consent.allows(purpose)


def may_share_with(case: Case, agency: Agency) -> bool:
    """Whether the current consent lets information about CASE go to AGENCY."""
    consent = current_consent(case)
    return (
        consent is not None
        and consent.allows(Purpose.DATA_SHARING)
        and consent.share_with.filter(pk=agency.pk).exists()
    )


# What the consent form proposes to share when nothing was recorded before: who the person is,
# how to reach them and the risk they face; documents and free text only when asked for.
DEFAULT_SHARED_FIELDS = (FieldGroup.IDENTITY, FieldGroup.CONTACT, FieldGroup.RISK)


@dataclass(frozen=True)
class SharingDecision:
    """Whether information about a case may go to an agency, which groups, and why not."""

    allowed: bool
    groups: frozenset[str]
    reasons: list[str] = field(default_factory=list)
    consent_version: int | None = None

    @property
    def shared(self) -> list[FieldGroup]:
        """The groups that go, in the order of FieldGroup."""
        return [FieldGroup(group) for group in FieldGroup.values if group in self.groups]

    @property
    def withheld(self) -> list[FieldGroup]:
        """The groups that stay: the consent does not cover them."""
        return [FieldGroup(group) for group in FieldGroup.values if group not in self.groups]


def sharing_decision(case: Case, recipient: Agency) -> SharingDecision:
    """What the current consent of CASE lets go to RECIPIENT (an agency)."""
    consent = current_consent(case)
    if consent is None:
        return SharingDecision(
            False,
            frozenset(),
            [gettext("No consent is recorded for this case: nothing may be shared.")],
        )
    refused = None
    if consent.withdrawn:
        refused = gettext(
            "The service user withdrew their consent on %(date)s: nothing more may be shared."
        ) % {"date": date_format(timezone.localtime(consent.given_at), "SHORT_DATE_FORMAT")}
    elif not consent.data_sharing:
        refused = gettext(
            "The current consent does not cover sharing information with other agencies."
        )
    elif not consent.share_with.filter(pk=recipient.pk).exists():
        refused = gettext(
            "The current consent does not name %(agency)s among the agencies information may go to."
        ) % {"agency": recipient.name}
    if refused is not None:
        return SharingDecision(False, frozenset(), [refused], consent.version)
    groups = frozenset(group for group in consent.shared_fields or () if group in ALL_GROUPS)
    return SharingDecision(True, groups, [], consent.version)
