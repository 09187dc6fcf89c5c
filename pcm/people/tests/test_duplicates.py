"""Possible duplicates: flagged at registration through blind indexes, shown only to users who
may see both records, resolved by linking or dismissing."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases.models import Case
from pcm.cases.taxonomy import RiskType
from pcm.locations.models import Location
from pcm.people.actions import PersonDetails, register_person
from pcm.people.duplicates import new_flags, open_flags_visible_to
from pcm.people.models import DuplicateFlag, DuplicateReason, DuplicateStatus, Person
from pcm.vault import crypto

REGISTER = reverse("cases:register")
DUPLICATES = reverse("people:duplicates")


@pytest.fixture
def mosul(db) -> Location:
    country = Location.objects.create(pcode="IQ", name="Iraq", level=0)
    return Location.objects.create(pcode="IQG15", name="Ninewa", level=1, parent=country)


@pytest.fixture
def erbil(mosul) -> Location:
    return Location.objects.create(pcode="IQG11", name="Erbil", level=1, parent=mosul.parent)


def existing(case_for, owner, location=None, **fields) -> Case:
    """A case of OWNER whose person has FIELDS (name, date of birth, phone...)."""
    case: Case = case_for(owner)
    person = case.person
    defaults = {"given_name": "Mohammed", "family_name": "Al-Jubouri", "phone": ""}
    for name, value in {**defaults, **fields}.items():
        setattr(person, name, value)
    person.location = location
    person.save()
    return case


def register(client, location=None, **overrides) -> Case:
    risk = (
        RiskType.objects.filter(code="PAF-11", agency__code="APN")
        .values_list("pk", flat=True)
        .get()
    )
    data = {
        "step": "register",
        "decision": "open",
        "risk_types": [risk],
        "eligibility": "eligible",
        "eligibility_reason": "Threatened by a neighbour; meets the violence criteria.",
        "given_name": "Muhammad",
        "family_name": "Aljubouri",
        "sex": "male",
        "date_of_birth": "1990-06-01",
        "estimated_age": "",
        "phone": "",
        "location": location.pk if location else "",
        "displacement_status": "idp",
        "risk_level": "medium",
        **overrides,
    }
    response = client.post(REGISTER, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.order_by("-pk")[0]


def test_same_name_in_another_spelling_close_birth_same_place_is_flagged(
    personas, case_for, client_for, mosul
):
    earlier = existing(case_for, personas.caseworker, mosul, date_of_birth=date(1989, 1, 1))
    later = register(client_for(personas.caseworker), mosul)
    flag = DuplicateFlag.objects.get()
    assert (flag.person, flag.candidate) == (later.person, earlier.person)
    assert flag.reason == DuplicateReason.NAME_DOB_LOCATION
    assert flag.status == DuplicateStatus.OPEN
    assert flag.agency == personas.agency
    event = AuditEvent.objects.get(event_type=AuditEventType.RECORD_CREATED, target_id=flag.pk)
    assert event.detail == {
        "person": later.person.pk,
        "candidate": earlier.person.pk,
        "reason": "name_dob_location",
    }


def test_an_arabic_registration_of_a_latin_name_is_flagged(personas, case_for, client_for, mosul):
    earlier = existing(case_for, personas.caseworker, mosul, date_of_birth=date(1990, 1, 1))
    later = register(
        client_for(personas.caseworker), mosul, given_name="محمد", family_name="الجبوري"
    )
    assert DuplicateFlag.objects.filter(person=later.person, candidate=earlier.person).exists()


@pytest.mark.parametrize(
    "difference",
    [
        {"date_of_birth": date(1987, 1, 1)},  # more than two years apart
        {"given_name": "Zainab"},  # another name
        {"location": "erbil"},  # another place
    ],
)
def test_a_different_person_is_not_flagged(
    personas, case_for, client_for, mosul, erbil, difference
):
    fields = {"date_of_birth": date(1990, 1, 1), **difference}
    location = erbil if fields.pop("location", None) == "erbil" else mosul
    existing(case_for, personas.caseworker, location, **fields)
    register(client_for(personas.caseworker), mosul)
    assert not DuplicateFlag.objects.exists()


def test_the_same_phone_number_is_flagged_however_it_is_written(personas, case_for, client_for):
    earlier = existing(
        case_for, personas.caseworker, given_name="Zainab", phone="+964 750 123 4567"
    )
    later = register(client_for(personas.caseworker), phone="0750 123 4567")
    flag = DuplicateFlag.objects.get()
    assert (flag.person, flag.candidate, flag.reason) == (
        later.person,
        earlier.person,
        DuplicateReason.PHONE,
    )


def test_unknown_dates_of_birth_and_places_match_each_other(personas, case_for):
    earlier = existing(case_for, personas.caseworker, date_of_birth=None)
    details = PersonDetails(
        given_name="Muhammad",
        family_name="Al Jubouri",
        sex="male",
        date_of_birth=None,
        date_of_birth_is_estimated=False,
        phone="",
        location=None,
        displacement_status="idp",
    )
    later = register_person(details, acting_user=personas.caseworker)
    assert DuplicateFlag.objects.get().candidate == earlier.person
    assert DuplicateFlag.objects.get().person == later


def test_another_agency_is_never_compared(personas, case_for, client_for, mosul):
    existing(
        case_for, personas.outsider, mosul, date_of_birth=date(1990, 1, 1), phone="0750 1234567"
    )
    register(client_for(personas.caseworker), mosul, phone="0750 1234567")
    assert not DuplicateFlag.objects.exists()


def test_finding_candidates_decrypts_nobody(personas, case_for, mosul, monkeypatch):
    for _ in range(3):
        existing(case_for, personas.caseworker, mosul, date_of_birth=date(1990, 1, 1))
    person = existing(case_for, personas.caseworker, mosul, date_of_birth=date(1991, 1, 1)).person
    person = Person.objects.get(pk=person.pk)  # its own fields are read before counting
    _ = (person.given_name, person.family_name, person.phone)
    calls: list[str] = []
    real = crypto.decrypt_text

    def counting(token: str, context: str) -> str:
        calls.append(context)
        return real(token, context)

    monkeypatch.setattr(crypto, "decrypt_text", counting)
    assert len(new_flags(person)) == 3
    assert calls == []


def test_a_flag_is_made_once_per_pair(personas, case_for, mosul):
    earlier = existing(case_for, personas.caseworker, mosul, date_of_birth=date(1990, 1, 1))
    later = existing(case_for, personas.caseworker, mosul, date_of_birth=date(1990, 1, 1))
    DuplicateFlag.objects.create(
        agency=personas.agency,
        person=later.person,
        candidate=earlier.person,
        reason=DuplicateReason.NAME_DOB_LOCATION,
    )
    assert new_flags(later.person) == []
    assert new_flags(earlier.person) == []


# Who sees a flag ------------------------------------------------------------------------------


@pytest.fixture
def hidden_pair(personas, case_for, client_for, mosul):
    """Layla registers the person Karim (another team) already holds: same phone."""
    colleague = existing(
        case_for, personas.other_caseworker, mosul, given_name="Qamar", phone="0750 999 8888"
    )
    mine = register(client_for(personas.caseworker), mosul, phone="+964 750 999 8888")
    assert DuplicateFlag.objects.count() == 1
    return mine, colleague


def test_a_flag_is_hidden_from_whoever_cannot_see_both_records(personas, client_for, hidden_pair):
    mine, colleague = hidden_pair
    for user in (personas.caseworker, personas.supervisor, personas.other_caseworker):
        assert not open_flags_visible_to(user).exists()
        client = client_for(user)
        own = mine if user != personas.other_caseworker else colleague
        page = client.get(reverse("cases:detail", args=[own.public_id])).content.decode()
        listing = client.get(DUPLICATES).content.decode()
        for body in (page, listing):
            assert "duplicate-notice" not in body
            assert mine.number not in body or own == mine
            assert colleague.number not in body or own == colleague
            assert "Qamar" not in body or own == colleague
        assert "No possible duplicate to review." in listing
        assert DUPLICATES not in page  # not even the menu item
    assert open_flags_visible_to(personas.manager).count() == 1


def test_the_manager_who_sees_both_is_told_on_both_case_pages(personas, client_for, hidden_pair):
    mine, colleague = hidden_pair
    client = client_for(personas.manager)
    for case, other in ((mine, colleague), (colleague, mine)):
        body = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "duplicate-notice" in body
        assert other.number in body
        assert DUPLICATES in body  # the notice and the menu item
    listing = client.get(DUPLICATES).content.decode()
    assert mine.number in listing and colleague.number in listing
    assert "Qamar" not in listing  # a manager sees no names by default
    assert "0750 999 8888" not in listing


@pytest.fixture
def visible_pair(personas, case_for, client_for, mosul):
    earlier = existing(case_for, personas.caseworker, mosul, date_of_birth=date(1990, 2, 2))
    later = register(client_for(personas.caseworker), mosul)
    return later, earlier, DuplicateFlag.objects.get()


def test_the_caseworker_who_holds_both_reviews_them(personas, client_for, visible_pair):
    later, earlier, _flag = visible_pair
    client = client_for(personas.caseworker)
    body = client.get(reverse("cases:detail", args=[later.public_id])).content.decode()
    assert "duplicate-notice" in body and earlier.number in body
    listing = client.get(DUPLICATES).content.decode()
    assert later.number in listing and earlier.number in listing
    assert "Mohammed Al-Jubouri" in listing and "Muhammad Aljubouri" in listing


def test_linking_records_the_same_person_on_both_case_pages(personas, client_for, visible_pair):
    later, earlier, flag = visible_pair
    client = client_for(personas.supervisor)
    url = reverse("people:resolve_duplicate", args=[flag.public_id])
    response = client.post(url, {"decision": "link", "note": ""})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.LINKED
    assert flag.resolved_by == personas.supervisor and flag.resolved_at is not None
    event = AuditEvent.objects.get(event_type=AuditEventType.RECORD_CHANGED, target_id=flag.pk)
    assert event.fields == ["status"] and event.detail == {"status": "linked"}
    for case, other in ((later, earlier), (earlier, later)):
        body = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        assert "also-registered" in body and other.number in body
        assert "duplicate-notice" not in body
    assert "No possible duplicate to review." in client.get(DUPLICATES).content.decode()


def test_a_linked_registration_is_not_shown_to_who_cannot_see_it(personas, client_for, hidden_pair):
    mine, colleague = hidden_pair
    flag = DuplicateFlag.objects.get()
    url = reverse("people:resolve_duplicate", args=[flag.public_id])
    assert client_for(personas.manager).post(url, {"decision": "link"}).status_code == 302
    body = client_for(personas.caseworker).get(reverse("cases:detail", args=[mine.public_id]))
    assert colleague.number not in body.content.decode()
    assert "also-registered" not in body.content.decode()


def test_dismissing_keeps_the_note_encrypted_and_out_of_the_audit(
    personas, client_for, visible_pair
):
    later, _earlier, flag = visible_pair
    client = client_for(personas.caseworker)
    note = "Cousins: same name, she knows both."
    url = reverse("people:resolve_duplicate", args=[flag.public_id])
    assert client.post(url, {"decision": "dismiss", "note": note}).status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.resolution_note) == (DuplicateStatus.DISMISSED, note)
    with connection.cursor() as cursor:
        cursor.execute("SELECT resolution_note FROM people_duplicateflag WHERE id = %s", [flag.pk])
        assert "Cousins" not in cursor.fetchone()[0]
    event = AuditEvent.objects.get(event_type=AuditEventType.RECORD_CHANGED, target_id=flag.pk)
    assert "Cousins" not in str(event.detail) and event.fields == ["resolution_note", "status"]
    body = client.get(reverse("cases:detail", args=[later.public_id])).content.decode()
    assert "duplicate-notice" not in body and "also-registered" not in body
    assert DUPLICATES not in body  # no open flag left: no menu item


def test_a_flag_resolved_meanwhile_is_not_resolved_again(personas, client_for, visible_pair):
    _later, _earlier, flag = visible_pair
    url = reverse("people:resolve_duplicate", args=[flag.public_id])
    client_for(personas.supervisor).post(url, {"decision": "dismiss"})
    response = client_for(personas.caseworker).post(url, {"decision": "link"}, follow=True)
    assert "Someone already resolved this possible duplicate" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.DISMISSED and flag.resolved_by == personas.supervisor


def test_a_decision_is_required(personas, client_for, visible_pair):
    _later, _earlier, flag = visible_pair
    url = reverse("people:resolve_duplicate", args=[flag.public_id])
    response = client_for(personas.caseworker).post(url, {"decision": "merge", "note": "x"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.OPEN


def test_a_flag_out_of_view_answers_as_if_it_did_not_exist(personas, client_for, hidden_pair):
    flag = DuplicateFlag.objects.get()
    url = reverse("people:resolve_duplicate", args=[flag.public_id])
    for user in (personas.caseworker, personas.supervisor, personas.outsider_manager):
        assert client_for(user).post(url, {"decision": "dismiss"}).status_code == 404
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.OPEN


def test_correcting_a_phone_number_flags_the_new_match(personas, case_for, client_for):
    earlier = existing(case_for, personas.caseworker, given_name="Zainab", phone="0750 555 4444")
    case = existing(case_for, personas.caseworker, given_name="Huda", phone="0770 000 0000")
    assert not DuplicateFlag.objects.exists()
    person = case.person
    data = {
        "given_name": "Huda",
        "family_name": person.family_name,
        "sex": person.sex,
        "date_of_birth": str(person.date_of_birth),
        "phone": "+964 750 555 4444",
        "displacement_status": person.displacement_status,
        "version": person.version,
    }
    url = reverse("cases:edit_person", args=[case.public_id])
    assert client_for(personas.caseworker).post(url, data).status_code == 302
    flag = DuplicateFlag.objects.get()
    assert (flag.person, flag.candidate, flag.reason) == (person, earlier.person, "phone")


def test_the_menu_shows_duplicates_only_while_some_are_open(personas, client_for, visible_pair):
    client = client_for(personas.caseworker)
    assert DUPLICATES in client.get(reverse("cases:list")).content.decode()
    DuplicateFlag.objects.update(status=DuplicateStatus.DISMISSED)
    assert DUPLICATES not in client.get(reverse("cases:list")).content.decode()
