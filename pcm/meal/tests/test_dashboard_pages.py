"""The dashboards: who reaches them, what scope they show, and that they show no person."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from pcm.assessments.tests.factories import make_assessment
from pcm.meal.indicators import indicators


def test_it_shows_every_indicator_with_its_definition_to_a_meal_officer(
    personas, client_for, case_for
):
    case = case_for(personas.caseworker, number="APN-IQ-2026-77777")
    make_assessment(case)
    response = client_for(personas.meal_officer).get(reverse("meal:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    for indicator in indicators():
        assert str(indicator.title) in body or indicator.title in body
        assert f'id="indicator-{indicator.code}"' in body
    assert "Numerator" in body and "Denominator" in body
    assert "APN-IQ-2026-77777" not in body
    assert case.person.given_name not in body
    assert 'data-meal-chart="chart-new_cases-month-data"' in body
    assert 'id="chart-new_cases-month-data"' in body
    assert "<script>" not in body.replace('<script id="', "<script ")


def test_each_indicator_page_shows_its_disaggregations(personas, client_for, case_for):
    for number in range(6):
        case_for(personas.caseworker, opened_at=timezone.now() - timedelta(days=number))
    client = client_for(personas.manager)
    for indicator in indicators():
        response = client.get(reverse("meal:indicator", kwargs={"code": indicator.code}))
        assert response.status_code == 200, indicator.code
        body = response.content.decode()
        assert str(indicator.numerator) in body


def test_a_supervisor_sees_only_their_teams(personas, client_for, case_for):
    for _number in range(7):
        case_for(personas.other_caseworker)
    for _number in range(5):
        case_for(personas.caseworker)
    response = client_for(personas.supervisor).get(reverse("meal:dashboard"))
    assert response.status_code == 200
    assert "Team dashboard" in response.content.decode()
    new_cases = next(h for h in response.context["headlines"] if h.indicator.code == "new_cases")
    assert new_cases.total is not None and new_cases.total.numerator.value == 5
    assert personas.other_team.name not in response.content.decode()


def test_the_filters_narrow_every_figure(personas, client_for, case_for):
    for _number in range(6):
        case_for(personas.caseworker, risk_level="high")
    for _number in range(8):
        case_for(personas.caseworker, risk_level="low")
    response = client_for(personas.meal_officer).get(
        reverse("meal:dashboard"), {"risk_level": "high"}
    )
    new_cases = next(h for h in response.context["headlines"] if h.indicator.code == "new_cases")
    assert new_cases.total is not None and new_cases.total.numerator.value == 6


def test_other_roles_are_refused(personas, client_for):
    for user in (personas.caseworker, personas.provider, personas.administrator, personas.auditor):
        assert client_for(user).get(reverse("meal:dashboard")).status_code in (302, 403)


def test_the_dashboard_takes_as_many_queries_whatever_the_caseload(
    personas, client_for, case_for, settings
):
    from django.db import connection

    settings.PCM_MEAL_SNAPSHOTS = False  # computed each time, to count the queries
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas.manager)
    make_assessment(case_for(personas.caseworker))
    make_assessment(case_for(personas.other_caseworker))
    client.get(reverse("meal:dashboard"))  # the first request of a session also saves it
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("meal:dashboard"))
    for number in range(20):
        case = case_for(personas.caseworker if number % 2 else personas.other_caseworker)
        make_assessment(case)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("meal:dashboard"))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 80


def test_another_agency_sees_nothing_of_ours(personas, client_for, case_for):
    for _number in range(8):
        case_for(personas.caseworker)
    response = client_for(personas.outsider_manager).get(reverse("meal:dashboard"))
    assert response.status_code == 200
    for line in response.context["headlines"]:
        if line.total is not None and line.indicator.code not in ("supervision",):
            assert line.total.numerator.value == 0, line.indicator.code
    assert personas.team.name not in response.content.decode()
    assert personas.agency.name not in response.content.decode()


def test_a_computed_dashboard_is_kept_a_while_then_computed_again(personas, client_for, case_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pcm.meal.models import MealSnapshot
    from pcm.meal.snapshots import LIFETIME

    for _number in range(6):
        case_for(personas.caseworker)
    client = client_for(personas.manager)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("meal:dashboard"))
    assert MealSnapshot.objects.filter(agency=personas.agency).exists()
    case_for(personas.caseworker)
    with CaptureQueriesContext(connection) as second:
        response = client.get(reverse("meal:dashboard"))
    assert len(second.captured_queries) < len(first.captured_queries) / 2
    new_cases = next(h for h in response.context["headlines"] if h.indicator.code == "new_cases")
    assert new_cases.total is not None and new_cases.total.numerator.value == 6  # kept
    MealSnapshot.objects.update(computed_at=timezone.now() - LIFETIME - timedelta(seconds=1))
    response = client.get(reverse("meal:dashboard"))
    new_cases = next(h for h in response.context["headlines"] if h.indicator.code == "new_cases")
    assert new_cases.total is not None and new_cases.total.numerator.value == 7  # computed again


def test_the_worker_computes_the_default_dashboards_ahead(personas, case_for):
    from pcm.meal.models import MealSnapshot
    from pcm.meal.tasks import compute_default_dashboards

    case_for(personas.caseworker)
    compute_default_dashboards()
    agencies = set(MealSnapshot.objects.values_list("agency", flat=True))
    assert agencies == {personas.agency.pk, personas.other_agency.pk}


def test_the_period_is_a_year_a_quarter_or_a_month_from_the_list(personas, client_for):
    client = client_for(personas.meal_officer)
    today = timezone.localdate(timezone=ZoneInfo(personas.agency.time_zone or "UTC"))
    page = client.get(reverse("meal:dashboard"))
    assert page.status_code == 200
    # By default this year, up to today; the list offers its quarters and months.
    chosen = page.context["period"]
    assert (chosen.start, chosen.end, chosen.code) == (
        date(today.year, 1, 1),
        today,
        str(today.year),
    )
    body = page.content.decode()
    assert f'<option value="{today.year}" selected>' in body
    assert f'value="{today.year}-Q{(today.month - 1) // 3 + 1}"' in body
    assert f'value="{today:%Y-%m}"' in body
    quarter = client.get(reverse("meal:dashboard"), {"period": f"{today.year - 1}-Q2"})
    assert quarter.status_code == 200
    assert quarter.context["period"].start == date(today.year - 1, 4, 1)
    assert quarter.context["period"].end == date(today.year - 1, 6, 30)
    assert f"Period: 1 April {today.year - 1} to 30 June {today.year - 1}." in (
        quarter.content.decode()
    )
    month = client.get(reverse("meal:dashboard"), {"period": f"{today.year - 1}-02"})
    assert month.context["period"].end == date(today.year - 1, 2, 28 + _leap(today.year - 1))
    # Any other run of days, a period to come or a bad code: refused, and said why.
    for code in (f"{today.year + 1}", f"{today.year}-Q5", f"{today.year}-13", "2026-01-01"):
        refused = client.get(reverse("meal:dashboard"), {"period": code})
        assert refused.status_code == 400, code
        assert "Choose a year, a quarter or a month from the list." in refused.content.decode()


def _leap(year: int) -> int:
    return int(year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
