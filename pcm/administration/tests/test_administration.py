"""Administrators set up agencies, locations, offices, teams and users."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcm.accounts.models import Agency, Role, Team, User
from pcm.audit.models import AuditEvent, AuditEventType


def create(client, section, data):
    return client.post(reverse("administration:create", args=[section]), data)


def test_an_administrator_builds_an_agency_with_a_team(personas, client_for):
    client = client_for(personas.administrator)
    response = create(
        client,
        "agencies",
        {
            "name": "Nile Care",
            "code": "NLC",
            "country_code": "SD",
            "time_zone": "Africa/Khartoum",
            "is_active": "on",
            "response_hours_high": "24",
            "response_hours_medium": "72",
            "response_hours_low": "168",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(code="NLC")
    response = create(
        client,
        "users",
        {
            "username": "amna",
            "first_name": "Amna",
            "last_name": "Idris",
            "email": "amna@example.org",
            "agency": agency.pk,
            "role": Role.SUPERVISOR,
            "is_active": "on",
            "password": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    supervisor = User.objects.get(username="amna")
    assert supervisor.check_password("a long enough passphrase")
    response = create(
        client, "teams", {"agency": agency.pk, "name": "Khartoum team", "supervisor": supervisor.pk}
    )
    assert response.status_code == 302
    assert Team.objects.get(name="Khartoum team").supervisor == supervisor
    created = AuditEvent.objects.filter(
        event_type=AuditEventType.RECORD_CREATED, actor=personas.administrator
    )
    assert created.count() == 3
    assert "a long enough passphrase" not in str(list(created.values("fields", "detail")))


@pytest.mark.parametrize(
    ("section", "data", "field", "message"),
    [
        (
            "agencies",
            {"name": "X", "code": "lower", "country_code": "IQ", "time_zone": "UTC"},
            "code",
            "capital letters",
        ),
        (
            "agencies",
            {"name": "X", "code": "XX", "country_code": "IQ", "time_zone": "Mars/Base"},
            "time_zone",
            "Unknown time zone",
        ),
        (
            "users",
            {
                "username": "u1",
                "email": "u1@example.org",
                "role": "caseworker",
                "password": "a long enough passphrase",
            },
            "team",
            "works in a team",
        ),
        (
            "users",
            {"username": "u2", "email": "u2@example.org", "role": "manager", "password": "short"},
            "password",
            "too short",
        ),
    ],
)
def test_it_explains_bad_input(personas, client_for, section, data, field, message):
    if "agency" not in data and section == "users":
        data = {**data, "agency": personas.agency.pk}
    response = create(client_for(personas.administrator), section, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page
    assert message in page


def test_a_user_cannot_join_a_team_of_another_agency(personas, client_for):
    response = create(
        client_for(personas.administrator),
        "users",
        {
            "username": "mixup",
            "email": "m@example.org",
            "agency": personas.other_agency.pk,
            "role": "caseworker",
            "team": personas.team.pk,
            "password": "a long enough passphrase",
        },
    )
    assert "Choose a team of the user&#x27;s agency." in response.content.decode()
    assert not User.objects.filter(username="mixup").exists()


def test_it_resets_a_lost_authenticator_and_signs_the_user_out(personas, client_for):
    victim = client_for(personas.caseworker)
    assert victim.get(reverse("cases:list")).status_code == 200
    response = client_for(personas.administrator).post(
        reverse("administration:reset_2fa", args=[personas.caseworker.pk])
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.caseworker).exists()
    assert victim.get(reverse("cases:list")).status_code == 302


def test_it_unlocks_a_locked_out_user(personas, client_for):
    for _ in range(5):
        Client().post(reverse("accounts:login"), {"username": "layla", "password": "wrong"})
    assert (
        Client()
        .post(
            reverse("accounts:login"),
            {"username": "layla", "password": "correct horse battery staple"},
        )
        .status_code
        == 429
    )
    client_for(personas.administrator).post(
        reverse("administration:unlock", args=[personas.caseworker.pk])
    )
    assert (
        Client()
        .post(
            reverse("accounts:login"),
            {"username": "layla", "password": "correct horse battery staple"},
        )
        .status_code
        == 302
    )


def test_the_administrator_lists_show_no_case_content(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    client = client_for(personas.administrator)
    for section in ("agencies", "locations", "offices", "teams", "users"):
        page = client.get(reverse("administration:list", args=[section])).content.decode()
        assert case.person.given_name not in page
        assert case.number not in page


def test_the_users_list_issues_a_constant_number_of_queries(
    personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.administrator)
    client.get(reverse("administration:list", args=["users"]))
    with django_assert_max_num_queries(10):
        client.get(reverse("administration:list", args=["users"]))


def test_createsuperuser_makes_the_first_administrator(db):
    from django.core.management import call_command

    call_command("createsuperuser", username="it", email="it@example.org", interactive=False)
    user = User.objects.get(username="it")
    assert user.role == Role.ADMINISTRATOR
    assert not user.has_usable_password()  # set it with: manage.py changepassword it
