"""Writes to referrals: sending, each answer of the provider, closing and withdrawing.

Every step checks who may take it and from which status, refuses a stale form (another person
moved the referral meanwhile), records a ReferralStep and an audit event in one transaction, and
tells the other side after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access.fields import visible_groups
from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind
from pcm.plans.actions import action_in_force, move_action_by_referral
from pcm.plans.models import ActionStatus
from pcm.referrals import payload, rules
from pcm.referrals.events import ReferralEvent
from pcm.referrals.models import FocalPoint, Referral, ReferralStatus, ReferralStep, Urgency
from pcm.referrals.sharing import referral_consent
from pcm.services.directory import may_maintain
from pcm.services.models import Service


@dataclass
class NewReferral:
    service: Service
    urgency: Urgency
    reason: str
    note_for_provider: str
    shared_fields: list[str]
    plan_action_key: str | None = None


def _portal_link(referral: Referral) -> str:
    return reverse("referrals:received", kwargs={"public_id": referral.public_id})


def _focal_points(service: Service) -> list[User]:
    return [
        focal.user
        for focal in FocalPoint.objects.filter(service=service, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ]


def do_send_referral(case: Case, details: NewReferral, *, acting_user: User) -> Referral:
    """Refer the service user of CASE to a service, sharing only the ticked, consented fields."""
    if not rules.may_refer(acting_user, case):
        raise ActionRefused(_("Only the case's caseworker or supervisor can refer it."))
    service = details.service
    if service.provider.agency_id != case.agency_id or not service.is_active:
        raise ActionRefused(_("Choose an active service of your agency's directory."))
    consent = referral_consent(case).seen_by(visible_groups(acting_user, case))
    if not consent.allowed:
        raise ActionRefused(" ".join(consent.reasons))
    not_covered = [key for key in details.shared_fields if key not in consent.allowed_keys]
    if not_covered:
        raise ActionRefused(
            _("The consent does not cover some of the information ticked; nothing was sent.")
        )
    if not details.reason.strip():
        raise ActionRefused(_("Say why you refer the service user."))
    action = None
    if details.plan_action_key:
        action = action_in_force(case, details.plan_action_key)  # type: ignore[arg-type]
        if action is None or not action.is_open:
            raise ActionRefused(_("This action is no longer open in the plan in force."))
    focal_points = _focal_points(service)
    now = timezone.now()
    with transaction.atomic(durable=True):
        referral = Referral.objects.create(
            case=case,
            agency=case.agency,
            service=service,
            plan_action_key=action.key if action else None,
            referred_by=acting_user,
            urgency=details.urgency,
            reason=details.reason.strip(),
            note_for_provider=details.note_for_provider.strip(),
            shared_fields=list(details.shared_fields),
            payload="",
            consent_version=consent.consent_version,
            through_portal=bool(focal_points),
            sent_at=now,
            respond_by=rules.respond_by(now, service, details.urgency),
        )
        referral.payload = payload.dumps(payload.build(referral, case, details.shared_fields))
        referral.save(update_fields=["payload"])
        ReferralStep.objects.create(
            referral=referral, status=ReferralStatus.SENT, at=now, by=acting_user
        )
        if action is not None and action.status == ActionStatus.TO_DO:
            move_action_by_referral(
                case, action.key, ActionStatus.IN_PROGRESS, acting_user=acting_user
            )
        record_event(
            ReferralEvent.SENT,
            actor=acting_user,
            target=referral,
            agency=case.agency,
            detail={
                "case": case.pk,
                "service": service.pk,
                "shared": list(details.shared_fields),
                "consent_version": consent.consent_version,
            },
        )
        link = _portal_link(referral)
        transaction.on_commit(
            lambda: notify(
                focal_points, NotificationKind.REFERRAL_RECEIVED, actor=acting_user, link=link
            )
        )
    return referral


STEP_EVENTS = {
    ReferralStatus.ACKNOWLEDGED: ReferralEvent.ACKNOWLEDGED,
    ReferralStatus.ACCEPTED: ReferralEvent.ACCEPTED,
    ReferralStatus.DECLINED: ReferralEvent.DECLINED,
    ReferralStatus.PROVIDED: ReferralEvent.PROVIDED,
    ReferralStatus.CLOSED: ReferralEvent.CLOSED,
    ReferralStatus.WITHDRAWN: ReferralEvent.WITHDRAWN,
}


def _timestamps(status: ReferralStatus, now: datetime) -> dict[str, object]:
    if status == ReferralStatus.ACKNOWLEDGED:
        return {"acknowledged_at": now}
    if status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        return {"responded_at": now}
    if status == ReferralStatus.PROVIDED:
        return {"provided_at": now}
    return {"closed_at": now}


def _check_text(status: ReferralStatus, text: str) -> None:
    if status == ReferralStatus.DECLINED and not text.strip():
        raise ActionRefused(_("Say why the referral is declined, so another service can be found."))
    if status == ReferralStatus.PROVIDED and not text.strip():
        raise ActionRefused(_("Record the outcome: what the service user received."))
    if status == ReferralStatus.WITHDRAWN and not text.strip():
        raise ActionRefused(_("Say why the referral is withdrawn."))


def do_move_referral(
    referral: Referral,
    status: ReferralStatus,
    *,
    text: str = "",
    expected_version: int,
    acting_user: User,
) -> Referral:
    """Take the next step of REFERRAL: the provider's answers, or the referrer's close or
    withdrawal. TEXT is the decline reason, the outcome, or a note."""
    provider_step = status in rules.provider_next_steps(referral)
    referrer_step = status in rules.referrer_next_steps(referral)
    if provider_step and not rules.may_answer(acting_user, referral):
        raise ActionRefused(_("Only the service's focal point can answer this referral."))
    if referrer_step and not rules.may_follow_up(acting_user, referral):
        raise ActionRefused(_("Only the case's caseworker or supervisor can do this."))
    if not provider_step and not referrer_step:
        raise ActionRefused(
            _("A referral that is “%(status)s” cannot become “%(next)s”.")
            % {
                "status": ReferralStatus(referral.status).label,
                "next": ReferralStatus(status).label,
            }
        )
    _check_text(status, text)
    now = timezone.now()
    values: dict[str, object] = {"status": status, **_timestamps(status, now)}
    if status == ReferralStatus.DECLINED:
        values["decline_reason"] = text.strip()
    if status == ReferralStatus.PROVIDED:
        values["outcome"] = text.strip()
    on_behalf = provider_step and not referral.through_portal
    with transaction.atomic(durable=True):
        updated = Referral.objects.filter(
            pk=referral.pk, version=expected_version, status=referral.status
        ).update(version=F("version") + 1, **values)
        if not updated:
            raise EditConflict(
                _(
                    "Someone else moved this referral on while you were looking at it. "
                    "Nothing was saved; reload the page to see where it stands."
                )
            )
        note = "" if status in (ReferralStatus.DECLINED, ReferralStatus.PROVIDED) else text.strip()
        ReferralStep.objects.create(
            referral=referral,
            status=status,
            at=now,
            by=acting_user,
            on_behalf_of_provider=on_behalf,
            note=note,
        )
        if status == ReferralStatus.PROVIDED and referral.plan_action_key:
            move_action_by_referral(
                referral.case, referral.plan_action_key, ActionStatus.DONE, acting_user=acting_user
            )
        record_event(
            STEP_EVENTS[status],
            actor=acting_user,
            target=referral,
            agency=referral.agency,
            fields=[name for name in values if name in ("decline_reason", "outcome")],
            detail={"case": referral.case_id, "from": referral.status, "on_behalf": on_behalf},
        )
        _tell_the_other_side(referral, status, acting_user, provider_step)
    referral.refresh_from_db()
    return referral


def _tell_the_other_side(
    referral: Referral, status: ReferralStatus, acting_user: User, provider_step: bool
) -> None:
    if provider_step and referral.through_portal:
        referrer = referral.case.assigned_to or referral.referred_by
        case = referral.case
        transaction.on_commit(
            lambda: notify(
                [referrer],
                NotificationKind.REFERRAL_ANSWERED,
                case=case,
                actor=acting_user,
            )
        )
    if status == ReferralStatus.WITHDRAWN and referral.through_portal:
        recipients = _focal_points(referral.service)
        link = _portal_link(referral)
        transaction.on_commit(
            lambda: notify(
                recipients, NotificationKind.REFERRAL_WITHDRAWN, actor=acting_user, link=link
            )
        )


def record_portal_read(referral: Referral, user: User) -> None:
    """A focal point opened a referral: recorded like any read of a case's data."""
    record_event(
        ReferralEvent.VIEWED_BY_PROVIDER,
        actor=user,
        target=referral,
        agency=referral.agency,
        detail={"case": referral.case_id},
    )


