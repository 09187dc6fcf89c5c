"""Transferring a case to another agency: request with consent, then accept or decline.

On acceptance the case itself moves — its agency, team, caseworker, person and a new number
from the receiving agency — so everything that hangs off it (consent, assessments, plans,
notes) follows and nothing is copied. The sending agency keeps a `TransferRecord` stub with
the old number and no personal data. Only what the service user's current consent lets go to
the receiving agency travels: the rest is erased as the case moves (pcm.closure.sharing), and
a consent that does not cover the receiver (withdrawn, say) stops the transfer at either step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.cases.actions import next_case_number
from pcm.cases.consent import SharingDecision, sharing_decision
from pcm.cases.models import Case
from pcm.cases.workflow import OPEN_STEPS
from pcm.closure import permissions
from pcm.closure.models import (
    ClosureEvent,
    TransferRecord,
    TransferRequest,
    TransferStatus,
)
from pcm.closure.sharing import person_for_receiver, withhold_case_records
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind

if TYPE_CHECKING:
    from pcm.accounts.models import Agency, Team


def _consent_refusal(decision: SharingDecision) -> ActionRefused:
    """Why the case cannot go, from the consent, and what to do about it."""
    return ActionRefused(
        _(
            "%(why)s The case cannot be transferred: record a revised consent with the service "
            "user first, if they agree."
        )
        % {"why": " ".join(decision.reasons)}
    )


def do_request_transfer(
    case: Case, to_agency: Agency, reason: str, *, acting_user: User
) -> TransferRequest:
    """Ask TO_AGENCY to take CASE over. Needs consent to share with that agency."""
    if not permissions.may_request_transfer(acting_user, case):
        raise ActionRefused(
            _("Only the caseworker of this case or its team's supervisor can transfer it.")
        )
    if case.status not in OPEN_STEPS:
        raise ActionRefused(_("Only an open case that is not awaiting closure can be transferred."))
    if to_agency.pk == case.agency_id or not to_agency.is_active:
        raise ActionRefused(_("Choose another active agency to transfer the case to."))
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Write the reason for the transfer."))
    decision = sharing_decision(case, to_agency)
    if not decision.allowed:
        raise _consent_refusal(decision)
    already_waiting = ActionRefused(_("A transfer request for this case is already waiting."))
    if TransferRequest.objects.filter(case=case, status=TransferStatus.PENDING).exists():
        raise already_waiting
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                transfer = TransferRequest.objects.create(
                    case=case,
                    case_number=case.number,
                    from_agency_id=case.agency_id,
                    from_team_id=case.team_id,
                    to_agency=to_agency,
                    reason=reason,
                    requested_by=acting_user,
                )
        except IntegrityError:  # another request for the case was made at the same moment
            raise already_waiting from None
        detail = {
            "case": case.pk,
            "from_agency": case.agency_id,
            "to_agency": to_agency.pk,
            "consent": decision.consent_version,
            "shared": sorted(decision.groups),
        }
        record_event(
            ClosureEvent.TRANSFER_REQUESTED,
            actor=acting_user,
            target=transfer,
            agency=case.agency,
            fields=["to_agency", "reason"],
            detail=detail,
        )
        # The receiving supervisors cannot see the case yet: the notification names no case.
        notify(
            _receiving_supervisors(to_agency),
            NotificationKind.APPROVAL_REQUESTED,
            actor=acting_user,
        )
    return transfer


def _receiving_supervisors(agency: Agency) -> list[User]:
    return list(User.objects.filter(agency=agency, role=Role.SUPERVISOR, is_active=True))


def _check_decision(transfer: TransferRequest, acting_user: User) -> None:
    if not permissions.may_decide_transfer(acting_user, transfer):
        raise ActionRefused(
            _("Only a supervisor of the receiving agency can accept or decline this transfer.")
        )
    if not transfer.is_pending:
        raise ActionRefused(_("This transfer request was already decided."))


def _mark_decided(
    transfer: TransferRequest,
    *,
    status: TransferStatus,
    decline_reason: str,
    expected_version: int,
    acting_user: User,
) -> None:
    updated = TransferRequest.objects.filter(
        pk=transfer.pk, status=TransferStatus.PENDING, version=expected_version
    ).update(
        status=status,
        decided_by=acting_user,
        decided_at=timezone.now(),
        decline_reason=decline_reason,
        version=F("version") + 1,
    )
    if not updated:
        raise EditConflict(
            _(
                "Someone else decided this transfer request while you were looking at it. "
                "Nothing was saved; reload the list of incoming transfers."
            )
        )
    transfer.refresh_from_db()


def do_accept_transfer(
    transfer: TransferRequest,
    *,
    team: Team,
    caseworker: User,
    expected_version: int | None = None,
    acting_user: User,
) -> Case:
    """The receiving agency takes the case: it moves, with all its history, to TEAM."""
    _check_decision(transfer, acting_user)
    if team.agency_id != transfer.to_agency_id:
        raise ActionRefused(_("Choose a team of your agency."))
    if caseworker not in policy.assignable_caseworkers(team):
        raise ActionRefused(_("Choose an active caseworker of the chosen team."))
    version = transfer.version if expected_version is None else expected_version
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().select_related("agency").get(pk=transfer.case_id)
        if case.agency_id != transfer.from_agency_id or case.status not in OPEN_STEPS:
            raise ActionRefused(
                _("The case can no longer be transferred: it was closed or moved meanwhile.")
            )
        to_agency = transfer.to_agency
        decision = sharing_decision(case, to_agency)
        if not decision.allowed:
            raise _consent_refusal(decision)
        _mark_decided(
            transfer,
            status=TransferStatus.ACCEPTED,
            decline_reason="",
            expected_version=version,
            acting_user=acting_user,
        )
        from_agency, old_number = case.agency, case.number
        now = timezone.now()
        new_number = next_case_number(to_agency, now.year)
        Case.objects.filter(pk=case.pk).update(
            agency=to_agency,
            team=team,
            assigned_to=caseworker,
            number=new_number,
            version=F("version") + 1,
        )
        # What the consent does not cover stays behind: erased before the case moves.
        withheld = {group.value for group in decision.withheld}
        erased = withhold_case_records(case, withheld, acting_user)
        person = person_for_receiver(case, to_agency, withheld)
        if person.pk != case.person_id:
            Case.objects.filter(pk=case.pk).update(person=person)
        record = TransferRecord.objects.create(
            agency=from_agency,
            team_id=transfer.from_team_id,
            old_number=old_number,
            transferred_at=now,
            to_agency=to_agency,
            requested_by_id=transfer.requested_by_id,
            accepted_by=acting_user,
        )
        case.refresh_from_db()
        detail = {"case": case.pk, "from_agency": from_agency.pk, "to_agency": to_agency.pk}
        sharing = {
            "consent": decision.consent_version,
            "shared": sorted(decision.groups),
            "withheld": sorted(withheld),
            "erased": erased,
        }
        record_event(
            ClosureEvent.TRANSFER_SENT,
            actor=acting_user,
            target=record,
            agency=from_agency,
            fields=["agency"],
            detail=detail,
        )
        record_event(
            ClosureEvent.TRANSFER_ACCEPTED,
            actor=acting_user,
            target=case,
            agency=to_agency,
            fields=["agency", "team", "assigned_to", "number"],
            detail={**detail, **sharing, "transfer": transfer.pk},
        )
        notify([caseworker], NotificationKind.CASE_TRANSFERRED, case=case, actor=acting_user)
        # The sender can no longer open the case: their notification names none.
        notify([transfer.requested_by], NotificationKind.APPROVAL_GIVEN, actor=acting_user)
    return case


def do_decline_transfer(
    transfer: TransferRequest,
    *,
    reason: str,
    expected_version: int | None = None,
    acting_user: User,
) -> TransferRequest:
    """The receiving agency declines; the case stays where it is."""
    _check_decision(transfer, acting_user)
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Write the reason for declining, so the sending agency can act."))
    version = transfer.version if expected_version is None else expected_version
    with transaction.atomic(durable=True):
        _mark_decided(
            transfer,
            status=TransferStatus.DECLINED,
            decline_reason=reason,
            expected_version=version,
            acting_user=acting_user,
        )
        record_event(
            ClosureEvent.TRANSFER_DECLINED,
            actor=acting_user,
            target=transfer,
            agency=transfer.from_agency,
            fields=["status", "decline_reason"],
            detail={"case": transfer.case_id, "to_agency": transfer.to_agency_id},
        )
        notify(
            [transfer.requested_by],
            NotificationKind.SENT_BACK,
            case=transfer.case,
            actor=acting_user,
        )
    return transfer
