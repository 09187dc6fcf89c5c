"""Intake (step 1): the screening against the agency's criteria, safeguards, and the light
contact record kept for people who get information or a referral instead of a case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedTextField

ADULT_AGE = 18


class Eligibility(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible: meets the intake criteria")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


class Safeguard(models.TextChoices):
    """Why PCM should not take the case: it belongs to specialised case management."""

    NONE = "", _("None")
    CHILD = "child", _("A child (under 18): specialised child protection case management")
    GBV = "gbv", _("A GBV survivor: specialised GBV case management")


class ExceptionStatus(models.TextChoices):
    NONE = "", _("No exception")
    PENDING = "pending", _("Exception awaiting the supervisor")
    APPROVED = "approved", _("Exception approved")
    DECLINED = "declined", _("Exception declined")


class IntakeScreening(models.Model):
    """Form 0: risk types, eligibility and the safeguard decision of one case."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="screening")
    risk_types = models.ManyToManyField(
        "cases.RiskType", verbose_name=_("protection risks"), related_name="+"
    )
    eligibility = models.CharField(_("eligibility"), max_length=20, choices=Eligibility.choices)
    eligibility_reason = EncryptedTextField(_("reason for the decision"))
    safeguard = models.CharField(max_length=10, choices=Safeguard.choices, blank=True)
    exception_status = models.CharField(max_length=10, choices=ExceptionStatus.choices, blank=True)
    exception_reason = EncryptedTextField(_("why PCM should take this case"), blank=True)
    exception_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exception_decided_at = models.DateTimeField(null=True, blank=True)
    exception_comment = EncryptedTextField(_("supervisor's comment"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intake screening")

    def __str__(self) -> str:
        return f"screening of case {self.case_id}"

    @property
    def blocks_progress(self) -> bool:
        """A safeguarded case moves on only with an approved exception."""
        return bool(self.safeguard) and self.exception_status != ExceptionStatus.APPROVED


class ContactKind(models.TextChoices):
    INFORMATION = "information", _("Information given (not eligible)")
    REFERRAL = "referral", _("Referred to another service (not eligible)")
    CHILD_PROTECTION = "child_protection", _("Referred to child protection case management")
    GBV = "gbv", _("Referred to GBV case management")


class AgeGroup(models.TextChoices):
    CHILD = "0-17", _("0 to 17")
    YOUTH = "18-24", _("18 to 24")
    ADULT = "25-59", _("25 to 59")
    OLDER = "60+", _("60 and over")


def age_group(age: int) -> AgeGroup:
    if age < ADULT_AGE:
        return AgeGroup.CHILD
    if age < 25:  # the standard humanitarian age bands
        return AgeGroup.YOUTH
    if age < 60:
        return AgeGroup.ADULT
    return AgeGroup.OLDER


class ContactRecord(models.Model):
    """Someone who got information or a referral instead of a case: no name, minimal data."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what was done"), max_length=30, choices=ContactKind.choices)
    sex = models.CharField(_("sex"), max_length=16)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices)
    location = models.ForeignKey(
        "locations.Location", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    risk_types = models.ManyToManyField("cases.RiskType", blank=True, related_name="+")
    given = EncryptedTextField(_("information or referral given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.recorded_at:%Y-%m-%d})"
