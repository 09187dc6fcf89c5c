"""Erasure on request: a supervisor asks, a manager of the agency (a second person) confirms.

On confirmation every case of the person in the agency is anonymised at once, whatever the
retention period, and then the person. The audit trail keeps an ERASURE event with ids, counts
and the reason's code only — never any of the erased data. Every case must be closed first: an
open case is still being worked on, and closing it is the caseworker's and supervisor's call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind
from pcm.retention.anonymise import anonymise_case
from pcm.retention.models import (
    AnonymisationReason,
    ErasureReason,
    ErasureRequest,
    ErasureStatus,
    RetentionEvent,
)

if TYPE_CHECKING:
    from pcm.accounts.models import Agency
    from pcm.people.models import Person


def may_request_erasure(user: User, case: Case) -> bool:
    """The supervisor of the case's team asks for erasure."""
    return policy.is_case_supervisor(user, case)


def may_decide_erasure(user: User, erasure: ErasureRequest) -> bool:
    """A manager of the agency decides, never the person who asked."""
    return (
        user.is_active
        and user.role == Role.MANAGER
        and user.agency_id == erasure.agency_id
        and user.agency is not None
        and user.agency.is_active
        and user.pk != erasure.requested_by_id
    )


def may_cancel_erasure(user: User, erasure: ErasureRequest) -> bool:
    return user.pk == erasure.requested_by_id or policy.is_case_supervisor(user, erasure.case)


def person_cases(person: Person, agency: Agency) -> list[Case]:
    """PERSON's cases in AGENCY: what an erasure anonymises."""
    return list(Case.objects.filter(person=person, agency=agency).order_by("opened_at", "pk"))


def pending_erasure(person: Person) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(person=person, status=ErasureStatus.PENDING).first()


def _refuse_open_cases(cases: list[Case], user: User) -> None:
    """Refused while a case is open, naming only the open cases USER may see."""
    still_open = [case for case in cases if case.is_open]
    if not still_open:
        return
    visible = set(
        policy.cases_visible_to(user)
        .filter(pk__in=[case.pk for case in still_open])
        .values_list("pk", flat=True)
    )
    numbers = [case.number for case in still_open if case.pk in visible]
    if len(numbers) == len(still_open):
        raise ActionRefused(
            _(
                "The service user's data can be erased only when all their cases are closed. "
                "Still open: %(numbers)s. Close them first, then ask again."
            )
            % {"numbers": ", ".join(numbers)}
        )
    raise ActionRefused(
        _(
            "The service user's data can be erased only when all their cases in the agency are "
            "closed, and at least one is still open. Ask a manager which, and close it first."
        )
    )


def agency_managers(agency_id: int) -> list[User]:
    return list(User.objects.filter(agency_id=agency_id, role=Role.MANAGER, is_active=True))


def do_request_erasure(case: Case, *, reason: ErasureReason, acting_user: User) -> ErasureRequest:
    """The supervisor asks for the erasure of CASE's service user, for REASON."""
    if not may_request_erasure(acting_user, case):
        raise ActionRefused(_("Only the supervisor of this case's team can ask for erasure."))
    if reason not in ErasureReason.values:
        raise ActionRefused(_("Choose the reason for the erasure from the list."))
    person = case.person
    _refuse_open_cases(person_cases(person, case.agency), acting_user)
    if pending_erasure(person) is not None:
        raise ActionRefused(
            _("An erasure of this service user's data is already waiting for a manager.")
        )
    try:
        with transaction.atomic(durable=True):
            erasure = ErasureRequest.objects.create(
                agency=case.agency,
                person=person,
                case=case,
                reason=reason,
                requested_by=acting_user,
            )
            record_event(
                RetentionEvent.ERASURE_REQUESTED,
                actor=acting_user,
                target=erasure,
                agency=case.agency,
                detail={"person": person.pk, "case": case.pk, "reason": str(reason)},
            )
            notify(
                agency_managers(case.agency_id),
                NotificationKind.APPROVAL_REQUESTED,
                case=case,
                actor=acting_user,
            )
    except IntegrityError:  # asked twice at once: once is enough
        raise ActionRefused(
            _("An erasure of this service user's data is already waiting for a manager.")
        ) from None
    return erasure


def _decide(
    erasure: ErasureRequest, *, status: ErasureStatus, expected_version: int, acting_user: User
) -> None:
    updated = ErasureRequest.objects.filter(
        pk=erasure.pk, version=expected_version, status=ErasureStatus.PENDING
    ).update(
        status=status,
        decided_by=acting_user,
        decided_at=timezone.now(),
        version=F("version") + 1,
    )
    if not updated:
        raise EditConflict(
            _(
                "This erasure request was decided or cancelled meanwhile. Nothing was changed; "
                "reload the page to see where it stands."
            )
        )


