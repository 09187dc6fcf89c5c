"""Each role's home page."""

from __future__ import annotations

from django.urls import reverse

from pcm.cases.models import RiskLevel


def test_a_caseworker_starts_from_today_and_a_supervisor_from_the_team(personas, client_for):
    assert client_for(personas.caseworker).get(reverse("core:home"))["Location"] == reverse(
        "supervision:today"
    )
    assert client_for(personas.supervisor).get(reverse("core:home"))["Location"] == reverse(
        "supervision:team"
    )


def test_a_manager_sees_the_agencys_open_cases_by_risk(personas, case_for, client_for):
    case_for(personas.caseworker, risk_level=RiskLevel.HIGH)
    case_for(personas.caseworker, risk_level=RiskLevel.HIGH)
    case_for(personas.caseworker, risk_level=RiskLevel.HIGH, status="closed")
    case_for(personas.outsider, risk_level=RiskLevel.HIGH)
    page = client_for(personas.manager).get(reverse("core:home")).content.decode()
    assert "2 open cases you can see" in page


def test_an_administrator_starts_in_administration(personas, client_for):
    response = client_for(personas.administrator).get(reverse("core:home"))
    assert response["Location"] == reverse("administration:index")


def test_a_meal_officer_starts_on_the_meal_dashboard(personas, client_for):
    response = client_for(personas.meal_officer).get(reverse("core:home"))
    assert response["Location"] == reverse("meal:dashboard")


def test_a_provider_focal_point_starts_on_the_referrals_received(personas, client_for):
    response = client_for(personas.provider).get(reverse("core:home"))
    assert response["Location"] == reverse("referrals:inbox")


def test_an_anonymous_visitor_is_sent_to_sign_in(db, client):
    response = client.get(reverse("core:home"))
    assert response["Location"].startswith(reverse("accounts:login"))
