"""Break-glass: emergency, time-limited, audited access to a case outside the user's view.

A manager or an administrator who needs a case of their own agency (a safety emergency, a legal
request while its caseworker is away) enters its exact number and a reason, after confirming
their identity. The grant lets them read the case, never write to it, until it expires (two hours
by default, `settings.PCM_BREAK_GLASS_MINUTES`) or is revoked. The case's team supervisor and the
agency's managers and administrators are notified, and every view under it is audited.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.access.events import AccessEvent
from pcm.access.models import BreakGlassGrant
from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind

MIN_REASON_LENGTH = 20
MAX_REASON_LENGTH = 2000


def normalise_case_number(number: str) -> str:
    """Case numbers are written in capitals; spaces around a pasted number are ignored."""
    return number.strip().upper()


def grant_duration() -> timedelta:
    return timedelta(minutes=int(settings.PCM_BREAK_GLASS_MINUTES))


def _no_such_case() -> ActionRefused:
    # The same answer whether the number does not exist or belongs to another agency.
    return ActionRefused(_("No case with this number in your agency."))


def do_request_break_glass(number: str, reason: str, *, acting_user: User) -> BreakGlassGrant:
    """Give ACTING_USER emergency read access to the case numbered NUMBER, for REASON.

    Refused (and audited) for a number that does not exist or is another agency's, with the same
    message in both cases."""
    if not policy.can_request_break_glass(acting_user):
        raise ActionRefused(_("Only a manager or an administrator can ask for emergency access."))
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ActionRefused(
            _("Write the reason in at least %(count)d characters: it is kept and reviewed.")
            % {"count": MIN_REASON_LENGTH}
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise ActionRefused(
            _("Keep the reason under %(count)d characters.") % {"count": MAX_REASON_LENGTH}
        )
    number = normalise_case_number(number)
    case = Case.objects.select_related("team", "agency").filter(number=number).first()
    if case is None or case.agency_id != acting_user.agency_id:
        # Audited without the typed number: the target names the case when there is one.
        record_event(
            AccessEvent.BREAK_GLASS_REFUSED,
            actor=acting_user,
            target=case,
            agency=acting_user.agency,
            detail={"outcome": "not_found" if case is None else "other_agency"},
        )
        raise _no_such_case()
    existing = policy.live_break_glass_grant(acting_user, case)
    if existing is not None:
        raise ActionRefused(
            _("You already have emergency access to case %(number)s until %(time)s.")
            % {
                "number": case.number,
                "time": timezone.localtime(existing.expires_at).strftime("%H:%M"),
            }
        )
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=acting_user,
            case=case,
            reason=reason,
            granted_at=now,
            expires_at=now + grant_duration(),
        )
        record_event(
            AccessEvent.BREAK_GLASS,
            actor=acting_user,
            target=case,
            agency=case.agency,
            fields=["reason"],
            detail={"grant": grant.pk},
        )
        notify(_people_to_tell(case), NotificationKind.BREAK_GLASS, case=case, actor=acting_user)
    return grant


def _people_to_tell(case: Case) -> list[User]:
    """The case's team supervisor, and the agency's managers and administrators."""
    oversight = list(
        User.objects.filter(
            agency_id=case.agency_id,
            role__in=(Role.MANAGER, Role.ADMINISTRATOR),
            is_active=True,
        )
    )
    supervisor = case.team.supervisor if case.team_id is not None else None
    return [*oversight, *([supervisor] if supervisor is not None else [])]


def do_revoke_break_glass(grant: BreakGlassGrant, *, acting_user: User) -> BreakGlassGrant:
    """End GRANT now: by its holder, or by a manager of the case's agency."""
    if not policy.can_revoke_break_glass(acting_user, grant):
        raise ActionRefused(
            _("Only the person who holds this emergency access or a manager can end it.")
        )
    now = timezone.now()
    with transaction.atomic():
        ended = BreakGlassGrant.objects.filter(
            pk=grant.pk, revoked_at__isnull=True, expires_at__gt=now
        ).update(revoked_at=now, revoked_by=acting_user)
        if not ended:
            raise ActionRefused(_("This emergency access has already ended."))
        record_event(
            AccessEvent.BREAK_GLASS_REVOKED,
            actor=acting_user,
            target=grant.case,
            agency=grant.case.agency,
            detail={"grant": grant.pk},
        )
    grant.refresh_from_db()
    return grant
