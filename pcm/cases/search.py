"""Finding cases by case number or by the service user's name.

This is the only place that searches cases. Names are encrypted: they are matched through the
people's blind indexes (pcm.people.search.name_condition), never by decrypting. Only a user who
sees names searches by name (pcm.access.fields), or a manager could probe who the agency helps;
and a case whose identity is hidden in lists is found by its number only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Q

from pcm.access.fields import may_search_by_name
from pcm.accounts.models import Role
from pcm.cases.models import Case, CaseQuerySet
from pcm.people.search import name_condition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pcm.accounts.models import User

MAX_QUERY_LENGTH = 100
_CASE_NUMBER = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")


def normalise_query(text: str) -> str:
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search_cases(
    user: User | AnonymousUser, text: str, *, limit: int | None = None
) -> CaseQuerySet:
    """Cases USER may see whose number or service user's name matches TEXT; with LIMIT, only
    the LIMIT most recently opened of them (found first by id, so that only those rows are
    read in full: with 200 000 cases this keeps a search of a common name fast)."""
    matching = _matching(user, text)
    if limit is None:
        return matching
    newest = matching.order_by("-opened_at", "-pk").values("pk")[:limit]
    return Case.objects.filter(pk__in=newest)


def _matching(user: User | AnonymousUser, text: str) -> CaseQuerySet:
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
    # A caseworker's or a team's cases are few: checking each one's index entries is fastest.
    # An agency's are many: finding the people with the name first is.
    per_row = getattr(user, "role", "") != Role.MANAGER
    by_name = (
        name_condition(query, person_field="person_id", per_row=per_row)
        if may_search_by_name(user)
        else None
    )
    if by_name is not None:
        condition |= by_name & Q(identity_hidden=False)
    if not condition:
        return visible.none()
    return visible.filter(condition)
