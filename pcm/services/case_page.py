"""The case page's list of services that fit the person: by place, age and sex, nothing shared."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from pcm.cases.models import Case
from pcm.cases.page import Section
from pcm.services.directory import Criteria, matching, may_search
from pcm.services.models import Service

ORDER = 35
SHOWN = 10


def CASE_SECTION(request: HttpRequest, case: Case) -> Section | None:
    """The case is already visible to the user; the services come from the case's agency."""
    user = request.user
    if not may_search(user):
        return None
    person = case.person
    criteria = Criteria(
        location=person.location,
        age=person.age_on(timezone.localdate()),
        sex=person.sex,
    )
    services = matching(
        Service.objects.filter(provider__agency_id=case.agency_id), criteria, inside=False
    )
    fitting = list(services[: SHOWN + 1])
    return Section(
        template="services/_case_section.html",
        context={"services": fitting[:SHOWN], "more": len(fitting) > SHOWN},
    )
