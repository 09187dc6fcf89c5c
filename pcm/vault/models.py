"""The vault's records: progress of key rotations, and two-person emergency purge requests."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long an administrator's purge request waits for a second administrator's approval.
PURGE_APPROVAL_WINDOW = timedelta(hours=1)


class VaultEvent(models.TextChoices):
    """Audit events of the vault (pcm.audit.models.AuditEvent.event_type)."""

    DATA_KEYS_ROTATED = "data_keys_rotated", _("Data keys rotated")
    INDEX_KEY_ROTATED = "index_key_rotated", _("Search index key rotated")
    PURGE_REQUESTED = "purge_requested", _("Emergency purge requested")
    PURGE_CANCELLED = "purge_cancelled", _("Emergency purge request cancelled")
    PURGE_APPROVED = "purge_approved", _("Emergency purge approved")
    EMERGENCY_PURGE = "emergency_purge", _("Emergency purge: identifying data destroyed")


class RotationKind(models.TextChoices):
    DATA = "data", _("Data keys")
    INDEX = "index", _("Search index key")


class KeyRotation(models.Model):
    """One run of `manage.py rotate_keys`, kept until it completes so that it can resume."""

    kind = models.CharField(max_length=10, choices=RotationKind.choices)
    # The new data key's id, or a fingerprint of the new index key (never a key itself).
    target = models.CharField(max_length=64)
    # The keyring generation it belongs to: an emergency purge makes an unfinished one stale.
    generation = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Data key ids removed from the keyring at the end (empty with --keep-old-keys).
    retired_keys = models.JSONField(default=list, blank=True)
    abandoned = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(finished_at__isnull=True),
                name="vault_one_unfinished_rotation_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} rotation to {self.target}"


class RotationProgress(models.Model):
    """How far a rotation went through one table: committed with each batch."""

    rotation = models.ForeignKey(KeyRotation, on_delete=models.CASCADE, related_name="tables")
    table = models.CharField(max_length=100)  # the model label, e.g. "people.Person"
    # The primary key of the last row done (as text: some tables have UUID keys); "" for none.
    last_pk = models.CharField(max_length=64, blank=True, default="")
    finished = models.BooleanField(default=False)
    rows = models.BigIntegerField(default=0)
    rewritten = models.BigIntegerField(default=0)  # values re-encrypted with the new key
    plaintext = models.BigIntegerField(default=0)  # values written before encryption, now sealed
    unreadable = models.BigIntegerField(default=0)  # values no key opens: left as they are
    seconds = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rotation", "table"], name="vault_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.table} up to {self.last_pk}"


class PurgeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second administrator")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired without approval")
    RUNNING = "running", _("Approved; the purge is running")
    DONE = "done", _("Done: identifying data destroyed")
    FAILED = "failed", _("Approved, but the purge did not complete")


class PurgeRequest(models.Model):
    """An administrator asks for the emergency purge; a different administrator approves it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=16, choices=PurgeStatus.choices, default=PurgeStatus.PENDING
    )
    reason = models.TextField(_("reason"), max_length=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the purge did: counts only.
    result = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="pending"),
                name="vault_one_pending_purge_request",
            )
        ]

    def __str__(self) -> str:
        return f"purge request {self.public_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == PurgeStatus.PENDING and timezone.now() < self.expires_at
