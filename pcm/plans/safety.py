"""Safety plans: what the service user does when in danger, and whom they call. One per case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedCharField, EncryptedTextField


class SafetyPlan(models.Model):
    """The service user's own plan for staying safe, printable on one page for them to keep."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="safety_plan"
    )
    warning_signs = EncryptedTextField(
        _("warning signs"),
        blank=True,
        help_text=_("What tells the service user that danger is coming."),
    )
    safe_places = EncryptedTextField(
        _("safe places"), blank=True, help_text=_("Where they can go to be safe.")
    )
    safe_people = EncryptedTextField(
        _("safe people"), blank=True, help_text=_("Whom they trust and can turn to.")
    )
    emergency_steps = EncryptedTextField(
        _("what to do in an emergency"),
        blank=True,
        help_text=_("The steps to take, in order, when they are in danger."),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last saved at"), default=timezone.now)
    # Incremented by every save; a save from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"safety plan of case {self.case_id}"


class EmergencyContact(models.Model):
    """Someone to call in an emergency (a person or a service), in the order to call them."""

    safety_plan = models.ForeignKey(
        SafetyPlan, on_delete=models.CASCADE, related_name="emergency_contacts"
    )
    position = models.PositiveSmallIntegerField(default=0)
    name = EncryptedCharField(_("name"), max_length=200)
    relationship = EncryptedCharField(_("relationship or service"), max_length=200, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40)

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")
        ordering = ["safety_plan", "position", "id"]

    def __str__(self) -> str:
        return f"contact {self.position} of {self.safety_plan_id}"
