"""factory_boy factories for the records the tests need; personas are built from these."""

from __future__ import annotations

from datetime import date

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcm.accounts.models import Agency, Office, Role, Team, User
from pcm.cases.models import Case, CaseStatus, RiskLevel
from pcm.locations.models import Location
from pcm.people.models import DisplacementStatus, Person, Sex

PASSWORD = "correct horse battery staple"


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    code = factory.Sequence(lambda n: f"AG{n}")
    country_code = "IQ"
    time_zone = "Asia/Baghdad"


class LocationFactory(factory.django.DjangoModelFactory[Location]):
    class Meta:
        model = Location

    pcode = factory.Sequence(lambda n: f"IQG{n:02d}")
    name = factory.Sequence(lambda n: f"Governorate {n}")
    level = 1


class OfficeFactory(factory.django.DjangoModelFactory[Office]):
    class Meta:
        model = Office

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Office {n}")


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Member"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CASEWORKER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation  # type: ignore[untyped-decorator]  # factory_boy leaves it untyped
    def with_totp(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        """A confirmed authenticator unless with_totp=False (then the user must enrol)."""
        if create and extracted is not False:
            TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        if create:
            user.save()


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    agency = factory.SubFactory(AgencyFactory)
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    sex = Sex.FEMALE
    date_of_birth = date(1990, 5, 17)
    phone = factory.Sequence(lambda n: f"+964 770 {n:07d}")
    displacement_status = DisplacementStatus.IDP
    registered_by = factory.SubFactory(UserFactory)


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    """A case held by ASSIGNED_TO, in their team and agency."""

    class Meta:
        model = Case

    assigned_to = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda case: case.assigned_to.agency)
    team = factory.LazyAttribute(lambda case: case.assigned_to.team)
    opened_by = factory.LazyAttribute(lambda case: case.assigned_to)
    person = factory.LazyAttribute(
        lambda case: PersonFactory.create(agency=case.agency, registered_by=case.assigned_to)
    )
    number = factory.Sequence(lambda n: f"TST-IQ-2026-{n + 1:05d}")
    status = CaseStatus.ASSESSMENT
    risk_level = RiskLevel.MEDIUM
