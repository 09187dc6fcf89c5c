"""Shared fixtures: fixed personas around one caseworker, and signed-in clients for them.

The personas: Layla, a caseworker; Omar, her supervisor; Karim, a caseworker of another team
of the same agency, with his supervisor Huda; a manager, a MEAL officer, a provider focal
point, an administrator and an auditor (Aisha) of the agency; and Olena, a caseworker of
another agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcm.accounts.models import Agency, Role, Team, User
from pcm.cases.models import Case
from tests.factories import AgencyFactory, CaseFactory, TeamFactory, UserFactory

# The browser fixtures, and the recorder of personal data for the log scan of bin/test.
pytest_plugins = ["tests.browser.fixtures", "tests.personal_values"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Personas:
    agency: Agency
    other_agency: Agency
    team: Team
    other_team: Team
    caseworker: User
    supervisor: User
    other_caseworker: User
    other_supervisor: User
    manager: User
    meal_officer: User
    provider: User
    administrator: User
    outsider: User
    outsider_supervisor: User
    outsider_manager: User
    auditor: User

    def by_role(self) -> dict[str, User]:
        """One user per role, for tests that walk every role."""
        return {
            "caseworker": self.caseworker,
            "supervisor": self.supervisor,
            "manager": self.manager,
            "meal_officer": self.meal_officer,
            "provider_focal_point": self.provider,
            "administrator": self.administrator,
            "auditor": self.auditor,
        }


@pytest.fixture
def personas(db) -> Personas:
    agency = AgencyFactory.create(name="Amal Protection Network", code="APN", country_code="IQ")
    other_agency = AgencyFactory.create(name="Kalyna Relief", code="KLR", country_code="UA")

    def staff(username: str, role: Role, agency: Agency, first: str, last: str) -> User:
        return UserFactory.create(
            username=username, role=role, agency=agency, first_name=first, last_name=last
        )

    supervisor = staff("omar", Role.SUPERVISOR, agency, "Omar", "Khalil")
    other_supervisor = staff("huda", Role.SUPERVISOR, agency, "Huda", "Kareem")
    team = TeamFactory.create(agency=agency, name="Mosul team A", supervisor=supervisor)
    other_team = TeamFactory.create(agency=agency, name="Erbil team", supervisor=other_supervisor)
    caseworker = staff("layla", Role.CASEWORKER, agency, "Layla", "Hassan")
    caseworker.team = team
    caseworker.save()
    other_caseworker = staff("karim", Role.CASEWORKER, agency, "Karim", "Saleh")
    other_caseworker.team = other_team
    other_caseworker.save()
    outsider_supervisor = staff("taras", Role.SUPERVISOR, other_agency, "Taras", "Melnyk")
    outsider_team = TeamFactory.create(
        agency=other_agency, name="Kharkiv team", supervisor=outsider_supervisor
    )
    outsider = staff("olena", Role.CASEWORKER, other_agency, "Olena", "Koval")
    outsider.team = outsider_team
    outsider.save()
    return Personas(
        agency=agency,
        other_agency=other_agency,
        team=team,
        other_team=other_team,
        caseworker=caseworker,
        supervisor=supervisor,
        other_caseworker=other_caseworker,
        other_supervisor=other_supervisor,
        manager=staff("nadia", Role.MANAGER, agency, "Nadia", "Rahman"),
        meal_officer=staff("samir", Role.MEAL_OFFICER, agency, "Samir", "Aziz"),
        provider=staff("hana", Role.PROVIDER_FOCAL_POINT, agency, "Hana", "Yousef"),
        administrator=staff("idris", Role.ADMINISTRATOR, agency, "Idris", "Salem"),
        outsider=outsider,
        outsider_supervisor=outsider_supervisor,
        outsider_manager=staff("iryna", Role.MANAGER, other_agency, "Iryna", "Bondar"),
        auditor=staff("aisha", Role.AUDITOR, agency, "Aisha", "Nouri"),
    )


@pytest.fixture
def case_for() -> Callable[..., Case]:
    """case_for(user, **fields): a case assigned to USER."""

    def make(user: User, **fields: object) -> Case:
        return CaseFactory.create(assigned_to=user, **fields)

    return make


def sign_in(client: Client, user: User) -> Client:
    """Sign USER in on CLIENT as if they had passed password and TOTP."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    """client_for(user): a new test client signed in (both factors) as USER."""

    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make
