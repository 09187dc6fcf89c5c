"""Writes a user makes to their own account: each in one transaction with its audit entry."""

from __future__ import annotations

from django.db import transaction

from pcm.accounts import twofactor
from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType


def do_set_email_notifications(user: User, *, enabled: bool) -> None:
    """Switch the e-mails that announce notifications (a link only) on or off."""
    with transaction.atomic(durable=True):
        user.email_notifications = enabled
        user.save(update_fields=["email_notifications"])
        record_event(
            AuditEventType.RECORD_CHANGED, actor=user, target=user, fields=["email_notifications"]
        )


def do_set_preferred_language(user: User, code: str) -> None:
    """Remember the interface language for the user, on every device."""
    if user.preferred_language == code:
        return
    with transaction.atomic(durable=True):
        user.preferred_language = code
        user.save(update_fields=["preferred_language"])
        record_event(
            AuditEventType.RECORD_CHANGED, actor=user, target=user, fields=["preferred_language"]
        )


def do_sign_out_everywhere(user: User) -> None:
    """End every session of USER at once: the session hash includes a token replaced here."""
    with transaction.atomic(durable=True):
        user.rotate_session_token()
        user.save(update_fields=["session_token"])
        record_event(AuditEventType.SIGN_OUT_EVERYWHERE, actor=user, target=user)


def do_regenerate_backup_codes(user: User) -> list[str]:
    """New one-time backup codes (the old ones stop working); returned to be shown once."""
    with transaction.atomic(durable=True):
        codes = twofactor.regenerate_backup_codes(user)
        record_event(AuditEventType.BACKUP_CODES_REGENERATED, actor=user, target=user)
    return codes
