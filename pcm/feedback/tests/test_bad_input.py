"""Any input to the register's forms and filters gets a page, never a server error."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pcm.feedback.models import FeedbackEntry

any_text = st.text(st.characters(codec="utf-8"), max_size=200)
fuzz = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ENTRY_FIELDS = [
    "kind",
    "channel",
    "category",
    "received_on",
    "location",
    "case_number",
    "description",
    "wants_reply",
    "reply_by",
    "sensitive",
    "about_staff",
]
FILTERS = ["status", "kind", "category", "received_from", "received_to", "page"]


@fuzz
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(ENTRY_FIELDS, any_text)))
def test_the_entry_form_answers_any_input(personas, client_for, data):
    before = FeedbackEntry.objects.count()
    response = client_for(personas.caseworker).post(reverse("feedback:new"), data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert FeedbackEntry.objects.count() == before


@fuzz
@given(params=st.dictionaries(st.sampled_from(FILTERS), any_text))
def test_the_register_answers_any_query_string(personas, client_for, params):
    assert client_for(personas.manager).get(reverse("feedback:register"), params).status_code == 200


@fuzz
@given(data=st.dictionaries(st.sampled_from(["step", "on", "version", "response"]), any_text))
def test_a_step_answers_any_input(personas, client_for, entry_for, data):
    entry = entry_for(personas.supervisor)
    response = client_for(personas.supervisor).post(reverse("feedback:step", args=[entry.pk]), data)
    assert response.status_code in (302, 400, 409)


def test_an_out_of_range_version_is_refused_politely(personas, client_for, entry_for):
    entry = entry_for(personas.supervisor)
    client = client_for(personas.supervisor)
    for version in ("99999999999999999999999", "-1"):
        response = client.post(
            reverse("feedback:step", args=[entry.pk]),
            {"step": "acknowledge", "on": "2026-03-03", "version": version},
        )
        assert response.status_code == 400
        edit = client.post(
            reverse("feedback:edit", args=[entry.pk]),
            {
                "kind": "complaint",
                "channel": "hotline",
                "category": "quality",
                "received_on": "2026-03-02",
                "description": "Text",
                "version": version,
            },
        )
        assert edit.status_code == 400
