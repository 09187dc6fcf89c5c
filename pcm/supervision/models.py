"""Case file checks (a supervisor's checklist per case) and supervision sessions with staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedCharField, EncryptedTextField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CheckAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# The checklist, in the order the supervisor goes through the file: field name and question.
CHECK_ITEMS: tuple[tuple[str, StrOrPromise], ...] = (
    ("consent_present", _("Consent present")),
    ("assessment_done", _("Assessment done")),
    ("plan_agreed", _("Plan agreed with the service user")),
    ("notes_up_to_date", _("Case notes up to date")),
    ("deadlines_met", _("Deadlines met")),
)


def _answer(label: StrOrPromise) -> models.CharField:  # type: ignore[type-arg]
    return models.CharField(label, max_length=20, choices=CheckAnswer.choices)


class CaseFileCheck(models.Model):
    """One check of a case file. Never changed: a later check is a new record (version + 1)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="file_checks"
    )
    version = models.PositiveIntegerField()
    consent_present = _answer(_("consent present"))
    assessment_done = _answer(_("assessment done"))
    plan_agreed = _answer(_("plan agreed with the service user"))
    notes_up_to_date = _answer(_("case notes up to date"))
    deadlines_met = _answer(_("deadlines met"))
    comment = EncryptedTextField(_("comment"), blank=True)
    action_needed = EncryptedTextField(_("action needed from the caseworker"), blank=True)
    action_due_on = models.DateField(_("action needed by"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    # The one change a check sees after it is recorded: its action is reported done.
    action_done_at = models.DateTimeField(_("action done at"), null=True, blank=True)
    action_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("action done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case file check")
        verbose_name_plural = _("case file checks")
        ordering = ["case_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="file_check_version_unique")
        ]
        indexes = [
            # The queue reads the actions still to do, by due date, for a set of cases.
            models.Index(
                fields=["case", "action_due_on"],
                name="file_check_action_open_idx",
                condition=models.Q(action_done_at__isnull=True) & ~models.Q(action_needed=""),
            ),
        ]

    def __str__(self) -> str:
        return f"file check v{self.version} of case {self.case_id}"

    @property
    def action_pending(self) -> bool:
        return bool(self.action_needed) and self.action_done_at is None

    def answers(self) -> list[tuple[str, str, str]]:
        """(question, answer value, answer label) for each checklist item, in order."""
        return [
            (str(label), getattr(self, name), str(CheckAnswer(getattr(self, name)).label))
            for name, label in CHECK_ITEMS
        ]


class SessionType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class SupervisionSession(models.Model):
    """A supervision session with one caseworker: about the staff member, never the people.

    Cases are referred to by number only; notes hold nothing that identifies a service user.
    """

    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        related_name="supervision_sessions",
    )
    held_on = models.DateField(_("date of the session"))
    session_type = models.CharField(
        _("type of session"), max_length=20, choices=SessionType.choices
    )
    cases_discussed = models.ManyToManyField(
        "cases.Case", verbose_name=_("cases discussed"), blank=True, related_name="+"
    )
    wellbeing_note = EncryptedTextField(_("well-being and self-care"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["caseworker", "-held_on"], name="session_caseworker_idx"),
            models.Index(fields=["team", "-held_on"], name="session_team_idx"),
        ]

    def __str__(self) -> str:
        return f"supervision of {self.caseworker_id} on {self.held_on}"


class AgreedAction(models.Model):
    """Something agreed in a supervision session, for the caseworker (or both) to do by a date."""

    session = models.ForeignKey(
        SupervisionSession,
        verbose_name=_("supervision session"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    description = EncryptedCharField(_("agreed action"), max_length=300)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["session_id", "id"]

    def __str__(self) -> str:
        return f"action {self.pk} of session {self.session_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class SupervisionEvent(models.TextChoices):
    """Audit event types of supervision (pcm.audit records them beside the core types)."""

    CASE_FILE_CHECKED = "case_file_checked", _("Case file checked")
    FILE_CHECKS_VIEWED = "case_file_checks_viewed", _("Case file checks viewed")
    FILE_CHECK_ACTION_DONE = "file_check_action_done", _("Action from a case file check done")
    SESSION_RECORDED = "supervision_session_recorded", _("Supervision session recorded")
    AGREED_ACTION_DONE = "agreed_action_done", _("Action agreed in supervision done")