def do_confirm_erasure(
    erasure: ErasureRequest, *, expected_version: int | None = None, acting_user: User
) -> ErasureRequest:
    """A manager confirms: every case of the person in the agency is anonymised now."""
    if not may_decide_erasure(acting_user, erasure):
        raise ActionRefused(
            _("Only a manager of the agency other than the one who asked can confirm an erasure.")
        )
    version = erasure.version if expected_version is None else expected_version
    with transaction.atomic(durable=True):
        cases = person_cases(erasure.person, erasure.agency)
        _refuse_open_cases(cases, acting_user)
        _decide(
            erasure,
            status=ErasureStatus.CONFIRMED,
            expected_version=version,
            acting_user=acting_user,
        )
        newly = 0
        person_anonymised = False
        for case in cases:
            result = anonymise_case(case, acting_user, AnonymisationReason.ERASURE)
            newly += int(result.case_newly)
            person_anonymised = result.person_anonymised
        ErasureRequest.objects.filter(pk=erasure.pk).update(cases_anonymised=newly)
        record_event(
            RetentionEvent.ERASURE,
            actor=acting_user,
            target=erasure,
            agency=erasure.agency,
            detail={
                "person": erasure.person_id,
                "cases": [case.pk for case in cases],
                "cases_anonymised": newly,
                "person_anonymised": person_anonymised,
                "reason": erasure.reason,
                "requested_by": erasure.requested_by_id,
            },
        )
        notify(
            [erasure.requested_by],
            NotificationKind.APPROVAL_GIVEN,
            case=erasure.case,
            actor=acting_user,
        )
    erasure.refresh_from_db()
    return erasure


def do_decline_erasure(
    erasure: ErasureRequest, *, expected_version: int | None = None, acting_user: User
) -> ErasureRequest:
    """A manager declines: nothing is erased."""
    if not may_decide_erasure(acting_user, erasure):
        raise ActionRefused(
            _("Only a manager of the agency other than the one who asked can decline an erasure.")
        )
    version = erasure.version if expected_version is None else expected_version
    with transaction.atomic(durable=True):
        _decide(
            erasure,
            status=ErasureStatus.DECLINED,
            expected_version=version,
            acting_user=acting_user,
        )
        record_event(
            RetentionEvent.ERASURE_DECLINED,
            actor=acting_user,
            target=erasure,
            agency=erasure.agency,
            detail={"person": erasure.person_id, "reason": erasure.reason},
        )
        notify(
            [erasure.requested_by], NotificationKind.SENT_BACK, case=erasure.case, actor=acting_user
        )
    erasure.refresh_from_db()
    return erasure


def do_cancel_erasure(
    erasure: ErasureRequest, *, expected_version: int | None = None, acting_user: User
) -> ErasureRequest:
    """The supervisor withdraws their request before a manager decides."""
    if not may_cancel_erasure(acting_user, erasure):
        raise ActionRefused(_("Only the supervisor of the case can cancel this request."))
    version = erasure.version if expected_version is None else expected_version
    with transaction.atomic(durable=True):
        _decide(
            erasure,
            status=ErasureStatus.CANCELLED,
            expected_version=version,
            acting_user=acting_user,
        )
        record_event(
            RetentionEvent.ERASURE_CANCELLED,
            actor=acting_user,
            target=erasure,
            agency=erasure.agency,
            detail={"person": erasure.person_id, "reason": erasure.reason},
        )
    erasure.refresh_from_db()
    return erasure


def pending_requests_for(user: User) -> list[ErasureRequest]:
    """The pending requests a manager may decide (their agency's), oldest first."""
    if user.role != Role.MANAGER or user.agency_id is None:
        return []
    return list(
        ErasureRequest.objects.filter(agency_id=user.agency_id, status=ErasureStatus.PENDING)
        .select_related("case", "requested_by")
        .order_by("requested_at", "pk")
    )


def get_erasure_for(user: User, public_id: UUID | str) -> ErasureRequest:
    """An erasure request of USER's agency that USER may see (its managers, or the supervisor of
    its case); 404 otherwise, as if it did not exist."""
    from django.http import Http404

    erasure = (
        ErasureRequest.objects.select_related("case", "case__team", "agency", "requested_by")
        .filter(public_id=public_id)
        .first()
    )
    if erasure is None or not user.is_active or user.agency_id != erasure.agency_id:
        raise Http404
    if user.role == Role.MANAGER or policy.is_case_supervisor(user, erasure.case):
        return erasure
    raise Http404
