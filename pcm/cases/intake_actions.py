"""Writes of the intake step: contact records, safeguard exceptions, consent, the household,
and completing the intake."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.access import policy
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.cases import workflow
from pcm.cases.consent import Consent, ConsentMethod, GivenBy, Purpose, current_consent
from pcm.cases.household import HouseholdMember
from pcm.cases.intake import ContactKind, ContactRecord, Eligibility, ExceptionStatus
from pcm.cases.models import Case, CaseStatus
from pcm.core.errors import ActionRefused, EditConflict
from pcm.notifications.actions import notify
from pcm.notifications.models import NotificationKind

if TYPE_CHECKING:
    from pcm.accounts.models import Agency, User
    from pcm.cases.taxonomy import RiskType
    from pcm.locations.models import Location


def _require_case_worker(case: Case, user: User) -> None:
    """The caseworker holding the case, or the supervisor of its team, works on it."""
    if not policy.can_work_on_case(user, case):
        raise ActionRefused(_("Only the case's caseworker or their supervisor can do this."))


# Contact records -----------------------------------------------------------------------------


def do_record_contact(
    *,
    kind: ContactKind,
    sex: str,
    age_group: str,
    location: Location | None,
    risk_types: list[RiskType],
    given: str,
    acting_user: User,
) -> ContactRecord:
    """Keep a light, nameless record of information or a referral given instead of a case."""
    if not policy.can_register_people(acting_user) or acting_user.agency is None:
        raise ActionRefused(_("Your role cannot record intake contacts."))
    with transaction.atomic(durable=True):
        record = ContactRecord.objects.create(
            agency=acting_user.agency,
            kind=kind,
            sex=sex,
            age_group=age_group,
            location=location,
            given=given,
            recorded_by=acting_user,
        )
        record.risk_types.set(risk_types)
        record_event(
            AuditEventType.RECORD_CREATED,
            actor=acting_user,
            target=record,
            agency=acting_user.agency,
            fields=["kind", "sex", "age_group", "location", "risk_types", "given"],
        )
    return record


# Safeguard exceptions ------------------------------------------------------------------------


def do_decide_exception(case: Case, *, approve: bool, comment: str, acting_user: User) -> None:
    """The supervisor approves or declines PCM taking a child's or GBV survivor's case."""
    if not policy.can_reassign(acting_user, case):
        raise ActionRefused(_("Only the supervisor of this case's team decides exceptions."))
    screening = getattr(case, "screening", None)
    if screening is None or screening.exception_status != ExceptionStatus.PENDING:
        raise ActionRefused(_("This case has no exception waiting for a decision."))
    if not approve and not comment.strip():
        raise ActionRefused(_("Say why the exception is declined, for the caseworker."))
    with transaction.atomic(durable=True):
        screening.exception_status = (
            ExceptionStatus.APPROVED if approve else ExceptionStatus.DECLINED
        )
        screening.exception_comment = comment
        screening.exception_decided_by = acting_user
        screening.exception_decided_at = timezone.now()
        screening.save()
        record_event(
            AuditEventType.RECORD_CHANGED,
            actor=acting_user,
            target=screening,
            agency=case.agency,
            fields=["exception_status", "exception_comment"],
        )
        notify(
            [case.assigned_to],
            NotificationKind.APPROVAL_GIVEN if approve else NotificationKind.SENT_BACK,
            case=case,
            actor=acting_user,
        )


# Consent -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentDetails:
    given_by: GivenBy
    method: ConsentMethod
    given_at: datetime
    case_management: bool
    referrals: bool
    data_sharing: bool
    share_with: list[Agency] = field(default_factory=list)
    share_with_others: str = ""
    shared_fields: list[str] = field(default_factory=list)
    safe_contact_methods: list[str] = field(default_factory=list)
    contact_restrictions: str = ""
    given_by_name: str = ""
    assent_reason: str = ""


def do_record_consent(
    case: Case, details: ConsentDetails, *, expected_version: int | None, acting_user: User
) -> Consent:
    """Record consent or assent, or revise it: a new version, the earlier ones kept."""
    _require_case_worker(case, acting_user)
    if not case.is_open:
        raise ActionRefused(_("Consent is recorded on open cases only."))
    if details.given_by != GivenBy.SERVICE_USER and not details.assent_reason.strip():
        raise ActionRefused(_("Say why a caregiver or representative gives consent."))
    return _new_consent_version(case, expected_version, acting_user, details=details)


def do_withdraw_consent(case: Case, *, expected_version: int | None, acting_user: User) -> Consent:
    """The service user withdraws consent: no further sharing, and the case cannot move on."""
    _require_case_worker(case, acting_user)
    if current_consent(case) is None:
        raise ActionRefused(_("There is no consent to withdraw."))
    return _new_consent_version(case, expected_version, acting_user, details=None)


def _new_consent_version(
    case: Case, expected_version: int | None, acting_user: User, *, details: ConsentDetails | None
) -> Consent:
    with transaction.atomic(durable=True):
        latest = Consent.objects.select_for_update().filter(case=case).order_by("-version").first()
        current_version = latest.version if latest else 0
        if expected_version is not None and expected_version != current_version:
            raise EditConflict(
                _(
                    "Someone recorded another version of the consent (version %(version)d) "
                    "while you were editing. Nothing was saved; check it and try again."
                )
                % {"version": current_version}
            )
        if details is None:
            assert latest is not None  # noqa: S101 - checked by the caller
            consent = Consent.objects.create(
                case=case,
                version=current_version + 1,
                withdrawn=True,
                given_by=latest.given_by,
                method=latest.method,
                given_at=timezone.now(),
                recorded_by=acting_user,
            )
        else:
            consent = Consent.objects.create(
                case=case,
                version=current_version + 1,
                given_by=details.given_by,
                given_by_name=details.given_by_name,
                assent_reason=details.assent_reason,
                method=details.method,
                given_at=details.given_at,
                case_management=details.case_management,
                referrals=details.referrals,
                data_sharing=details.data_sharing,
                share_with_others=details.share_with_others,
                shared_fields=details.shared_fields,
                safe_contact_methods=details.safe_contact_methods,
                contact_restrictions=details.contact_restrictions,
                recorded_by=acting_user,
            )
            consent.share_with.set(details.share_with)
        record_event(
            AuditEventType.CONSENT_WITHDRAWN
            if details is None
            else AuditEventType.CONSENT_RECORDED,
            actor=acting_user,
            target=case,
            agency=case.agency,
            fields=["consent"],
            detail={"version": consent.version},
        )
    return consent


# Completing the intake -----------------------------------------------------------------------


def intake_blockers(case: Case) -> list[str]:
    """What still stops the case from leaving intake, in words for the caseworker."""
    blockers = []
    consent = current_consent(case)
    if consent is None:
        blockers.append(_("Record the service user's informed consent (or assent)."))
    elif not consent.allows(Purpose.CASE_MANAGEMENT):
        blockers.append(_("The current consent does not cover case management."))
    screening = getattr(case, "screening", None)
    if screening is None:
        blockers.append(_("The intake screening is missing."))
    elif screening.eligibility != Eligibility.ELIGIBLE:
        blockers.append(_("The person is not eligible for PCM."))
    elif screening.blocks_progress:
        blockers.append(
            _("A child or GBV survivor's case needs the supervisor's approved exception.")
        )
    return blockers


def do_complete_intake(case: Case, *, expected_version: int, acting_user: User) -> Case:
    """Intake done (consent recorded, eligible, safeguards cleared): on to the assessment."""
    _require_case_worker(case, acting_user)
    if case.status != CaseStatus.INTAKE:
        raise ActionRefused(_("This case has already left intake."))
    blockers = intake_blockers(case)
    if blockers:
        raise ActionRefused(" ".join(blockers))
    with transaction.atomic(durable=True):
        return workflow.move_case(
            case,
            to=CaseStatus.ASSESSMENT,
            acting_user=acting_user,
            expected_version=expected_version,
        )


# Household -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberDetails:
    name: str
    relationship: str
    age: int | None
    sex: str
    at_risk: bool
    note: str = ""
    own_case: Case | None = None


def do_add_household_member(
    case: Case, details: MemberDetails, *, acting_user: User
) -> HouseholdMember:
    _require_case_worker(case, acting_user)
    if (
        details.own_case is not None
        and not policy.cases_visible_to(acting_user).filter(pk=details.own_case.pk).exists()
    ):
        raise ActionRefused(_("You can only link a case you can see."))
    with transaction.atomic(durable=True):
        member = HouseholdMember.objects.create(
            case=case,
            name=details.name,
            relationship=details.relationship,
            age=details.age,
            sex=details.sex,
            at_risk=details.at_risk,
            note=details.note,
            own_case=details.own_case,
        )
        record_event(
            AuditEventType.RECORD_CREATED,
            actor=acting_user,
            target=member,
            agency=case.agency,
            fields=["name", "relationship", "age", "sex", "at_risk"],
        )
    return member


def do_remove_household_member(member: HouseholdMember, *, acting_user: User) -> None:
    _require_case_worker(member.case, acting_user)
    with transaction.atomic(durable=True):
        record_event(
            AuditEventType.RECORD_DELETED,
            actor=acting_user,
            target=member,
            agency=member.case.agency,
        )
        member.delete()
