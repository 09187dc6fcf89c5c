"""The service directory: keeping it, searching it, and the services that fit a case."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.core.errors import ActionRefused, EditConflict
from pcm.locations.models import Location
from pcm.services import actions
from pcm.services.demo_data import enrich
from pcm.services.directory import Criteria, search
from pcm.services.models import Provider, Sector, Service
from tests.factories import CaseFactory, LocationFactory


@pytest.fixture
def areas(db) -> dict[str, Location]:
    governorate = LocationFactory.create(name="Ninewa", pcode="IQG15", level=1)
    district = LocationFactory.create(name="Mosul", pcode="IQD1501", level=2, parent=governorate)
    other = LocationFactory.create(name="Basrah", pcode="IQG02", level=1)
    return {"governorate": governorate, "district": district, "other": other}


def make_service(agency, name: str, places: list[Location], **fields: object) -> Service:
    provider, _ = Provider.objects.get_or_create(agency=agency, name=f"{name} org")
    fields.setdefault("sector", Sector.LEGAL)
    service = Service.objects.create(provider=provider, name=name, **fields)
    service.locations.set(places)
    return service


def test_manager_adds_provider_and_service_audited(personas, client_for, areas):
    client = client_for(personas.manager)
    response = client.post(
        reverse("services:new_provider"),
        {"name": "Legal Aid Collective", "focal_point_name": "Yusuf", "focal_point_phone": "1"},
    )
    assert response.status_code == 302
    provider = Provider.objects.get(agency=personas.agency)
    response = client.post(
        reverse("services:new_service"),
        {
            "provider": provider.pk,
            "name": "Civil documentation",
            "sector": Sector.LEGAL,
            "locations": [areas["governorate"].pk],
            "min_age": 18,
            "serves_female": "on",
            "languages": ["ar", "ku"],
            "cost": "free",
            "response_days": 7,
        },
    )
    assert response.status_code == 302
    service = Service.objects.get()
    assert service.languages == ["ar", "ku"] and not service.serves_male
    assert list(service.locations.all()) == [areas["governorate"]]
    events = AuditEvent.objects.filter(
        event_type__in=["service_provider_created", "service_created"]
    )
    assert events.count() == 2
    assert all("Yusuf" not in str(event.detail) for event in events)


def test_form_refuses_bad_ages_and_keeps_input(personas, client_for, areas):
    provider = Provider.objects.create(agency=personas.agency, name="Clinic")
    response = client_for(personas.manager).post(
        reverse("services:new_service"),
        {
            "provider": provider.pk,
            "name": "Paediatrics",
            "sector": Sector.HEALTH,
            "locations": [areas["district"].pk],
            "min_age": 18,
            "max_age": 5,
            "cost": "free",
        },
    )
    assert response.status_code == 400
    assert "The maximum age must not be below the minimum age." in response.content.decode()
    assert 'value="Paediatrics"' in response.content.decode()
    assert not Service.objects.exists()


def test_caseworker_cannot_maintain(personas, client_for):
    client = client_for(personas.caseworker)
    assert client.get(reverse("services:new_service")).status_code == 403
    assert client.get(reverse("services:directory")).status_code == 200


def test_concurrent_edit_conflicts_and_deactivation(personas, areas):
    service = make_service(personas.agency, "Shelter", [areas["district"]])
    data = {name: getattr(service, name) for name in actions.SERVICE_FIELDS}
    data["name"] = "Emergency shelter"
    actions.save_service(personas.manager, data, [areas["district"]], service=service, version=1)
    with pytest.raises(EditConflict):
        actions.save_service(
            personas.manager, data, [areas["district"]], service=service, version=1
        )
    service.refresh_from_db()
    assert service.name == "Emergency shelter" and service.version == 2
    actions.set_service_active(personas.manager, service, False, 2)
    assert not Service.objects.get().is_active
    with pytest.raises(ActionRefused):
        actions.set_service_active(personas.caseworker, service, True, 3)
    with pytest.raises(ActionRefused):  # another agency's manager
        actions.set_service_active(personas.outsider_manager, service, True, 3)
    assert AuditEvent.objects.filter(event_type="service_deactivated").count() == 1


def test_search_by_sector_place_and_eligibility(personas, areas):
    wide = make_service(personas.agency, "Legal aid", [areas["governorate"]])
    local = make_service(
        personas.agency,
        "Women's shelter",
        [areas["district"]],
        sector=Sector.SHELTER,
        serves_male=False,
        serves_other=False,
        min_age=18,
    )
    make_service(personas.agency, "Basrah clinic", [areas["other"]], sector=Sector.HEALTH)
    make_service(personas.agency, "Closed", [areas["district"]], is_active=False)
    make_service(personas.other_agency, "Elsewhere", [areas["district"]])
    user = personas.caseworker

    def names(**criteria: object) -> set[str]:
        return {service.name for service in search(user, Criteria(**criteria))}  # type: ignore[arg-type]

    assert names() == {"Legal aid", "Women's shelter", "Basrah clinic"}
    assert names(sector=Sector.LEGAL) == {wide.name}
    # A district is served by services of its governorate; a governorate includes its districts.
    assert names(location=areas["district"]) == {wide.name, local.name}
    assert names(location=areas["governorate"]) == {wide.name, local.name}
    assert names(location=areas["district"], sex="male") == {wide.name}
    assert names(location=areas["district"], age=12) == {wide.name}
    assert names(text="shelter") == {local.name}


def test_directory_page_is_paginated_without_n_plus_one(personas, client_for, areas):
    for index in range(30):
        make_service(personas.agency, f"Service {index}", [areas["district"], areas["other"]])
    client = client_for(personas.caseworker)
    url = reverse("services:directory")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, {"location": areas["district"].pk, "age": 30, "sex": "female"})
    assert response.status_code == 200
    assert response.content.decode().count("Service ") >= 25
    assert "Page 1 of 2" in response.content.decode()
    for index in range(30, 60):
        make_service(personas.agency, f"Service {index}", [areas["district"]])
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"location": areas["district"].pk, "age": 30, "sex": "female", "page": 2})
    assert len(more) == len(few)
    assert len(few) < 20


def test_bad_search_input_answers_clearly(personas, client_for):
    response = client_for(personas.supervisor).get(reverse("services:directory"), {"age": "-3"})
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()


def test_case_page_lists_fitting_services(personas, client_for, areas):
    case = CaseFactory.create(assigned_to=personas.caseworker)
    person = case.person
    person.location = areas["district"]
    person.sex = "male"
    person.date_of_birth = date(timezone.localdate().year - 30, 1, 1)
    person.save()
    make_service(personas.agency, "Legal aid for all", [areas["governorate"]])
    make_service(personas.agency, "Women only", [areas["district"]], serves_male=False)
    make_service(personas.agency, "Children only", [areas["district"]], max_age=17)
    make_service(personas.agency, "Basrah only", [areas["other"]])
    make_service(personas.other_agency, "Other agency", [areas["district"]])
    page = (
        client_for(personas.caseworker)
        .get(reverse("cases:detail", kwargs={"public_id": case.public_id}))
        .content.decode()
    )
    assert "Services that fit this case" in page
    assert "Legal aid for all" in page
    for name in ("Women only", "Children only", "Basrah only", "Other agency"):
        assert name not in page


def test_demo_data_builds_a_directory_per_agency_once(personas, areas):
    case = CaseFactory.create(assigned_to=personas.caseworker)
    case.person.location = areas["district"]
    case.person.save()
    rng = random.Random(5)
    with CaptureQueriesContext(connection) as queries:
        enrich([case], rng=rng, now=timezone.now())
    assert len(queries) <= 6
    services = Service.objects.filter(provider__agency=personas.agency)
    assert services.count() >= 6
    assert all(service.locations.exists() for service in services)
    enrich([case], rng=rng, now=timezone.now())
    assert Service.objects.count() == services.count()
