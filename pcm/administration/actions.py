"""Writes made by administrators: records of the organisation, and help for locked-out users."""

from __future__ import annotations

from typing import TYPE_CHECKING

from axes.utils import reset as axes_reset
from django.db import transaction
from django.db.models import Model

from pcm.access import policy
from pcm.accounts import twofactor
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.core.errors import ActionRefused

if TYPE_CHECKING:
    from django.forms import ModelForm

    from pcm.accounts.models import User


def _require_administrator(user: User) -> None:
    from django.utils.translation import gettext as _

    if not policy.can_administer(user):
        raise ActionRefused(_("Only administrators can do this."))


def do_save_record(form: ModelForm[Model], *, acting_user: User) -> Model:
    """Create or change an agency, location, office, team or user from a valid form."""
    _require_administrator(acting_user)
    creating = form.instance.pk is None
    changed = [name for name in form.changed_data if name != "password"]
    with transaction.atomic(durable=True):
        record = form.save()
        record_event(
            AuditEventType.RECORD_CREATED if creating else AuditEventType.RECORD_CHANGED,
            actor=acting_user,
            target=record,
            fields=changed + (["password"] if "password" in form.changed_data else []),
        )
    return record


def do_reset_second_factor(user: User, *, acting_user: User) -> None:
    """A user lost their phone: remove their authenticator so they enrol again."""
    _require_administrator(acting_user)
    twofactor.reset_second_factor(user, acting_user=acting_user)


def do_unlock_user(user: User, *, acting_user: User) -> None:
    """Lift a sign-in lock-out before it expires by itself."""
    _require_administrator(acting_user)
    with transaction.atomic(durable=True):
        axes_reset(username=user.get_username())
        record_event(AuditEventType.USER_UNLOCKED, actor=acting_user, target=user)
