"""Audit entries for sign-in events that Django raises outside our views."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType


@receiver(user_logged_in)
def _record_sign_in(sender: object, user: User, **kwargs: Any) -> None:
    record_event(AuditEventType.SIGN_IN, actor=user, target=user, agency=user.agency)


@receiver(user_login_failed)
def _record_sign_in_failure(sender: object, **kwargs: Any) -> None:
    # The typed username is not kept: people sometimes type their password in that field. When
    # it names an account, the entry points at that account so its agency's trail shows it.
    username = str((kwargs.get("credentials") or {}).get("username") or "")
    account = User.objects.filter(username=username).select_related("agency").first()
    if account is None:
        record_event(AuditEventType.SIGN_IN_FAILED, actor=None)
    else:
        record_event(
            AuditEventType.SIGN_IN_FAILED, actor=None, target=account, agency=account.agency
        )
