"""Records of steps 4 and 5: contacts, direct support, case conferences, follow-ups.

Case notes and support records are append-only: a mistake is put right by a new record that
names the one it corrects (`corrects`), so the history stays readable and auditable. Follow-ups
change once, when they are done, and carry a version for two people recording the same one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.cases.models import CaseStatus

# Conference actions land in the case plan, so they speak its words for who does them.
from pcm.plans.models import ActionOwner
from pcm.vault.fields import EncryptedCharField, EncryptedTextField


class CaseworkEvent(models.TextChoices):
    """Audit event types of this app (ids and codes in their detail, never text)."""

    NOTE_WRITTEN = "casework_note_written", _("Case note written")
    NOTE_CORRECTED = "casework_note_corrected", _("Case note corrected")
    SUPPORT_RECORDED = "casework_support_recorded", _("Direct support recorded")
    SUPPORT_CORRECTED = "casework_support_corrected", _("Direct support corrected")
    CONFERENCE_RECORDED = "casework_conference_recorded", _("Case conference recorded")
    FOLLOW_UP_SCHEDULED = "casework_follow_up_scheduled", _("Follow-up scheduled")
    FOLLOW_UP_RECORDED = "casework_follow_up_recorded", _("Follow-up recorded")
    TIMELINE_VIEWED = "casework_timeline_viewed", _("Case-work timeline viewed")


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE_VISIT = "office_visit", _("Office visit")
    OTHER = "other", _("Other")


class SupportType(models.TextChoices):
    CASH = "cash", _("Cash assistance")
    IN_KIND = "in_kind", _("In-kind")
    TRANSPORT = "transport", _("Transport")
    ACCOMMODATION = "accommodation", _("Accommodation")
    MEDICAL_FEES = "medical_fees", _("Medical fees")
    LEGAL_FEES = "legal_fees", _("Legal fees")
    OTHER = "other", _("Other")


class CaseNote(models.Model):
    """One contact with or about the service user, as the caseworker wrote it down."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="notes"
    )
    contact_at = models.DateTimeField(_("date and time of the contact"))
    mode = models.CharField(_("mode"), max_length=20, choices=ContactMode.choices)
    place = EncryptedCharField(_("place"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    narrative = EncryptedTextField(_("narrative"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    # One correction per note: a second one must correct the correction (latest wins).
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    correction_reason = EncryptedCharField(
        _("reason for the correction"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-contact_at", "-id"]
        indexes = [models.Index(fields=["case", "-contact_at"], name="casenote_case_contact_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.contact_at:%Y-%m-%d %H:%M}"


class DirectSupport(models.Model):
    """Support given to the service user directly: cash, goods, fees paid, transport."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="support"
    )
    given_on = models.DateField(_("date given"))
    support_type = models.CharField(
        _("type of support"), max_length=20, choices=SupportType.choices
    )
    # Empty for support that was not valued (e.g. goods from stock); required for cash.
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    purpose = EncryptedCharField(_("purpose"), max_length=300)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    correction_reason = EncryptedCharField(
        _("reason for the correction"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("direct support")
        verbose_name_plural = _("direct support")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["case", "-given_on"], name="support_case_given_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="support_amount_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(support_type="cash") | models.Q(amount__isnull=False),
                name="support_cash_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.support_type} {self.given_on}"


class CaseConference(models.Model):
    """A meeting about the case with other staff or agencies, and what it decided."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="conferences"
    )
    held_on = models.DateField(_("date held"))
    participants = EncryptedTextField(_("participants"))
    agencies = models.ManyToManyField(
        "accounts.Agency", verbose_name=_("agencies"), blank=True, related_name="+"
    )
    other_agencies = EncryptedCharField(_("other agencies"), max_length=300, blank=True)
    discussion = EncryptedTextField(_("discussion"), blank=True)
    decisions = EncryptedTextField(_("decisions"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["case", "-held_on"], name="conference_case_held_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.held_on}"


class ConferenceAction(models.Model):
    """A follow-up action a conference agreed; it is also added to the case plan."""

    conference = models.ForeignKey(
        CaseConference,
        verbose_name=_("case conference"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = EncryptedCharField(_("action"), max_length=300)
    owner = models.CharField(_("who does it"), max_length=20, choices=ActionOwner.choices)
    due_on = models.DateField(_("due date"))
    # The action in the case plan (plans.PlanAction.key: the same action across plan versions).
    plan_action_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("conference action")
        verbose_name_plural = _("conference actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.conference_id}: {self.due_on}"


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def scheduled(self) -> FollowUpQuerySet:
        return self.filter(done_at__isnull=True)


class FollowUp(models.Model):
    """A follow-up with the service user: scheduled for a day, then recorded with its outcome."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_on = models.DateField(_("due date"))
    purpose = EncryptedCharField(_("purpose"), max_length=300)
    mode = models.CharField(_("mode"), max_length=20, choices=ContactMode.choices)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheduled_at = models.DateTimeField(_("scheduled at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Set when recording this follow-up scheduled the next one.
    next_follow_up = models.OneToOneField(
        "self",
        verbose_name=_("next follow-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="previous_follow_up",
    )
    # Incremented by every change; a save that started from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        indexes = [
            # The queue's question: which follow-ups of these cases are still to do, by when.
            models.Index(
                fields=["case", "due_on"],
                name="followup_scheduled_idx",
                condition=models.Q(done_at__isnull=True),
            ),
            models.Index(fields=["case", "-done_at"], name="followup_case_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.due_on}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        """Derived, never stored: not done and its day has passed (in the active time zone)."""
        return self.done_at is None and self.due_on < timezone.localdate()


class StepChange(models.Model):
    """Why a case moved between implementation and follow-up, in the words of who moved it."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    to_status = models.CharField(_("moved to"), max_length=20, choices=CaseStatus.choices)
    reason = EncryptedTextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("moved at"), default=timezone.now)

    class Meta:
        verbose_name = _("step change")
        verbose_name_plural = _("step changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["case", "-changed_at"], name="stepchange_case_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_status}"
