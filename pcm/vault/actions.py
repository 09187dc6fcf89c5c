"""The two-person emergency purge: one administrator asks, a different one approves within an hour.

Every step is audited (ids and counts only) and every administrator of the deployment is told.
The command `manage.py emergency_purge` does the same at once, for whoever holds the server.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind
from pcm.vault import emergency
from pcm.vault.models import PURGE_APPROVAL_WINDOW, PurgeRequest, PurgeStatus, VaultEvent

MIN_REASON_LENGTH = 10


def administrators() -> list[User]:
    """Every active administrator of this PCM, whatever their agency: the purge affects all."""
    return list(User.objects.filter(role=Role.ADMINISTRATOR, is_active=True))


def _require_administrator(user: User) -> None:
    if not policy.can_administer(user):
        raise ActionRefused(_("Only administrators can do this."))


def expire_stale() -> int:
    """Close the requests nobody approved within the hour; the number closed."""
    with transaction.atomic():
        return PurgeRequest.objects.filter(
            status=PurgeStatus.PENDING, expires_at__lte=timezone.now()
        ).update(status=PurgeStatus.EXPIRED)


def open_request() -> PurgeRequest | None:
    """The request waiting for approval, if any (not expired)."""
    return (
        PurgeRequest.objects.filter(status=PurgeStatus.PENDING, expires_at__gt=timezone.now())
        .select_related("requested_by")
        .first()
    )


def purge_possible() -> bool:
    try:
        emergency.check_possible()
    except emergency.PurgeImpossible:
        return False
    return True


def request_purge(user: User, reason: str) -> PurgeRequest:
    """USER asks for the emergency purge; another administrator must approve it within an hour."""
    _require_administrator(user)
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ActionRefused(_("Say why the purge is needed, in at least 10 characters."))
    if not purge_possible():
        raise ActionRefused(
            _(
                "This PCM reads its keys from the PCM_KEYRING environment variable: the purge "
                "cannot destroy them from here. Ask whoever runs the server."
            )
        )
    expire_stale()
    with transaction.atomic(durable=True):
        if PurgeRequest.objects.filter(status=PurgeStatus.PENDING).exists():
            raise ActionRefused(
                _("A purge request already waits for approval: approve or cancel it first.")
            )
        now = timezone.now()
        purge = PurgeRequest.objects.create(
            reason=reason,
            requested_by=user,
            requested_at=now,
            expires_at=now + PURGE_APPROVAL_WINDOW,
        )
        record_event(
            VaultEvent.PURGE_REQUESTED,
            actor=user,
            target=purge,
            agency=user.agency,
            detail={"request": str(purge.public_id)},
        )
        notify(administrators(), NotificationKind.PURGE_REQUESTED, actor=user)
    return purge


def _locked(purge: PurgeRequest, version: int | None) -> PurgeRequest:
    current = PurgeRequest.objects.select_for_update().get(pk=purge.pk)
    if current.status != PurgeStatus.PENDING:
        raise ActionRefused(
            _("This request is no longer waiting: it is %(status)s.")
            % {"status": current.get_status_display().lower()}
        )
    if version is not None and current.version != version:
        raise ActionRefused(_("Someone else changed this request meanwhile: look at it again."))
    return current


def cancel_purge(user: User, purge: PurgeRequest, version: int | None = None) -> PurgeRequest:
    """Any administrator may stop a request that waits for approval."""
    _require_administrator(user)
    expire_stale()
    with transaction.atomic(durable=True):
        current = _locked(purge, version)
        current.status = PurgeStatus.CANCELLED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.version += 1
        current.save(update_fields=["status", "decided_by", "decided_at", "version"])
        record_event(
            VaultEvent.PURGE_CANCELLED,
            actor=user,
            target=current,
            agency=user.agency,
            detail={"request": str(current.public_id)},
        )
        notify(administrators(), NotificationKind.PURGE_CANCELLED, actor=user)
    return current


def approve_purge(
    user: User, purge: PurgeRequest, version: int | None = None
) -> emergency.PurgeReport:
    """A second administrator approves: the purge runs now. Returns what it did."""
    _require_administrator(user)
    expire_stale()
    with transaction.atomic(durable=True):
        current = _locked(purge, version)
        if current.requested_by_id == user.pk:
            raise ActionRefused(
                _("A different administrator must approve the purge you asked for.")
            )
        if not purge_possible():
            raise ActionRefused(
                _("This PCM reads its keys from PCM_KEYRING: the purge cannot run from here.")
            )
        current.status = PurgeStatus.RUNNING
        current.decided_by = user
        current.decided_at = timezone.now()
        current.version += 1
        current.save(update_fields=["status", "decided_by", "decided_at", "version"])
        record_event(
            VaultEvent.PURGE_APPROVED,
            actor=user,
            target=current,
            agency=user.agency,
            detail={"request": str(current.public_id)},
        )
    try:
        report = emergency.emergency_purge(actor=user)
    except BaseException:
        with transaction.atomic():
            PurgeRequest.objects.filter(pk=current.pk).update(
                status=PurgeStatus.FAILED, finished_at=timezone.now()
            )
        raise
    with transaction.atomic(durable=True):
        current.status = PurgeStatus.DONE
        current.finished_at = timezone.now()
        current.result = report.counts()
        current.save(update_fields=["status", "finished_at", "result"])
        notify(administrators(), NotificationKind.PURGE_DONE, actor=user)
    return report
