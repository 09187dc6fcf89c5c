"""Retention runs and erasure requests. Neither holds any personal data: ids, codes and counts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The range a retention period may take (months). Zero ("keep for ever") is deliberately not
# offered: a forgotten setting must not keep people's data without end.
MIN_RETENTION_MONTHS = 1
MAX_RETENTION_MONTHS = 120
DEFAULT_RETENTION_MONTHS = 24


class RetentionEvent(models.TextChoices):
    """Audit event types of this app (ids, codes and counts in their detail, never values)."""

    RETENTION_APPLIED = "retention_applied", _("Retention period applied")
    CASE_ANONYMISED = "case_anonymised", _("Case anonymised")
    PERSON_ANONYMISED = "person_anonymised", _("Service user anonymised")
    RETENTION_CHANGED = "retention_changed", _("Retention period changed")
    SUBJECT_DATA_EXPORTED = "subject_data_exported", _("Service user's own data exported")
    ERASURE_REQUESTED = "erasure_requested", _("Erasure requested")
    ERASURE = "erasure", _("Service user's data erased on request")
    ERASURE_DECLINED = "erasure_declined", _("Erasure request declined")
    ERASURE_CANCELLED = "erasure_cancelled", _("Erasure request cancelled")


class AnonymisationReason(models.TextChoices):
    RETENTION = "retention", _("The retention period ended")
    ERASURE = "erasure", _("The service user asked for erasure")


class RetentionRun(models.Model):
    """What one (non-dry) run of the retention rule did in one agency: counts only."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Empty for the scheduled run.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retention_months = models.PositiveIntegerField(_("retention period (months)"))
    cases_due = models.PositiveIntegerField(_("cases due"), default=0)
    cases_anonymised = models.PositiveIntegerField(_("cases anonymised"), default=0)
    cases_failed = models.PositiveIntegerField(_("cases that failed"), default=0)
    people_anonymised = models.PositiveIntegerField(_("service users anonymised"), default=0)
    people_kept = models.PositiveIntegerField(_("service users kept for another case"), default=0)
    contact_records_erased = models.PositiveIntegerField(_("contact records erased"), default=0)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["agency", "-started_at"], name="retention_run_agency_idx")]

    def __str__(self) -> str:
        return f"retention run {self.pk} of agency {self.agency_id}"


class ErasureReason(models.TextChoices):
    """Why a service user's data is erased before its time. A list, never free text: the
    reason is kept in the audit trail, and free text could say who the person is."""

    SERVICE_USER_REQUEST = "service_user_request", _("The service user asked for erasure")
    CONSENT_WITHDRAWN = (
        "consent_withdrawn",
        _("The service user withdrew consent and asked for erasure"),
    )
    SAFETY = "safety", _("Keeping the data puts the service user at risk")
    REGISTERED_IN_ERROR = "registered_in_error", _("The person was registered in error")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation requires erasure")


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the manager's confirmation")
    CONFIRMED = "confirmed", _("Confirmed: the data was erased")
    DECLINED = "declined", _("Declined by the manager")
    CANCELLED = "cancelled", _("Cancelled by the supervisor")


class ErasureRequest(models.Model):
    """A supervisor's request to erase a service user's data now; a manager confirms it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("service user"), on_delete=models.PROTECT, related_name="+"
    )
    # The case the request was made from (the supervisor's way in; the request covers every
    # case of the person in the agency).
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=ErasureReason.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    cases_anonymised = models.PositiveIntegerField(_("cases anonymised"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="erasure_one_pending_per_person",
            )
        ]
        indexes = [
            models.Index(
                fields=["agency", "requested_at"],
                condition=models.Q(status="pending"),
                name="erasure_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"erasure request {self.public_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ErasureStatus.PENDING
