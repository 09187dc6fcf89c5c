"""anonymise_case: every identifying and free-text value goes, the statistics stay."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from pcm.attachments.models import Attachment
from pcm.audit.models import AuditEvent
from pcm.cases.household import HouseholdMember
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.core.errors import ActionRefused
from pcm.people.models import DuplicateFlag, Person, PersonToken, Sex
from pcm.retention.anonymise import anonymise_case, generalised_birth_date
from pcm.retention.coverage import CASE_RECORDS, encrypted_field_names
from pcm.retention.models import AnonymisationReason, RetentionEvent
from pcm.retention.statistics import age_group_at_registration, kept_statistics
from pcm.retention.tests.conftest import SECRET
from pcm.vault.fields import encrypted_fields

RETENTION = AnonymisationReason.RETENTION


def secrets_left() -> list[str]:
    """Every encrypted value of every model, anywhere in the database, that holds a secret."""
    found = []
    for field in encrypted_fields():
        model = field.model
        for pk, value in model._default_manager.values_list("pk", field.name):
            if value and SECRET in value:
                found.append(f"{model._meta.label}.{field.name} #{pk}")
    return found


def statistics(cases) -> Counter[tuple[object, ...]]:
    """What MEAL counts: sex, age group, displacement, location, risk, status, dates, risks."""
    rows: Counter[tuple[object, ...]] = Counter()
    for case in Case.objects.filter(pk__in=[case.pk for case in cases]).select_related("person"):
        stats = kept_statistics(case)
        rows[
            (
                case.person.sex,
                age_group_at_registration(case.person),
                case.person.displacement_status,
                case.person.location_id,
                case.risk_level,
                case.status,
                case.opened_at,
                case.closed_at,
                tuple(stats.risk_types),
                stats.closure_criterion,
            )
        ] += 1
    return rows


def test_every_encrypted_field_of_the_case_and_person_is_erased(rich_case, data_dir: Path):
    assert len(secrets_left()) > 40  # the fixture filled them all
    anonymise_case(rich_case, None, RETENTION)
    assert secrets_left() == []
    # Scanned field by field through the coverage too: all empty.
    for entry in CASE_RECORDS:
        for name in encrypted_field_names(entry.model):
            values = set(entry.rows_of(rich_case.pk).values_list(name, flat=True))
            assert values <= {""}, f"{entry.label}.{name}"
    person = Person.objects.get(pk=rich_case.person_id)
    assert (person.given_name, person.family_name, person.phone) == ("", "", "")
    assert (person.address, person.id_document_number, person.languages) == ("", "", [])


def test_plain_free_text_links_tokens_flags_and_files_go_too(rich_case, data_dir: Path):
    person_id = rich_case.person_id
    assert PersonToken.objects.filter(person_id=person_id).exists()
    files = list((data_dir / "attachments").iterdir())
    assert files
    anonymise_case(rich_case, None, RETENTION)
    assert not PersonToken.objects.filter(person_id=person_id).exists()
    assert not DuplicateFlag.objects.filter(person_id=person_id).exists()
    assert rich_case.consents.get().share_with_others == ""
    assert HouseholdMember.objects.get(case=rich_case).own_case is None
    assert not any(path.exists() for path in files)
    attachment = Attachment.objects.get(case=rich_case)
    assert attachment.is_deleted and attachment.title == "" and attachment.original_name == ""


def test_no_secret_is_left_in_any_table_in_clear(rich_case, data_dir: Path):
    """The raw rows of every table, read with SQL: no secret left, encrypted or in clear."""

    def raw_rows() -> str:
        found = []
        with connection.cursor() as cursor:
            for model in apps.get_models():
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from models
                found.append(repr(cursor.fetchall()))
        return "".join(found)

    assert SECRET in raw_rows()  # the plain "other organisations" of the consent
    anonymise_case(rich_case, None, RETENTION)
    assert SECRET not in raw_rows()


def test_statistics_are_kept(rich_case, make_closed_case, personas):
    others = [
        make_closed_case(risk_level=RiskLevel.LOW),
        make_closed_case(personas.other_caseworker, risk_level=RiskLevel.HIGH),
    ]
    cases = [rich_case, *others]
    before = statistics(cases)
    support = list(rich_case.support.values_list("support_type", "amount", "currency", "given_on"))
    household = list(HouseholdMember.objects.filter(case=rich_case).values_list("age", "sex"))
    for case in cases:
        anonymise_case(case, None, RETENTION)
    assert statistics(cases) == before
    stats = kept_statistics(Case.objects.get(pk=rich_case.pk))
    assert stats.risk_types and stats.closure_criterion
    assert stats.sex == str(Sex.FEMALE.label)
    assert (
        list(rich_case.support.values_list("support_type", "amount", "currency", "given_on"))
        == support
    )
    assert list(HouseholdMember.objects.filter(case=rich_case).values_list("age", "sex")) == (
        household
    )


@pytest.mark.parametrize(
    ("born", "registered", "expected"),
    [
        (date(1990, 5, 17), date(2024, 8, 1), date(1990, 7, 1)),  # 34 either way
        (date(1990, 5, 17), date(2024, 6, 1), date(1990, 1, 1)),  # 34 on 1 June: not 1 July
        (date(1990, 9, 17), date(2024, 8, 1), date(1990, 12, 31)),  # 33 on 1 August: not July
        (date(1990, 9, 17), date(2024, 6, 1), date(1990, 7, 1)),  # 33: 1 July works
        (date(1990, 3, 17), date(2024, 3, 1), date(1990, 7, 1)),  # 33 either way
        (date(1990, 12, 31), date(2024, 12, 31), date(1990, 7, 1)),
    ],
)
def test_the_birth_date_keeps_the_year_and_the_age_at_registration(
    born: date, registered: date, expected: date
) -> None:
    generalised = generalised_birth_date(born, registered)
    assert generalised == expected

    def age(day: date) -> int:
        return (
            registered.year - day.year - ((registered.month, registered.day) < (day.month, day.day))
        )

    assert age(generalised) == age(born)
    assert generalised_birth_date(generalised, registered) == generalised  # idempotent


def test_the_birth_date_becomes_an_estimate(rich_case):
    Person.objects.filter(pk=rich_case.person_id).update(
        date_of_birth=date(2007, 12, 1),
        registered_at=datetime(2025, 10, 15, 12, tzinfo=UTC),
    )
    person = Person.objects.get(pk=rich_case.person_id)
    group = age_group_at_registration(person)
    assert group == "0-17"
    anonymise_case(rich_case, None, RETENTION)
    person.refresh_from_db()
    assert person.date_of_birth is not None and person.date_of_birth.year == 2007
    assert person.date_of_birth != date(2007, 12, 1)
    assert person.date_of_birth_is_estimated
    assert age_group_at_registration(person) == group


def test_a_person_with_another_case_not_due_keeps_their_identity(
    make_closed_case, case_for, personas
):
    closed = make_closed_case()
    person = closed.person
    still_open = case_for(personas.caseworker, person=person, status=CaseStatus.PLANNING)
    result = anonymise_case(closed, None, RETENTION)
    assert result.case_newly and not result.person_anonymised
    person.refresh_from_db()
    assert person.given_name.startswith("Given") and person.anonymised_at is None
    assert PersonToken.objects.filter(person=person).exists()
    # Once the other case is closed and anonymised too, the person goes.
    Case.objects.filter(pk=still_open.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    still_open.refresh_from_db()
    result = anonymise_case(still_open, None, RETENTION)
    assert result.person_newly and result.person_anonymised
    person.refresh_from_db()
    assert person.given_name == "" and person.anonymised_at is not None
    assert not PersonToken.objects.filter(person=person).exists()


def test_anonymising_twice_changes_nothing_more(rich_case):
    first = anonymise_case(rich_case, None, RETENTION)
    assert first.case_newly and first.person_newly
    case = Case.objects.get(pk=rich_case.pk)
    person = Person.objects.get(pk=rich_case.person_id)
    events = AuditEvent.objects.count()
    second = anonymise_case(case, None, RETENTION)
    assert not second.case_newly and not second.person_newly and second.person_anonymised
    again = Case.objects.get(pk=rich_case.pk)
    assert (again.anonymised_at, again.version) == (case.anonymised_at, case.version)
    person_again = Person.objects.get(pk=person.pk)
    assert person_again.anonymised_at == person.anonymised_at
    assert person_again.date_of_birth == person.date_of_birth
    assert AuditEvent.objects.count() == events
    assert secrets_left() == []


def test_an_open_case_is_never_anonymised(case_for, personas):
    case = case_for(personas.caseworker, status=CaseStatus.IMPLEMENTATION)
    with pytest.raises(ActionRefused, match="open"):
        anonymise_case(case, None, RETENTION)
    case.refresh_from_db()
    assert case.anonymised_at is None


def test_audit_events_name_the_case_and_hold_no_erased_value(rich_case, personas):
    person = Person.objects.get(pk=rich_case.person_id)
    erased = [person.given_name, person.family_name, person.phone, person.address]
    assert all(SECRET in value for value in erased)
    before = AuditEvent.objects.count()
    anonymise_case(rich_case, personas.manager, AnonymisationReason.ERASURE)
    events = list(AuditEvent.objects.order_by("id")[before:])
    case_events = [e for e in events if e.event_type == RetentionEvent.CASE_ANONYMISED]
    assert len(case_events) == 1
    event = case_events[0]
    assert (event.target_type, event.target_id) == ("cases.case", str(rich_case.pk))
    assert event.detail == {"reason": "erasure"}
    assert any(e.event_type == RetentionEvent.PERSON_ANONYMISED for e in events)
    for event in events:
        text = repr((event.fields, event.detail, event.target_id, event.target_type))
        assert SECRET not in text
        assert not any(value in text for value in erased)
