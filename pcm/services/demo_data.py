"""Demo service directory: a handful of realistic providers and services per demo agency.

Called by the seed command for each batch of cases; an agency gets its directory once, on its
first batch, in a few bulk inserts.
"""

from __future__ import annotations

import random
from datetime import datetime

from pcm.cases.models import Case
from pcm.services.models import Cost, Provider, Sector, Service

PROVIDERS = [
    ("Community Health Centre", "Dr. Samira Haddad", "+000 700 000 101"),
    ("Legal Aid Collective", "Yusuf Karam", "+000 700 000 102"),
    ("Safe Shelter Association", "Mariam Aziz", "+000 700 000 103"),
    ("Women and Girls Safe Space", "Rana Odeh", "+000 700 000 104"),
]
# (provider index, name, sector, min age, max age, female, male, cost, response days, languages)
SERVICES = [
    (0, "Primary health care", Sector.HEALTH, None, None, True, True, Cost.FREE, 2, ["ar", "en"]),
    (
        0,
        "Psychological first aid and counselling",
        Sector.MHPSS,
        18,
        None,
        True,
        True,
        Cost.FREE,
        5,
        ["ar"],
    ),
    (
        1,
        "Legal counselling on civil documentation",
        Sector.LEGAL,
        18,
        None,
        True,
        True,
        Cost.FREE,
        7,
        ["ar", "en"],
    ),
    (1, "Representation in court", Sector.LEGAL, 18, None, True, True, Cost.SUBSIDISED, 10, ["ar"]),
    (2, "Emergency shelter", Sector.SHELTER, 18, None, True, False, Cost.FREE, 1, ["ar"]),
    (2, "Multi-purpose cash for protection", Sector.CASH, 18, None, True, True, Cost.FREE, 14, []),
    (3, "GBV case management", Sector.GBV, 18, None, True, False, Cost.FREE, 2, ["ar"]),
    (
        3,
        "Vocational training for women",
        Sector.LIVELIHOODS,
        18,
        59,
        True,
        False,
        Cost.FREE,
        21,
        ["ar"],
    ),
]


def enrich(cases: list[Case], *, rng: random.Random, now: datetime) -> None:
    by_agency: dict[int, set[int]] = {}
    for case in cases:
        areas = by_agency.setdefault(case.agency_id, set())
        if case.person.location_id is not None:
            areas.add(case.person.location_id)
    done = set(Provider.objects.filter(agency_id__in=by_agency).values_list("agency_id", flat=True))
    providers: list[Provider] = []
    services: list[Service] = []
    service_areas: list[list[int]] = []
    for agency_id, areas in by_agency.items():
        if agency_id in done or not areas:
            continue
        mine = [
            Provider(
                agency_id=agency_id,
                name=name,
                focal_point_name=focal,
                focal_point_phone=phone,
                focal_point_email=f"referrals{index}@example.org",
            )
            for index, (name, focal, phone) in enumerate(PROVIDERS)
        ]
        providers += mine
        ordered = sorted(areas)
        for spec in SERVICES:
            index, name, sector, low, high, female, male, cost, days, languages = spec
            services.append(
                Service(
                    provider=mine[index],
                    name=name,
                    sector=sector,
                    min_age=low,
                    max_age=high,
                    serves_female=female,
                    serves_male=male,
                    serves_other=female and male,
                    languages=languages,
                    accessible=rng.random() < 0.5,
                    opening_hours="Sun–Thu 08:00–15:00",
                    cost=cost,
                    how_to_refer="Call or e-mail the focal point; send the referral form.",
                    response_days=days,
                )
            )
            count = min(len(ordered), rng.randint(1, 3))
            service_areas.append(rng.sample(ordered, count))
    if not services:
        return
    Provider.objects.bulk_create(providers)
    for service in services:
        service.provider_id = service.provider.pk
    Service.objects.bulk_create(services)
    through = Service.locations.through
    through.objects.bulk_create(
        through(service_id=service.pk, location_id=location_id)
        for service, areas in zip(services, service_areas, strict=True)
        for location_id in areas
    )
