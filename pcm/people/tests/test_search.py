"""Finding people by name and phone through the blind indexes, never by decrypting."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcm.accounts.models import User
from pcm.cases.search import search_cases
from pcm.people.models import Person, PersonToken
from pcm.people.search import find_people
from pcm.vault import crypto


def _person_of(case_for, user, given: str, family: str = "", phone: str = "") -> Person:
    case = case_for(user)
    person: Person = case.person
    person.given_name, person.family_name, person.phone = given, family, phone
    person.save()
    return person


@pytest.fixture
def mohammeds(personas, case_for) -> dict[str, Person]:
    layla = personas.caseworker
    return {
        "latin": _person_of(case_for, layla, "Mohammed", "Al-Jubouri"),
        "other_spelling": _person_of(case_for, layla, "Muhammad", "Saleh"),
        "arabic": _person_of(case_for, layla, "محمد", "حسين"),
        "unrelated": _person_of(case_for, layla, "Zainab", "Kareem"),
    }


@pytest.mark.parametrize("query", ["Mohammed", "Muhammad", "محمد", "MOHAMED", "مُحَمَّد"])
def test_every_spelling_and_script_finds_the_others(personas, mohammeds, query):
    found = set(find_people(personas.caseworker, name=query))
    assert found == {mohammeds["latin"], mohammeds["other_spelling"], mohammeds["arabic"]}


@pytest.mark.parametrize("query", ["Mohammed", "Muhammad", "محمد"])
def test_case_search_finds_every_spelling_and_script(personas, mohammeds, query):
    found = {case.person for case in search_cases(personas.caseworker, query)}
    assert found == {mohammeds["latin"], mohammeds["other_spelling"], mohammeds["arabic"]}


def test_a_prefix_finds_the_name_it_starts(personas, mohammeds):
    assert set(find_people(personas.caseworker, name="Moh")) == {mohammeds["latin"]}
    assert set(find_people(personas.caseworker, name="Muham")) == {mohammeds["other_spelling"]}
    cases = search_cases(personas.caseworker, "Zai")
    assert [case.person for case in cases] == [mohammeds["unrelated"]]


def test_every_word_of_the_query_must_match(personas, mohammeds):
    assert list(find_people(personas.caseworker, name="Mohammed Jubouri")) == [mohammeds["latin"]]
    assert list(find_people(personas.caseworker, name="محمد حسين")) == [mohammeds["arabic"]]
    assert list(find_people(personas.caseworker, name="Muhammad Hussein")) == [mohammeds["arabic"]]
    assert not find_people(personas.caseworker, name="Mohammed Kareem").exists()


def test_cyrillic_and_latin_spellings_find_each_other(personas, case_for):
    olena = _person_of(case_for, personas.caseworker, "Олена", "Коваленко")
    latin = _person_of(case_for, personas.caseworker, "Olena", "Kovalenko")
    for query in ("Olena", "Олена", "ОЛЕНА", "olena kovalenko", "Олена Коваленко", "Kovalen"):
        assert set(find_people(personas.caseworker, name=query)) == {olena, latin}, query
        assert {case.person for case in search_cases(personas.caseworker, query)} == {
            olena,
            latin,
        }


@pytest.mark.parametrize(
    "typed", ["+964 750 123 4567", "07501234567", "0750 123 4567", "964-750-123-4567", "1234567"]
)
def test_a_phone_number_is_found_with_or_without_country_code_and_spaces(personas, case_for, typed):
    person = _person_of(case_for, personas.caseworker, "Huda", phone="+964 750 123 4567")
    _person_of(case_for, personas.caseworker, "Amal", phone="+964 750 123 9999")
    assert list(find_people(personas.caseworker, phone=typed)) == [person]


def test_a_phone_number_typed_in_arabic_digits_is_found(personas, case_for):
    person = _person_of(case_for, personas.caseworker, "Huda", phone="+964 750 123 4567")
    assert list(find_people(personas.caseworker, phone="٠٧٥٠ ١٢٣ ٤٥٦٧")) == [person]


def test_results_are_limited_to_what_the_user_may_see(personas, case_for):
    mine = _person_of(case_for, personas.caseworker, "Mohammed", phone="+964 750 111 1111")
    colleague = _person_of(case_for, personas.other_caseworker, "Muhammad", phone="0750 111 1111")
    outsider = _person_of(case_for, personas.outsider, "محمد", phone="+964 750 111 1111")
    for name, phone in (("Mohammed", ""), ("", "7501111111")):
        assert list(find_people(personas.caseworker, name=name, phone=phone)) == [mine]
        assert set(find_people(personas.manager, name=name, phone=phone)) == {mine, colleague}
        assert list(find_people(personas.outsider, name=name, phone=phone)) == [outsider]
        assert not find_people(personas.meal_officer, name=name, phone=phone).exists()
        assert not find_people(personas.administrator, name=name, phone=phone).exists()
    assert [c.person for c in search_cases(personas.caseworker, "Mohammed")] == [mine]
    assert {c.person for c in search_cases(personas.supervisor, "محمد")} == {mine}
    assert {c.person for c in search_cases(personas.other_supervisor, "محمد")} == {colleague}
    # A manager sees no names by default, so cannot search by name either...
    assert not search_cases(personas.manager, "محمد").exists()
    # ...unless the agency lets its managers see identities.
    personas.agency.field_visibility = {"manager": ["identity", "risk"]}
    personas.agency.save()
    manager = User.objects.get(pk=personas.manager.pk)
    assert {c.person for c in search_cases(manager, "محمد")} == {mine, colleague}


def test_an_edit_changes_what_the_person_is_found_by(personas, case_for):
    person = _person_of(case_for, personas.caseworker, "Mohammed", phone="0750 111 1111")
    person.given_name, person.phone = "Zainab", "0770 222 2222"
    person.save()
    assert not find_people(personas.caseworker, name="Mohammed").exists()
    assert not find_people(personas.caseworker, phone="0750 111 1111").exists()
    assert list(find_people(personas.caseworker, name="Zainab", phone="0770 222 2222")) == [person]


def test_the_index_holds_no_name_or_number(personas, case_for):
    person = _person_of(case_for, personas.caseworker, "Mohammed", "Jubouri", "0750 111 1111")
    digests = list(PersonToken.objects.filter(person=person).values_list("digest", flat=True))
    assert digests and all(isinstance(value, int) for value in digests)
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, phone FROM people_person WHERE id = %s", [person.pk])
        stored_name, stored_phone = cursor.fetchone()
    assert "Mohammed" not in stored_name and "0750" not in stored_phone


# The search never decrypts: it is one SQL query on the index, with no filtering in Python ------


@pytest.fixture
def no_decryption(monkeypatch):
    calls: list[str] = []
    real = crypto.decrypt_text

    def counting(token: str, context: str) -> str:
        calls.append(context)
        return real(token, context)

    monkeypatch.setattr(crypto, "decrypt_text", counting)
    return calls


def test_finding_people_is_one_query_on_the_index_that_decrypts_nothing(
    personas, mohammeds, no_decryption
):
    with CaptureQueriesContext(connection) as captured:
        ids = list(
            find_people(personas.caseworker, name="Muhammad", phone="0750 111 1111").values_list(
                "pk", flat=True
            )
        )
    assert len(ids) == 3
    assert len(captured.captured_queries) == 1
    sql = captured.captured_queries[0]["sql"]
    assert "people_persontoken" in sql
    assert "given_name" not in sql and "family_name" not in sql
    assert no_decryption == []


def test_searching_cases_is_one_query_on_the_index_that_decrypts_nothing(
    personas, mohammeds, no_decryption
):
    with CaptureQueriesContext(connection) as captured:
        numbers = list(search_cases(personas.caseworker, "محمد").values_list("number", flat=True))
    assert len(numbers) == 3
    assert len(captured.captured_queries) == 1
    assert "people_persontoken" in captured.captured_queries[0]["sql"]
    assert no_decryption == []


def test_the_search_filters_in_sql_not_in_python(personas, mohammeds):
    """The queryset is lazy and narrowed by the database: slicing it asks for one row."""
    found = search_cases(personas.caseworker, "Mohammed").order_by("-opened_at")
    with CaptureQueriesContext(connection) as captured:
        first = list(found[:1])
    assert len(first) == 1
    assert "LIMIT 1" in captured.captured_queries[0]["sql"].upper()


def test_a_limited_search_gives_the_most_recently_opened_matches(personas, case_for):
    from datetime import timedelta

    from django.utils import timezone

    from pcm.cases.models import Case

    people = [_person_of(case_for, personas.caseworker, "Mohammed") for _ in range(4)]
    now = timezone.now()
    for age, person in enumerate(people):
        Case.objects.filter(person=person).update(opened_at=now - timedelta(days=age))
    _person_of(case_for, personas.caseworker, "Zainab")
    newest = search_cases(personas.caseworker, "Muhammad", limit=3).order_by("-opened_at")
    assert [case.person for case in newest] == people[:3]
    assert search_cases(personas.caseworker, "Muhammad").count() == 4


@pytest.mark.parametrize("query", ["Mohammed", "محمد", "Moh", "Mohammed Al-Jubouri", "Zzyzx"])
def test_both_ways_of_matching_names_agree(personas, mohammeds, query):
    from pcm.people.search import name_condition

    by_people = name_condition(query)
    per_row = name_condition(query, per_row=True)
    assert by_people is not None and per_row is not None
    assert set(Person.objects.filter(by_people)) == set(Person.objects.filter(per_row))