def record_form_printed(referral: Referral, user: User, kind: str) -> None:
    record_event(
        ReferralEvent.FORM_PRINTED,
        actor=user,
        target=referral,
        agency=referral.agency,
        detail={"case": referral.case_id, "as": kind},
    )


def focal_point_candidates(service: Service) -> list[User]:
    """Who may receive the referrals to SERVICE: the provider-focal-point accounts of the
    provider's agency in PCM (of the directory's own agency for a service it runs itself)."""
    provider = service.provider
    agency_id = provider.pcm_agency_id or provider.agency_id
    return list(
        User.objects.filter(
            agency_id=agency_id, role=Role.PROVIDER_FOCAL_POINT, is_active=True
        ).order_by("first_name", "last_name", "username")
    )


def _check_directory_keeper(service: Service, acting_user: User) -> None:
    if not may_maintain(acting_user) or service.provider.agency_id != acting_user.agency_id:
        raise ActionRefused(_("Only a manager of the agency can change its service directory."))


def do_add_focal_point(service: Service, user: User, *, acting_user: User) -> FocalPoint:
    _check_directory_keeper(service, acting_user)
    if user not in focal_point_candidates(service):
        raise ActionRefused(
            _("Only a service-provider focal point of the provider's agency can receive referrals.")
        )
    with transaction.atomic(durable=True):
        focal, _created = FocalPoint.objects.get_or_create(
            service=service, user=user, defaults={"added_by": acting_user}
        )
        record_event(
            ReferralEvent.FOCAL_POINT_ADDED,
            actor=acting_user,
            target=service,
            detail={"user": user.pk},
        )
    return focal


def do_remove_focal_point(service: Service, user: User, *, acting_user: User) -> None:
    _check_directory_keeper(service, acting_user)
    with transaction.atomic(durable=True):
        FocalPoint.objects.filter(service=service, user=user).delete()
        record_event(
            ReferralEvent.FOCAL_POINT_REMOVED,
            actor=acting_user,
            target=service,
            detail={"user": user.pk},
        )
