"""The register page: filters, pages, counts, and a constant number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pcm.feedback.models import Category, Kind, Status
from tests.factories import LocationFactory


def listed(response) -> list[int]:
    return [entry.pk for entry in response.context["entries"]]


def test_it_filters_by_status_kind_category_and_period(personas, entry_for, client_for):
    march = entry_for(personas.caseworker, received_on=date(2026, 3, 5))
    question = entry_for(
        personas.caseworker,
        kind=Kind.QUESTION,
        category=Category.INFORMATION,
        received_on=date(2026, 4, 1),
    )
    closed = entry_for(
        personas.caseworker,
        status=Status.CLOSED,
        received_on=date(2026, 4, 20),
        closed_on=date(2026, 4, 25),
    )
    client = client_for(personas.supervisor)
    url = reverse("feedback:register")
    assert listed(client.get(url)) == [closed.pk, question.pk, march.pk]
    assert listed(client.get(url, {"status": "closed"})) == [closed.pk]
    assert listed(client.get(url, {"kind": "question"})) == [question.pk]
    assert listed(client.get(url, {"category": "quality"})) == [closed.pk, march.pk]
    period = {"received_from": "2026-03-06", "received_to": "2026-04-19"}
    response = client.get(url, period)
    assert listed(response) == [question.pk]
    assert response.context["counts"]["total"] == 1
    bad = client.get(url, {"received_from": "2026-04-19", "received_to": "2026-03-06"})
    assert listed(bad) == []
    assert "The end of the period is before its start." in bad.content.decode()


def test_it_pages_the_register(personas, entry_for, client_for):
    start = date(2026, 1, 1)
    for day in range(30):
        entry_for(personas.caseworker, received_on=start + timedelta(days=day))
    client = client_for(personas.caseworker)
    first = client.get(reverse("feedback:register"))
    assert len(listed(first)) == 25
    second = client.get(reverse("feedback:register"), {"page": 2})
    assert len(listed(second)) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_the_register_costs_the_same_queries_whatever_its_size(
    personas, entry_for, client_for, django_assert_max_num_queries
):
    place = LocationFactory.create(name="Hamdaniya", pcode="IQD1505", level=2)

    def fill(count: int) -> None:
        for index in range(count):
            entry_for(
                personas.caseworker,
                location=place,
                sensitive=index % 5 == 0,
                received_on=date(2026, 2, 1) + timedelta(days=index % 28),
            )

    def queries(user) -> int:
        client = client_for(user)
        client.get(reverse("feedback:register"))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("feedback:register")).status_code == 200
        return len(captured)

    fill(3)
    few = {user: queries(user) for user in (personas.caseworker, personas.manager)}
    few[personas.meal_officer] = queries(personas.meal_officer)
    fill(40)
    for user, count in few.items():
        assert queries(user) == count, user.username
    client = client_for(personas.manager)
    client.get(reverse("feedback:register"))
    with django_assert_max_num_queries(10):
        client.get(reverse("feedback:register"), {"status": "received", "kind": "complaint"})
