"""A synthetic caseload that looks like the field: agencies, teams, personas, people and cases.

Everything is drawn from one seeded random generator, so the same arguments always give the
same data. People and cases are written with bulk inserts so that 200 000 cases take minutes.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from pcm.accounts.models import Agency, Office, Role, Team, User
from pcm.cases.consent import (
    DEFAULT_SHARED_FIELDS,
    Consent,
    ConsentMethod,
    ContactMethod,
    GivenBy,
)
from pcm.cases.intake import Eligibility, IntakeScreening
from pcm.cases.models import Case, CaseNumberSequence, CaseStatus, RiskLevel
from pcm.cases.taxonomy import RiskType
from pcm.core.discovery import app_modules
from pcm.locations.models import Location
from pcm.people.index import index_people
from pcm.people.models import DisplacementStatus, Person, Sex

DEMO_PASSWORD = "demo-protection-2026"  # noqa: S105 - printed by bin/run; synthetic demo only
BATCH = 5000
OPEN_CASES_PER_CASEWORKER = 20
CASEWORKERS_PER_TEAM = 6


@dataclass(frozen=True)
class AgencySpec:
    name: str
    code: str
    country: str
    country_name: str
    time_zone: str
    share: float
    name_locales: tuple[str, ...]
    languages: tuple[tuple[str, float], ...]
    areas: tuple[tuple[str, str], ...]


AGENCIES = (
    AgencySpec(
        "Amal Protection Network",
        "APN",
        "IQ",
        "Iraq",
        "Asia/Baghdad",
        0.6,
        ("ar_AA", "latin_arabic"),
        (("ar", 0.85), ("ku", 0.3), ("en", 0.1)),
        (
            ("IQG15", "Ninewa"),
            ("IQG11", "Erbil"),
            ("IQG08", "Duhok"),
            ("IQG07", "Baghdad"),
            ("IQG01", "Anbar"),
            ("IQG13", "Kirkuk"),
            ("IQG18", "Salah al-Din"),
        ),
    ),
    AgencySpec(
        "Kalyna Relief",
        "KLR",
        "UA",
        "Ukraine",
        "Europe/Kyiv",
        0.25,
        ("uk_UA",),
        (("uk", 0.9), ("ru", 0.4), ("en", 0.1)),
        (
            ("UA63", "Kharkivska"),
            ("UA14", "Donetska"),
            ("UA12", "Dnipropetrovska"),
            ("UA46", "Lvivska"),
            ("UA80", "Kyiv"),
        ),
    ),
    AgencySpec(
        "Solidarité Sahel",
        "SOS",
        "NE",
        "Niger",
        "Africa/Niamey",
        0.15,
        ("fr_FR",),
        (("fr", 0.6), ("ha", 0.7), ("kr", 0.2)),
        (("NER001", "Agadez"), ("NER002", "Diffa"), ("NER006", "Tahoua"), ("NER008", "Niamey")),
    ),
)

# Transliterated names as Iraqi registration lists often hold them.
LATIN_ARABIC_FEMALE = [
    "Fatima",
    "Zainab",
    "Maryam",
    "Noor",
    "Aisha",
    "Layla",
    "Sara",
    "Huda",
    "Rania",
    "Amal",
    "Samira",
    "Iman",
    "Hana",
    "Rasha",
    "Dalia",
    "Shaima",
    "Zahra",
    "Khadija",
    "Asma",
    "Nadia",
    "Widad",
    "Suha",
    "Ruqaya",
    "Basma",
    "Yasmin",
    "Shireen",
]
LATIN_ARABIC_MALE = [
    "Mohammed",
    "Muhammad",
    "Ahmed",
    "Ali",
    "Hussein",
    "Omar",
    "Khalid",
    "Hassan",
    "Yusuf",
    "Ibrahim",
    "Mustafa",
    "Abbas",
    "Karim",
    "Salah",
    "Haider",
    "Qasim",
    "Mahmoud",
    "Adel",
    "Faisal",
    "Bashir",
    "Jamal",
    "Nabil",
    "Tariq",
    "Waleed",
]
LATIN_ARABIC_FAMILY = [
    "Al-Jubouri",
    "Al-Obaidi",
    "Hassan",
    "Al-Tamimi",
    "Al-Saadi",
    "Abdullah",
    "Khalil",
    "Al-Hamdani",
    "Rashid",
    "Al-Dulaimi",
    "Mahmoud",
    "Saleh",
    "Yousef",
    "Al-Shammari",
    "Ibrahim",
    "Aziz",
    "Al-Rubaie",
    "Kareem",
    "Jassim",
]


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: Role
    agency_code: str
    team: str | None = None
    supervises: str | None = None


# The demo logins (one per role) and the colleagues the demo needs around them.
PERSONAS = (
    Persona("caseworker", "Layla", "Hassan", Role.CASEWORKER, "APN", team="Mosul team A"),
    Persona("supervisor", "Omar", "Khalil", Role.SUPERVISOR, "APN", supervises="Mosul team A"),
    Persona("manager", "Nadia", "Rahman", Role.MANAGER, "APN"),
    Persona("meal", "Samir", "Aziz", Role.MEAL_OFFICER, "APN"),
    Persona("provider", "Hana", "Yousef", Role.PROVIDER_FOCAL_POINT, "APN"),
    Persona("admin", "Idris", "Salem", Role.ADMINISTRATOR, "APN"),
    Persona("auditor", "Zeina", "Haddad", Role.AUDITOR, "APN"),
    Persona("caseworker2", "Karim", "Saleh", Role.CASEWORKER, "APN", team="Mosul team A"),
    Persona("caseworker3", "Rasha", "Ali", Role.CASEWORKER, "APN", team="Erbil team"),
    Persona("supervisor2", "Huda", "Kareem", Role.SUPERVISOR, "APN", supervises="Erbil team"),
    Persona("klr-caseworker", "Olena", "Koval", Role.CASEWORKER, "KLR", team="Kharkiv team"),
    Persona("klr-supervisor", "Taras", "Melnyk", Role.SUPERVISOR, "KLR", supervises="Kharkiv team"),
    Persona("sos-caseworker", "Aïcha", "Moussa", Role.CASEWORKER, "SOS", team="Diffa team"),
    Persona("sos-supervisor", "Ibrahim", "Garba", Role.SUPERVISOR, "SOS", supervises="Diffa team"),
)
DEMO_LOGINS = ("caseworker", "supervisor", "manager", "meal", "provider", "admin", "auditor")
PERSONA_TEAM_OFFICE = {
    "Mosul team A": "IQG15",
    "Erbil team": "IQG11",
    "Kharkiv team": "UA63",
    "Diffa team": "NER002",
}


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    values = [value for value, _ in table]
    weights = [weight for _, weight in table]
    return rng.choices(values, weights)[0]


STATUS_WEIGHTS = (
    (CaseStatus.INTAKE.value, 0.08),
    (CaseStatus.ASSESSMENT.value, 0.10),
    (CaseStatus.PLANNING.value, 0.09),
    (CaseStatus.IMPLEMENTATION.value, 0.22),
    (CaseStatus.FOLLOW_UP.value, 0.10),
    (CaseStatus.CLOSURE_REQUESTED.value, 0.01),
    (CaseStatus.CLOSED.value, 0.40),
)
RISK_WEIGHTS = (
    (RiskLevel.HIGH.value, 0.22),
    (RiskLevel.MEDIUM.value, 0.46),
    (RiskLevel.LOW.value, 0.32),
)
SEX_WEIGHTS = (
    (Sex.FEMALE.value, 0.64),
    (Sex.MALE.value, 0.34),
    (Sex.OTHER.value, 0.01),
    (Sex.UNKNOWN.value, 0.01),
)
DISPLACEMENT_WEIGHTS = (
    (DisplacementStatus.IDP.value, 0.42),
    (DisplacementStatus.RETURNEE.value, 0.16),
    (DisplacementStatus.REFUGEE.value, 0.12),
    (DisplacementStatus.HOST_COMMUNITY.value, 0.22),
    (DisplacementStatus.ASYLUM_SEEKER.value, 0.03),
    (DisplacementStatus.STATELESS.value, 0.03),
    (DisplacementStatus.OTHER.value, 0.02),
)
SCREENING_REASONS = (
    "Threatened by a neighbour after a land dispute; meets the violence criteria.",
    "Detained for two days at a checkpoint; fears arrest again.",
    "Denied access to assistance because of missing documents.",
    "Forced to work without pay by a landlord; meets the coercion criteria.",
    "Lost civil documentation during displacement; cannot reach services.",
    "Family property destroyed; evicted by an armed group.",
)
CONTACT_RESTRICTIONS = (
    "",
    "No calls after 6 pm.",
    "Do not leave voice messages.",
    "Call the sister's phone first; do not mention the organisation.",
    "Meet only at the community centre.",
)
AGE_BANDS = (((18, 24), 0.22), ((25, 59), 0.66), ((60, 85), 0.12))


class NamePool:
    """Given and family names per locale, drawn once from Faker and then sampled fast."""

    def __init__(self, rng: random.Random, size: int = 400) -> None:
        self.rng = rng
        self.size = size
        self._pools: dict[str, tuple[list[str], list[str], list[str]]] = {}

    def _pool(self, locale: str) -> tuple[list[str], list[str], list[str]]:
        if locale not in self._pools:
            if locale == "latin_arabic":
                pool = (LATIN_ARABIC_FEMALE, LATIN_ARABIC_MALE, LATIN_ARABIC_FAMILY)
            else:
                faker = Faker(locale)
                faker.seed_instance(self.rng.randrange(2**32))
                pool = (
                    sorted({faker.first_name_female() for _ in range(self.size)}),
                    sorted({faker.first_name_male() for _ in range(self.size)}),
                    sorted({faker.last_name() for _ in range(self.size)}),
                )
            self._pools[locale] = pool
        return self._pools[locale]

    def draw(self, locale: str, sex: str) -> tuple[str, str]:
        female, male, family = self._pool(locale)
        given = self.rng.choice(female if sex == Sex.FEMALE else male)
        return given, self.rng.choice(family)


def _phone(rng: random.Random, country: str) -> str:
    prefix = {"IQ": "+964 7", "UA": "+380 ", "NE": "+227 9"}[country]
    return prefix + "".join(str(rng.randrange(10)) for _ in range(9))


@dataclass
class Organisation:
    agencies: dict[str, Agency]
    areas: dict[str, list[Location]]
    caseworkers: dict[str, list[User]]


class CaseloadBuilder:
    """Builds the organisation and N cases; reports progress through a callback."""

    def __init__(
        self,
        *,
        cases: int,
        seed: int = 2026,
        now: datetime | None = None,
        progress: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.total = cases
        self.rng = random.Random(seed)
        self.now = now or datetime.now(tz=UTC)
        self.progress = progress
        self.names = NamePool(self.rng)
        self.password_hash = make_password(DEMO_PASSWORD)
        self.totp_secrets: dict[str, str] = {}

    def build(self) -> Organisation:
        started = time.monotonic()
        with transaction.atomic():
            organisation = self._organisation()
        written = 0
        for spec in AGENCIES:
            agency = organisation.agencies[spec.code]
            openings = self._openings(agency, self._share(spec))
            for offset in range(0, len(openings), BATCH):
                with transaction.atomic():
                    self._write_cases(organisation, spec, openings[offset : offset + BATCH])
                written += len(openings[offset : offset + BATCH])
                elapsed = time.monotonic() - started
                self.progress(f"seeded {written}/{self.total} cases ({elapsed:.0f} s)")
        self._showcase()
        return organisation

    def _showcase(self) -> None:
        """Make sure the demo logins meet every kind of work: an overdue first response, a
        closure and (through the plans' demo data) approvals waiting for the supervisor."""
        from pcm.closure.actions import do_request_closure
        from pcm.closure.models import ClosureCriterion

        caseworker = User.objects.filter(username="caseworker").first()
        if caseworker is None:
            return
        mine = Case.objects.filter(assigned_to=caseworker)
        waiting = mine.filter(status=CaseStatus.INTAKE).first()
        if waiting is not None:
            # No one has contacted this person yet: no case note, so the overdue is true.
            from pcm.casework.models import CaseNote

            CaseNote.objects.filter(case=waiting).delete()
            Case.objects.filter(pk=waiting.pk).update(
                first_response_at=None,
                first_response_due_at=self.now - timedelta(hours=3),
                risk_level=RiskLevel.HIGH,
            )
        closable = (
            mine.filter(status=CaseStatus.FOLLOW_UP).first()
            or mine.filter(status=CaseStatus.IMPLEMENTATION).first()
        )
        if closable is not None:
            do_request_closure(
                closable,
                criterion=ClosureCriterion.GOALS_MET,
                summary="Goals met: she has her documents again and feels safe to close.",
                acting_user=caseworker,
            )

    def _openings(self, agency: Agency, count: int) -> list[tuple[datetime, str, str]]:
        """(opened at, status, case number) for COUNT cases, numbered in order of opening."""
        rng = self.rng
        drawn = []
        for _ in range(count):
            status = _weighted(rng, STATUS_WEIGHTS)
            # Closed cases were opened longer ago; open ones mostly in the last months.
            days = rng.randrange(90, 730) if status == CaseStatus.CLOSED else rng.randrange(240)
            drawn.append((self.now - timedelta(days=days, minutes=rng.randrange(1440)), status))
        drawn.sort()
        counters: dict[int, int] = {}
        numbered = []
        for opened, status in drawn:
            counters[opened.year] = counters.get(opened.year, 0) + 1
            number = f"{agency.case_number_prefix}-{opened.year}-{counters[opened.year]:05d}"
            numbered.append((opened, status, number))
        for year, last in counters.items():
            CaseNumberSequence.objects.update_or_create(
                agency=agency, year=year, defaults={"last_value": last}
            )
        return numbered

    def _share(self, spec: AgencySpec) -> int:
        if spec is AGENCIES[-1]:
            return self.total - sum(int(self.total * other.share) for other in AGENCIES[:-1])
        return int(self.total * spec.share)

    # The organisation ----------------------------------------------------------------------

    def _organisation(self) -> Organisation:
        agencies: dict[str, Agency] = {}
        areas: dict[str, list[Location]] = {}
        for spec in AGENCIES:
            country, _ = Location.objects.get_or_create(
                pcode=spec.country, defaults={"name": spec.country_name, "level": 0}
            )
            areas[spec.code] = [
                Location.objects.get_or_create(
                    pcode=pcode, defaults={"name": name, "level": 1, "parent": country}
                )[0]
                for pcode, name in spec.areas
            ]
            agencies[spec.code] = Agency.objects.create(
                name=spec.name, code=spec.code, country_code=spec.country, time_zone=spec.time_zone
            )
        personas = self._personas(agencies)
        caseworkers: dict[str, list[User]] = {code: [] for code in agencies}
        for persona in PERSONAS:
            if persona.role == Role.CASEWORKER:
                caseworkers[persona.agency_code].append(personas[persona.username])
        for spec in AGENCIES:
            needed = math.ceil(self._share(spec) * 0.6 / OPEN_CASES_PER_CASEWORKER)
            missing = max(0, needed - len(caseworkers[spec.code]))
            caseworkers[spec.code] += self._generated_teams(
                agencies[spec.code], areas[spec.code], missing
            )
        return Organisation(agencies, areas, caseworkers)

    def _user(self, username: str, first: str, last: str, role: Role, agency: Agency) -> User:
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.invalid",
            role=role,
            agency=agency,
            password=self.password_hash,
        )

    def _personas(self, agencies: dict[str, Agency]) -> dict[str, User]:
        users: dict[str, User] = {}
        teams: dict[str, Team] = {}
        for persona in PERSONAS:
            agency = agencies[persona.agency_code]
            user = self._user(
                persona.username, persona.first_name, persona.last_name, persona.role, agency
            )
            user.save()
            users[persona.username] = user
            team_name = persona.team or persona.supervises
            if team_name and team_name not in teams:
                location = Location.objects.get(pcode=PERSONA_TEAM_OFFICE[team_name])
                office, _ = Office.objects.get_or_create(
                    agency=agency, name=f"{location.name} office", defaults={"location": location}
                )
                teams[team_name] = Team.objects.create(agency=agency, office=office, name=team_name)
            if persona.team:
                user.team = teams[persona.team]
                user.save(update_fields=["team"])
            if persona.supervises:
                teams[persona.supervises].supervisor = user
                teams[persona.supervises].save(update_fields=["supervisor"])
            self._demo_totp(user)
        return users

    def _demo_totp(self, user: User) -> None:
        key = "".join(f"{self.rng.randrange(256):02x}" for _ in range(20))
        TOTPDevice.objects.create(user=user, name="authenticator", key=key, confirmed=True)
        self.totp_secrets[user.username] = key

    def _generated_teams(
        self, agency: Agency, areas: list[Location], caseworker_count: int
    ) -> list[User]:
        """Extra teams (a supervisor and up to six caseworkers) so caseloads stay realistic."""
        created: list[User] = []
        team_number = 0
        while len(created) < caseworker_count:
            team_number += 1
            area = areas[team_number % len(areas)]
            office, _ = Office.objects.get_or_create(
                agency=agency, name=f"{area.name} office", defaults={"location": area}
            )
            tag = f"{agency.code.lower()}-{team_number:04d}"
            supervisor = self._user(f"sup-{tag}", "Supervisor", tag, Role.SUPERVISOR, agency)
            supervisor.save()
            team = Team.objects.create(
                agency=agency,
                office=office,
                name=f"{area.name} team {team_number}",
                supervisor=supervisor,
            )
            size = min(CASEWORKERS_PER_TEAM, caseworker_count - len(created))
            members = [
                self._user(f"cw-{tag}-{i}", "Caseworker", f"{tag}-{i}", Role.CASEWORKER, agency)
                for i in range(1, size + 1)
            ]
            for member in members:
                member.team = team
            created += User.objects.bulk_create(members)
        return created

    # People and cases ----------------------------------------------------------------------

    def _write_cases(
        self,
        organisation: Organisation,
        spec: AgencySpec,
        openings: list[tuple[datetime, str, str]],
    ) -> None:
        agency = organisation.agencies[spec.code]
        areas = organisation.areas[spec.code]
        caseworkers = organisation.caseworkers[spec.code]
        people = []
        cases = []
        for opened, status, number in openings:
            caseworker = self.rng.choice(caseworkers)
            person = self._person(agency, spec, areas, caseworker, opened)
            people.append(person)
            cases.append(self._case(agency, person, caseworker, opened, status, number))
        Person.objects.bulk_create(people, batch_size=1000)
        index_people(people)  # bulk_create sends no signals: add the blind indexes here
        for case in cases:
            case.person_id = case.person.pk
        Case.objects.bulk_create(cases, batch_size=1000)
        self._intake_records(agency, cases)
        # Each step's app adds its records (assessments, plans, notes, closures...).
        for module in app_modules("demo_data"):
            module.enrich(cases, rng=self.rng, now=self.now)

    def _intake_records(self, agency: Agency, cases: list[Case]) -> None:
        """Screening and consent: every case has its screening; consent once past intake."""
        rng = self.rng
        risk_types = list(
            RiskType.objects.filter(
                agency=agency, is_active=True, specialised_route__in=["", "coordination"]
            )
        )
        screenings = [
            IntakeScreening(
                case=case,
                eligibility=Eligibility.ELIGIBLE,
                eligibility_reason=rng.choice(SCREENING_REASONS),
                screened_by_id=case.opened_by_id,
                screened_at=case.opened_at,
            )
            for case in cases
        ]
        IntakeScreening.objects.bulk_create(screenings, batch_size=1000)
        through = IntakeScreening.risk_types.through
        links = [
            through(intakescreening_id=screening.pk, risktype_id=risk.pk)
            for screening in screenings
            for risk in rng.sample(risk_types, k=rng.choice((1, 1, 2)))
        ]
        through.objects.bulk_create(links, batch_size=2000)
        consents = [
            Consent(
                case=case,
                version=1,
                given_by=GivenBy.SERVICE_USER,
                method=rng.choice((ConsentMethod.VERBAL, ConsentMethod.WRITTEN)),
                given_at=case.opened_at,
                case_management=True,
                referrals=rng.random() < 0.8,
                data_sharing=False,
                shared_fields=list(DEFAULT_SHARED_FIELDS),
                safe_contact_methods=rng.sample(
                    [ContactMethod.PHONE_CALL, ContactMethod.HOME_VISIT, ContactMethod.OFFICE],
                    k=2,
                ),
                contact_restrictions=rng.choice(CONTACT_RESTRICTIONS),
                recorded_by_id=case.opened_by_id,
                recorded_at=case.opened_at,
            )
            for case in cases
            if case.status != CaseStatus.INTAKE or rng.random() < 0.5
        ]
        Consent.objects.bulk_create(consents, batch_size=1000)

    def _person(
        self,
        agency: Agency,
        spec: AgencySpec,
        areas: list[Location],
        caseworker: User,
        opened: datetime,
    ) -> Person:
        rng = self.rng
        sex = _weighted(rng, SEX_WEIGHTS)
        given, family = self.names.draw(rng.choice(spec.name_locales), sex)
        ((low, high),) = rng.choices([band for band, _ in AGE_BANDS], [w for _, w in AGE_BANDS])
        age = rng.randint(low, high)
        estimated = rng.random() < 0.3
        today = self.now.date()
        if estimated:
            born = date(today.year - age, 1, 1)
        else:
            born = today - timedelta(days=age * 365 + rng.randrange(365))
        languages = [code for code, share in spec.languages if rng.random() < share] or [
            spec.languages[0][0]
        ]
        return Person(
            agency=agency,
            given_name=given,
            family_name=family,
            sex=sex,
            date_of_birth=born,
            date_of_birth_is_estimated=estimated,
            phone=_phone(rng, spec.country) if rng.random() < 0.8 else "",
            location=rng.choice(areas),
            displacement_status=_weighted(rng, DISPLACEMENT_WEIGHTS),
            languages=languages,
            registered_by=caseworker,
            registered_at=opened,
        )

    def _case(
        self,
        agency: Agency,
        person: Person,
        caseworker: User,
        opened: datetime,
        status: str,
        number: str,
    ) -> Case:
        closed = status == CaseStatus.CLOSED
        risk = _weighted(self.rng, RISK_WEIGHTS)
        allowed = agency.response_time(risk)
        due = opened + allowed
        # Most first responses come in time, some late; some new cases still wait for one.
        responded: datetime | None = opened + allowed * self.rng.uniform(0.05, 1.3)
        if status == CaseStatus.INTAKE and self.rng.random() < 0.5:
            responded = None
        if responded is not None and responded > self.now:
            responded = None
        return Case(
            agency=agency,
            number=number,
            person=person,
            status=status,
            risk_level=risk,
            first_response_due_at=due,
            first_response_at=responded,
            team=caseworker.team,
            assigned_to=caseworker,
            opened_by=caseworker,
            opened_at=opened,
            closed_at=opened + timedelta(days=self.rng.randrange(30, 90)) if closed else None,
        )
