"""Sending notifications: in the app always, by e-mail for those who asked for it.

Notifications say what needs doing and link to the case by its opaque address; they never
carry the service user's name or anything else that identifies them.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pcm.notifications.models import Notification, NotificationKind

if TYPE_CHECKING:
    from pcm.accounts.models import User
    from pcm.cases.models import Case


def notify(
    recipients: Iterable[User | None],
    kind: NotificationKind,
    *,
    case: Case | None = None,
    actor: User | None = None,
    dedupe_key: str = "",
    link: str = "",
) -> list[Notification]:
    """Tell each recipient (other than the actor) that something needs them."""
    created = []
    for recipient in {user for user in recipients if user is not None and user != actor}:
        if not recipient.is_active:
            continue
        if (
            dedupe_key
            and Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists()
        ):
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    case=case,
                    actor=actor,
                    dedupe_key=dedupe_key,
                    link=link,
                )
        except IntegrityError:  # raised twice at once: once is enough
            continue
        created.append(notification)
        if recipient.email_notifications and recipient.email:
            transaction.on_commit(partial(_send_email, notification))
    return created


def _send_email(notification: Notification) -> None:
    recipient = notification.recipient
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        label = NotificationKind(notification.kind).label
        link = f"{settings.PCM_BASE_URL}{reverse('notifications:list')}"
        send_mail(
            subject=_("PCM: %(what)s") % {"what": label},
            message=_(
                "%(what)s.\n\nOpen PCM to see it: %(link)s\n\n"
                "For the safety of the people we support, this message says nothing more."
            )
            % {"what": label, "link": link},
            from_email=None,
            recipient_list=[recipient.email],
            fail_silently=True,
        )


def mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
