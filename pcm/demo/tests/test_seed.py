"""The synthetic caseload: realistic, repeatable, adults only, sensible caseloads."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.utils import timezone

from pcm.accounts.models import Agency, Role, User
from pcm.cases.models import Case, CaseNumberSequence, CaseStatus
from pcm.demo.caseload import DEMO_LOGINS
from pcm.people.models import Person


@pytest.fixture
def seeded(db, settings):
    settings.DEMO = True
    out = StringIO()
    call_command("seed", cases=600, stdout=out)
    return out.getvalue()


def test_it_prints_progress_and_creates_the_cases(seeded):
    assert "seeded 600/600 cases" in seeded
    assert Case.objects.count() == Person.objects.count() == 600


def test_it_creates_one_demo_login_per_role(seeded):
    roles = {user.username: user.role for user in User.objects.filter(username__in=DEMO_LOGINS)}
    assert set(roles.values()) == set(Role.values)


def test_case_numbers_are_unique_agency_prefixed_and_ordered_by_opening(seeded):
    for agency in Agency.objects.all():
        cases = list(Case.objects.filter(agency=agency).order_by("opened_at", "id"))
        for case in cases:
            assert re.fullmatch(rf"{agency.case_number_prefix}-(\d{{4}})-\d{{5}}", case.number)
            assert case.number.split("-")[2] == str(case.opened_at.year)
        last = CaseNumberSequence.objects.get(agency=agency, year=cases[-1].opened_at.year)
        assert cases[-1].number.endswith(f"-{last.last_value:05d}")


def test_it_registers_adults_only_with_realistic_mixes(seeded):
    today = timezone.localdate()
    ages = [person.age_on(today) for person in Person.objects.only("date_of_birth")]
    assert all(age is not None and age >= 18 for age in ages)
    sexes = Counter(Person.objects.values_list("sex", flat=True))
    assert sexes["female"] > sexes["male"] > 0
    risks = Counter(Case.objects.values_list("risk_level", flat=True))
    assert set(risks) == {"high", "medium", "low"}
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert set(statuses) == set(CaseStatus.values) - {CaseStatus.TRANSFERRED}


def test_names_come_from_several_scripts(seeded):
    names = " ".join(Person.objects.values_list("given_name", flat=True))
    assert re.search(r"[\u0600-\u06FF]", names)  # Arabic
    assert re.search(r"[\u0400-\u04FF]", names)  # Cyrillic
    assert re.search(r"[A-Za-z]", names)


def test_each_case_is_held_within_its_team_and_agency(seeded):
    assert not Case.objects.exclude(assigned_to__team=F("team")).exists()
    assert not Case.objects.exclude(assigned_to__agency=F("agency")).exists()
    assert not Person.objects.exclude(cases__agency=F("agency")).exists()


def test_caseworkers_carry_realistic_open_caseloads(seeded):
    loads = (
        Case.objects.open()
        .values("assigned_to")
        .annotate(total=Count("id"))
        .values_list("total", flat=True)
    )
    assert max(loads) <= 45


def test_it_is_repeatable_with_the_same_seed(transactional_db, seeded):
    """Transactional: flushing inside the test transaction fails on PostgreSQL."""
    first = list(Person.objects.order_by("id").values_list("given_name", "phone")[:20])
    call_command("flush", interactive=False, verbosity=0)
    call_command("seed", cases=600, stdout=StringIO())
    again = list(Person.objects.order_by("id").values_list("given_name", "phone")[:20])
    assert again == first


def test_it_refuses_to_seed_twice_but_if_empty_is_a_no_op(seeded):
    with pytest.raises(CommandError, match="already holds agencies"):
        call_command("seed", cases=10, stdout=StringIO())
    out = StringIO()
    call_command("seed", cases=10, if_empty=True, stdout=out)
    assert "nothing to do" in out.getvalue()
    assert Case.objects.count() == 600


def test_demo_logins_print_what_a_newcomer_needs(seeded, settings):
    settings.DEMO = True
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for username in DEMO_LOGINS:
        assert re.search(rf"^  {username}\s+.+\s[A-Z2-7]{{32}}$", text, re.MULTILINE)
    code = StringIO()
    call_command("demo_code", "caseworker", stdout=code)
    assert re.fullmatch(r"\d{6}\n", code.getvalue())


def test_demo_helpers_refuse_outside_a_demo(seeded, settings):
    settings.DEMO = False
    with pytest.raises(CommandError):
        call_command("demo_code", "caseworker", stdout=StringIO())


def test_it_refuses_to_seed_outside_a_demo(db, settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="PCM_DEMO=1"):
        call_command("seed", cases=10, stdout=StringIO())
