"""Audit events: who did what to which record, and when — never the values of personal data.

The trail is an append-only hash chain, so that an edited, deleted or reordered entry shows:

- every entry has a `sequence` number, 1, 2, 3… with no gap, in the order entries were written
  (ids grow with it);
- its `previous_hash` is the `hash` of the entry before it ("" for entry 1);
- its `hash` is HMAC-SHA256 with the keyring's audit key (pcm.vault.keys, kept outside the
  database) over `previous_hash + "|" + canonical JSON` of the entry — the JSON object of
  sequence, at (UTC ISO 8601 with microseconds), actor, actor_role, event_type, agency,
  target_type, target_id, case, person (ids or null), fields and detail, keys sorted, no
  spaces, UTF-8 (`chain.canonical`);
- one `AuditChainHead` row holds the last sequence and hash, sealed with an HMAC of both.
  `record_event` updates it first, so concurrent writers queue on it (SQLite's write lock,
  PostgreSQL's row lock) and each entry is chained inside the writer's own transaction.

The ORM refuses to change or delete an entry (`AuditEvent.save` on an existing row, queryset
`update`/`delete`); only raw SQL can, and `manage.py verify_audit` then names the first entry
that breaks the chain. Deleting the newest entries shows against the head; rewriting the head
too needs the key for its seal, or an old copy of the head row (from a backup) — against that,
compare with a head hash kept elsewhere: verify_audit prints it for that purpose.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventType(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", _("Signed out everywhere")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Enrolled two-factor authentication")
    TWO_FACTOR_VERIFIED = "two_factor_verified", _("Verified second factor")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Second factor failed")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor authentication reset")
    BACKUP_CODES_REGENERATED = "backup_codes_regenerated", _("Backup codes regenerated")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PERSON_REGISTERED = "person_registered", _("Service user registered")
    CASE_OPENED = "case_opened", _("Case opened")
    CASE_VIEWED = "case_viewed", _("Case viewed")
    CASE_REASSIGNED = "case_reassigned", _("Case reassigned")
    CASE_STEP_CHANGED = "case_step_changed", _("Case moved to another step")
    CASE_RISK_CHANGED = "case_risk_changed", _("Case risk level changed")
    RECORD_CREATED = "record_created", _("Record created")
    RECORD_CHANGED = "record_changed", _("Record changed")
    RECORD_DELETED = "record_deleted", _("Record deleted")
    # A page showing a case's or a service user's data other than the case page itself.
    RECORD_VIEWED = "record_viewed", _("Record viewed")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded or revised")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    USER_UNLOCKED = "user_unlocked", _("Account unlocked")
    AUDIT_TRAIL_VIEWED = "audit_trail_viewed", _("Audit trail viewed")
    ACCESS_HISTORY_VIEWED = "access_history_viewed", _("Data access history viewed")
    ACCESS_HISTORY_EXPORTED = "access_history_exported", _("Data access history downloaded")
    ATTACHMENT_UPLOADED = "attachment_uploaded", _("Attachment uploaded")
    ATTACHMENT_DOWNLOADED = "attachment_downloaded", _("Attachment downloaded")
    ATTACHMENT_DELETED = "attachment_deleted", _("Attachment deleted")


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit entry through the ORM."""

    def __init__(self) -> None:
        super().__init__("The audit trail is append-only: entries are never changed or deleted.")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reads only: every bulk write is refused (entries are added by record_event)."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def delete(self) -> NoReturn:
        raise AppendOnlyError

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def in_agency(self, agency_id: int) -> AuditEventQuerySet:
        return self.filter(agency_id=agency_id)


class AuditEvent(models.Model):
    """One thing that happened. Names the record and the fields touched, not their contents."""

    sequence = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # audit_actor_seq_idx
    )
    # The actor's role when it happened (it may change later).
    actor_role = models.CharField(max_length=32, blank=True)
    # Core events are AuditEventType; each app may define its own TextChoices of events.
    event_type = models.CharField(max_length=60)
    agency = models.ForeignKey(
        "accounts.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # audit_agency_seq_idx
    )
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # The case and the service user the entry is about, when it is about one (the target
    # itself, the case of the target, or detail["case"]): what a case's access history and a
    # data subject request look up. No database constraint: the trail outlives its records.
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # an index with the sequence below
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # an index with the sequence below
        related_name="+",
    )
    fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # The trail pages: an agency's entries, newest first, whole or by case, service
            # user or actor (the agency first, so no plan prefers scanning the whole agency).
            models.Index(fields=["agency", "-sequence"], name="audit_agency_seq_idx"),
            models.Index(fields=["agency", "case", "-sequence"], name="audit_case_seq_idx"),
            models.Index(fields=["agency", "person", "-sequence"], name="audit_person_seq_idx"),
            models.Index(fields=["agency", "actor", "-sequence"], name="audit_actor_seq_idx"),
            models.Index(fields=["agency", "event_type", "-sequence"], name="audit_type_seq_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.at:%Y-%m-%d %H:%M} {self.event_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only record_event adds entries (it sets _chained after computing the hash).
        if not self._state.adding or not getattr(self, "_chained", False):
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError


class AuditChainHead(models.Model):
    """The single row holding the last entry's sequence and hash; its lock orders writers."""

    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
    # HMAC of sequence and hash: a head cannot be rewritten to match a truncated chain.
    seal = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.sequence} {self.hash[:12]}"
