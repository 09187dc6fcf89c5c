"""Demo register: a few dozen plausible entries per agency, once, with handlers, in bulk."""

from __future__ import annotations

import random
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pcm.feedback.demo_data import ENTRIES_PER_AGENCY, enrich
from pcm.feedback.models import ComplaintsHandler, FeedbackEntry, Status
from tests.factories import CaseFactory


def test_it_builds_a_register_per_agency_once(personas):
    cases = [CaseFactory.create(assigned_to=personas.caseworker) for _ in range(5)]
    cases.append(CaseFactory.create(assigned_to=personas.outsider))
    now = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        enrich(cases, rng=random.Random(4), now=now)
    assert len(captured) <= 12
    entries = FeedbackEntry.objects.all()
    assert entries.filter(agency=personas.agency).count() == ENTRIES_PER_AGENCY
    assert entries.filter(agency=personas.other_agency).count() == ENTRIES_PER_AGENCY
    enrich(cases, rng=random.Random(5), now=now)
    assert entries.count() == 2 * ENTRIES_PER_AGENCY
    statuses = Counter(entries.values_list("status", flat=True))
    assert (
        statuses[Status.CLOSED] > 0
        and statuses[Status.RECEIVED] + statuses[Status.ACKNOWLEDGED] + statuses[Status.IN_PROGRESS]
        > 0
    )
    today = timezone.localdate(now)
    for entry in entries:
        assert entry.received_on <= today
        if entry.closed_on is not None:
            assert entry.received_on <= entry.closed_on <= today
            assert entry.closed_by_id is not None
        if entry.responded_on is not None:
            assert entry.response and entry.responded_by_id is not None
        if entry.is_restricted:
            assert entry.linked_case_id is None
    assert {handler.user for handler in ComplaintsHandler.objects.all()} == {
        personas.manager,
        personas.supervisor,
        personas.outsider_manager,
        personas.outsider_supervisor,
    }
