"""Anonymising closed cases once the agency's retention period has passed.

`anonymise_case` erases every identifying and free-text field of one finished case (see
`pcm.retention.coverage` for the records it reaches), and of its service user once none of
their cases keeps them identified. What statistics count stays: sex, the year of birth and the
age at registration, displacement status, location, risk level and risk types, steps, dates,
closure criteria, amounts and the satisfaction surveys (which were never linked to a case).

The date of birth becomes 1 July of the birth year — or 1 January or 31 December of it, where
1 July would change the age the person had when they were registered — and is marked estimated.

`apply_retention` anonymises, each in its own transaction, every case that finished longer ago
than its agency's retention period (`Agency.retention_months`, 1 to 120 months; a value outside
that range, which the settings page cannot save, counts as the default of 24 months). A case
finished without a closure date (`Case.closed_at`) is never due. Safe to run again: anonymised
cases are skipped, and anonymising one twice changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pcm.accounts.models import Agency
from pcm.audit.actions import record_event
from pcm.cases.intake import ContactRecord
from pcm.cases.models import FINISHED_STATUSES, Case, CaseQuerySet
from pcm.core.errors import ActionRefused
from pcm.people.models import Person
from pcm.retention.coverage import (
    CASE_RECORDS,
    PERSON_DELETED,
    PERSON_RECORDS,
    Records,
    erased_values,
)
from pcm.retention.models import (
    DEFAULT_RETENTION_MONTHS,
    MAX_RETENTION_MONTHS,
    MIN_RETENTION_MONTHS,
    AnonymisationReason,
    RetentionEvent,
    RetentionRun,
)

if TYPE_CHECKING:
    from pcm.accounts.models import User

logger = logging.getLogger(__name__)


# --- The retention period -------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """MOMENT moved back by MONTHS calendar months (the day clamped to the month's length)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - date(year, month, 1)).days
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def retention_months(agency: Agency) -> int:
    """The agency's retention period, or the default when the stored value is out of range."""
    months = agency.retention_months
    if MIN_RETENTION_MONTHS <= months <= MAX_RETENTION_MONTHS:
        return months
    return DEFAULT_RETENTION_MONTHS


def due_cases(agency: Agency, now: datetime) -> CaseQuerySet:
    """AGENCY's cases that finished longer ago than its retention period, not yet anonymised."""
    cutoff = months_before(now, retention_months(agency))
    return Case.objects.filter(
        agency=agency,
        status__in=FINISHED_STATUSES,
        anonymised_at__isnull=True,
        closed_at__isnull=False,
        closed_at__lte=cutoff,
    )


def _is_due(case: Case, now: datetime) -> bool:
    return (
        case.status in FINISHED_STATUSES
        and case.closed_at is not None
        and case.closed_at <= months_before(now, retention_months(case.agency))
    )


# --- Anonymising one case -------------------------------------------------------------------


def generalised_birth_date(born: date, registered_on: date) -> date:
    """1 July of BORN's year, or 1 January / 31 December of it, keeping the age on REGISTERED_ON.

    The age in whole years on a given day is one of two values for a year of birth: 1 January
    gives the higher, 31 December the lower. Idempotent: the result depends only on the year
    and that age.
    """

    def age(birthday: date) -> int:
        return (
            registered_on.year
            - birthday.year
            - ((registered_on.month, registered_on.day) < (birthday.month, birthday.day))
        )

    wanted = age(born)
    for candidate in (date(born.year, 7, 1), date(born.year, 1, 1), date(born.year, 12, 31)):
        if age(candidate) == wanted:
            return candidate
    return date(born.year, 7, 1)  # a birth date after registration: keep only the year


def _erase(records: Iterable[Records], owner_pk: int) -> None:
    for entry in records:
        values = erased_values(entry.model)
        if values:
            entry.rows_of(owner_pk).update(**values)


def _destroy_attachments(case: Case, actor: User | None) -> None:
    from pcm.retention import hooks

    hooks.destroy_case_attachments(case, actor)


def _forget_feedback(case_id: int) -> None:
    from pcm.retention import hooks

    hooks.forget_case_feedback(case_id)


@dataclass(frozen=True)
class Anonymised:
    case_id: int
    # False when the case had already been anonymised (nothing new was recorded).
    case_newly: bool
    # True when this call anonymised the service user too.
    person_newly: bool
    # The service user is (now or already) anonymised.
    person_anonymised: bool


def anonymise_case(case: Case, actor: User | None, reason: AnonymisationReason) -> Anonymised:
    """Erase the identifying and free-text content of finished CASE, in one transaction.

    The service user is anonymised too once all their cases are. ACTOR is None for the
    scheduled run. Refused for an open case. Running it again changes nothing more.
    """
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("agency").get(pk=case.pk)
        if locked.is_open:
            raise ActionRefused(
                _("Case %(number)s is open: only a closed case can be anonymised. Close it first.")
                % {"number": locked.number}
            )
        _erase(CASE_RECORDS, locked.pk)
        _destroy_attachments(locked, actor)
        _forget_feedback(locked.pk)
        case_newly = locked.anonymised_at is None
        if case_newly:
            Case.objects.filter(pk=locked.pk).update(
                anonymised_at=timezone.now(), version=F("version") + 1
            )
            record_event(
                RetentionEvent.CASE_ANONYMISED,
                actor=actor,
                target=locked,
                agency=locked.agency,
                detail={"reason": reason.value},
            )
        person_newly, person_done = _anonymise_person_if_no_case_left(
            locked.person_id, actor=actor, reason=reason
        )
    case.refresh_from_db()
    return Anonymised(
        case_id=case.pk,
        case_newly=case_newly,
        person_newly=person_newly,
        person_anonymised=person_done,
    )


def _anonymise_person_if_no_case_left(
    person_id: int, *, actor: User | None, reason: AnonymisationReason
) -> tuple[bool, bool]:
    """Anonymise the person when none of their cases is left identified: (newly, done)."""
    person = Person.objects.select_for_update().select_related("agency").get(pk=person_id)
    if Case.objects.filter(person_id=person_id, anonymised_at__isnull=True).exists():
        return False, False
    _erase(PERSON_RECORDS, person.pk)
    for entry in PERSON_DELETED:
        entry.rows_of(person.pk).delete()
    born = person.date_of_birth
    if born is not None:
        registered_on = timezone.localdate(person.registered_at)
        Person.objects.filter(pk=person.pk).update(
            date_of_birth=generalised_birth_date(born, registered_on),
            date_of_birth_is_estimated=True,
        )
    newly = person.anonymised_at is None
    if newly:
        Person.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
        record_event(
            RetentionEvent.PERSON_ANONYMISED,
            actor=actor,
            target=person,
            agency=person.agency,
            detail={"reason": reason.value},
        )
    return newly, True


# --- The retention run ----------------------------------------------------------------------


@dataclass
class AgencyReport:
    """Counts for one agency; no names, no case numbers."""

    agency_id: int
    agency_code: str
    retention_months: int
    cases_due: int = 0
    cases_anonymised: int = 0
    cases_failed: int = 0
    people_anonymised: int = 0
    people_kept: int = 0
    contact_records: int = 0
    run_id: int | None = None

    def as_detail(self) -> dict[str, int]:
        return {
            "retention_months": self.retention_months,
            "cases_due": self.cases_due,
            "cases_anonymised": self.cases_anonymised,
            "cases_failed": self.cases_failed,
            "people_anonymised": self.people_anonymised,
            "people_kept": self.people_kept,
            "contact_records": self.contact_records,
        }


@dataclass
class RetentionReport:
    dry_run: bool
    started_at: datetime
    agencies: list[AgencyReport] = field(default_factory=list)

    @property
    def cases_anonymised(self) -> int:
        return sum(report.cases_anonymised for report in self.agencies)

    @property
    def cases_due(self) -> int:
        return sum(report.cases_due for report in self.agencies)

    @property
    def cases_failed(self) -> int:
        return sum(report.cases_failed for report in self.agencies)

    def lines(self) -> list[str]:
        """One line per agency, for the command's output and the log: counts only."""
        found = []
        for report in self.agencies:
            verb = "would be" if self.dry_run else "were"
            found.append(
                f"{report.agency_code}: retention {report.retention_months} months; "
                f"{report.cases_due} cases due, {report.cases_anonymised} {verb} anonymised, "
                f"{report.cases_failed} failed; {report.people_anonymised} service users "
                f"{verb} anonymised, {report.people_kept} kept for a case still held; "
                f"{report.contact_records} contact records {verb} emptied."
            )
        return found


def _contact_records_due(agency: Agency, now: datetime) -> int:
    cutoff = months_before(now, retention_months(agency))
    records = ContactRecord.objects.filter(agency=agency, recorded_at__lte=cutoff).exclude(given="")
    return records.count()


def preview(agency: Agency, now: datetime | None = None) -> AgencyReport:
    """What a run would do in AGENCY now, changing nothing (counts only)."""
    now = now or timezone.now()
    report = AgencyReport(agency.pk, agency.code, retention_months(agency))
    due = due_cases(agency, now)
    people = set(due.values_list("person_id", flat=True))
    report.cases_due = report.cases_anonymised = due.count()
    # Subqueries rather than lists of ids: the first run of a large agency may find many.
    others = (
        Case.objects.filter(person_id__in=due.values("person_id"), anonymised_at__isnull=True)
        .exclude(pk__in=due.values("pk"))
        .values_list("person_id", "status", "closed_at", "agency_id")
    )
    periods = {item.pk: item for item in Agency.objects.all()}
    held = set()
    for person_id, status, closed_at, agency_id in others.iterator(chunk_size=2000):
        other = Case(status=status, closed_at=closed_at, agency=periods[agency_id])
        if not _is_due(other, now):
            held.add(person_id)
    already = set(
        Person.objects.filter(
            pk__in=due.values("person_id"), anonymised_at__isnull=False
        ).values_list("pk", flat=True)
    )
    report.people_kept = len(people & held)
    report.people_anonymised = len(people - held - already)
    report.contact_records = _contact_records_due(agency, now)
    return report


def _run_agency(agency: Agency, now: datetime, actor: User | None) -> AgencyReport:
    report = AgencyReport(agency.pk, agency.code, retention_months(agency))
    run = RetentionRun.objects.create(
        agency=agency, started_at=now, started_by=actor, retention_months=report.retention_months
    )
    report.run_id = run.pk
    kept: set[int] = set()
    done: set[int] = set()
    # The ids first: the rows change while the run goes through them.
    for case_id in list(
        due_cases(agency, now).order_by("closed_at", "pk").values_list("pk", flat=True)
    ):
        report.cases_due += 1
        case = Case.objects.get(pk=case_id)
        try:
            result = anonymise_case(case, actor, AnonymisationReason.RETENTION)
        except Exception as error:  # one bad case must not stop the others
            report.cases_failed += 1
            # The type and the case id only: an exception's text could hold personal data.
            logger.error("retention: case %s not anonymised (%s)", case.pk, type(error).__name__)
            continue
        report.cases_anonymised += int(result.case_newly)
        if result.person_newly:
            report.people_anonymised += 1
        if result.person_anonymised:
            done.add(case.person_id)
        else:
            kept.add(case.person_id)
    report.people_kept = len(kept - done)
    cutoff = months_before(now, report.retention_months)
    with transaction.atomic():
        report.contact_records = (
            ContactRecord.objects.filter(agency=agency, recorded_at__lte=cutoff)
            .exclude(given="")
            .update(given="")
        )
        RetentionRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(),
            cases_due=report.cases_due,
            cases_anonymised=report.cases_anonymised,
            cases_failed=report.cases_failed,
            people_anonymised=report.people_anonymised,
            people_kept=report.people_kept,
            contact_records_erased=report.contact_records,
        )
        record_event(
            RetentionEvent.RETENTION_APPLIED,
            actor=actor,
            target=run,
            agency=agency,
            detail=report.as_detail(),
        )
    return report


def apply_retention(
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    actor: User | None = None,
    agencies: Iterable[Agency] | None = None,
) -> RetentionReport:
    """Anonymise every case past its agency's retention period (each case on its own)."""
    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run, started_at=now)
    chosen = list(agencies) if agencies is not None else list(Agency.objects.order_by("code"))
    for agency in chosen:
        if dry_run:
            report.agencies.append(preview(agency, now))
        else:
            report.agencies.append(_run_agency(agency, now, actor))
    for line in report.lines():
        logger.info("retention: %s", line)
    return report


def last_run(agency: Agency) -> RetentionRun | None:
    return (
        RetentionRun.objects.filter(agency=agency, finished_at__isnull=False)
        .select_related("started_by")
        .order_by("-started_at", "-id")
        .first()
    )
