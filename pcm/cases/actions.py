"""Writes to cases: every change a user makes to a case goes through one function here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.cases.intake import Eligibility, ExceptionStatus, IntakeScreening, Safeguard
from pcm.cases.models import Case, CaseNumberSequence, CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind
from pcm.people.actions import PersonDetails, register_person

if TYPE_CHECKING:
    from pcm.accounts.models import Agency, Team, User


def next_case_number(agency: Agency, year: int) -> str:
    """Allocate the agency's next case number for YEAR, e.g. NRC-IQ-2026-00042.

    The increment is a single UPDATE, so two caseworkers opening cases at the same moment get
    different numbers on SQLite and PostgreSQL alike. Must run inside a transaction.
    """
    CaseNumberSequence.objects.get_or_create(agency=agency, year=year)
    CaseNumberSequence.objects.filter(agency=agency, year=year).update(
        last_value=F("last_value") + 1
    )
    value = CaseNumberSequence.objects.values_list("last_value", flat=True).get(
        agency=agency, year=year
    )
    return f"{agency.case_number_prefix}-{year}-{value:05d}"


@dataclass(frozen=True)
class ScreeningDetails:
    """The intake screening ("Form 0") of a new case."""

    risk_types: list[RiskType]
    eligibility: Eligibility
    eligibility_reason: str
    safeguard: Safeguard = Safeguard.NONE
    exception_reason: str = ""


def do_register_and_open_case(
    details: PersonDetails,
    *,
    screening: ScreeningDetails,
    risk_level: RiskLevel,
    team: Team,
    assigned_to: User,
    acting_user: User,
) -> Case:
    """Register a service user and open a case for them, assigned to a caseworker of TEAM.

    A child or a GBV survivor gets a case only as a documented exception, which waits for the
    supervisor's decision before the case can leave intake.
    """
    if not policy.can_register_people(acting_user):
        raise ActionRefused(_("Your role cannot register people or open cases."))
    if team not in policy.teams_for_intake(acting_user):
        raise ActionRefused(_("You can only open cases for your own team."))
    if assigned_to not in policy.assignable_caseworkers(team):
        raise ActionRefused(_("Choose an active caseworker of the case's team."))
    if screening.eligibility != Eligibility.ELIGIBLE:
        raise ActionRefused(_("A person who is not eligible gets no case: record a contact."))
    if screening.safeguard and not screening.exception_reason:
        raise ActionRefused(
            _("Refer this person to specialised case management, or ask for an exception.")
        )
    with transaction.atomic(durable=True):
        person = register_person(details, acting_user=acting_user)
        assert acting_user.agency is not None  # noqa: S101 - checked by can_register_people
        now = timezone.now()
        case = Case.objects.create(
            agency=acting_user.agency,
            number=next_case_number(acting_user.agency, now.year),
            person=person,
            status=CaseStatus.INTAKE,
            risk_level=risk_level,
            team=team,
            assigned_to=assigned_to,
            opened_by=acting_user,
            opened_at=now,
            first_response_due_at=now + acting_user.agency.response_time(risk_level),
        )
        record_event(
            AuditEventType.CASE_OPENED,
            actor=acting_user,
            target=case,
            agency=case.agency,
            fields=["status", "risk_level", "team", "assigned_to"],
        )
        record = IntakeScreening.objects.create(
            case=case,
            eligibility=screening.eligibility,
            eligibility_reason=screening.eligibility_reason,
            safeguard=screening.safeguard,
            exception_status=ExceptionStatus.PENDING if screening.safeguard else "",
            exception_reason=screening.exception_reason,
            screened_by=acting_user,
        )
        record.risk_types.set(screening.risk_types)
        notify([assigned_to], NotificationKind.CASE_ASSIGNED, case=case, actor=acting_user)
        if screening.safeguard:
            notify(
                [team.supervisor], NotificationKind.APPROVAL_REQUESTED, case=case, actor=acting_user
            )
    return case


def do_reassign_case(
    case: Case, *, to_caseworker: User, expected_version: int, acting_user: User
) -> Case:
    """Give CASE to another caseworker of its team. Refused if the case changed meanwhile."""
    if not policy.can_reassign(acting_user, case):
        raise ActionRefused(_("Only the supervisor of this case's team can reassign it."))
    if to_caseworker not in policy.assignable_caseworkers(case.team):
        raise ActionRefused(_("Choose an active caseworker of this case's team."))
    previous = case.assigned_to
    with transaction.atomic(durable=True):
        updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
            assigned_to=to_caseworker, version=F("version") + 1
        )
        if not updated:
            current = Case.objects.select_related("assigned_to").get(pk=case.pk)
            raise EditConflict(
                _(
                    "Someone else changed this case while you were looking at it. Its "
                    "caseworker is now %(caseworker)s. Nothing was saved; check the case and "
                    "try again."
                )
                % {"caseworker": current.assigned_to or "—"}
            )
        record_event(
            AuditEventType.CASE_REASSIGNED,
            actor=acting_user,
            target=case,
            agency=case.agency,
            fields=["assigned_to"],
            detail={
                "from_user": previous.pk if previous else None,
                "to_user": to_caseworker.pk,
            },
        )
        notify([to_caseworker], NotificationKind.CASE_ASSIGNED, case=case, actor=acting_user)
    case.refresh_from_db()
    return case
