"""Finding cases by case number or by the service user's name.

This is the only place that searches cases. Names are encrypted: they are matched through the
people's blind indexes (pcm.people.search.name_condition), never by decrypting.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q

from pcm.cases.models import Case, CaseQuerySet
from pcm.people.search import name_condition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pcm.accounts.models import User

MAX_QUERY_LENGTH = 100
_CASE_NUMBER = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")


def normalise_query(text: str) -> str:
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search_cases(user: User | AnonymousUser, text: str) -> CaseQuerySet:
    """Cases USER may see whose number or service user's name matches TEXT."""
    visible = Case.objects.visible_to(user)  # type: ignore[arg-type]
    query = normalise_query(text)
    if not query:
        return visible
    condition = Q()
    if _CASE_NUMBER.match(query) and any(ch.isdigit() for ch in query):
        # A whole number (NRC-IQ-2026-00042), found through the unique index since numbers are
        # stored in capitals, or its end (2026-00042, 00042, 42).
        condition |= Q(number=query.upper()) | Q(number__endswith=f"-{query.upper().lstrip('-')}")
        if query.isdigit():
            condition |= Q(number__iendswith=f"-{int(query):05d}")
    by_name = name_condition(query, person_field="person_id")
    if by_name is not None:
        condition |= by_name
    if not condition:
        return visible.none()
    return visible.filter(condition)
