"""MEAL's own settings per agency, and the audit event types of MEAL."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_THRESHOLD = 5
MIN_THRESHOLD = 3
MAX_THRESHOLD = 50


class MealEvent(models.TextChoices):
    """Audit event types of MEAL (codes and ids only, never personal data)."""

    SETTINGS_CHANGED = "meal_settings_changed", _("MEAL settings changed")
    EXPORT_REQUESTED = "meal_export_requested", _("MEAL table export requested")
    EXPORTED = "meal_exported", _("MEAL table exported")


class MealSettings(models.Model):
    """How an agency's statistics protect people: the small-cell threshold."""

    agency = models.OneToOneField(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="meal_settings",
    )
    small_cell_threshold = models.PositiveSmallIntegerField(
        _("smallest count shown"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(MIN_THRESHOLD), MaxValueValidator(MAX_THRESHOLD)],
        help_text=_(
            "Counts below this number are shown as “<N”, with any count they could be worked "
            "out from, so that nobody can be recognised in the statistics."
        ),
    )
    # Incremented by every change; a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("MEAL settings")
        verbose_name_plural = _("MEAL settings")

    def __str__(self) -> str:
        return f"MEAL settings of agency {self.agency_id}"


def threshold_of(agency_id: int) -> int:
    """AGENCY's small-cell threshold (the default when it has set none)."""
    value = (
        MealSettings.objects.filter(agency_id=agency_id)
        .values_list("small_cell_threshold", flat=True)
        .first()
    )
    return int(value) if value is not None else DEFAULT_THRESHOLD


class MealSnapshot(models.Model):
    """One computed MEAL table (counts only, never a person), kept for a few minutes so that
    dashboards open fast on a large caseload; the worker computes the default ones ahead.

    KEY is a digest of what the table is (scope, indicator, table, period, filters, threshold);
    PAYLOAD holds its counts by group and which of them are hidden.
    """

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=64)
    computed_at = models.DateTimeField(_("computed at"))
    payload = models.JSONField()

    class Meta:
        verbose_name = _("MEAL table snapshot")
        verbose_name_plural = _("MEAL table snapshots")
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="meal_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"MEAL snapshot {self.key[:8]} of agency {self.agency_id}"
