"""Finding people already registered, before registering someone again.

The only place that searches people. Names and phone numbers are encrypted, so the search goes
through their blind indexes (pcm.vault.blind): by sound and script-independent spelling for
names, by the last seven digits for phone numbers.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from pcm.people.models import Person, PersonQuerySet, PersonToken
from pcm.vault.blind import phone_digest, query_digests

if TYPE_CHECKING:
    from pcm.accounts.models import User

MAX_RESULTS = 20


def name_condition(text: str, person_field: str = "pk", *, per_row: bool = False) -> Q | None:
    """A condition on PERSON_FIELD matching people whose name matches every token of TEXT.

    By default the matching people are looked up first (`IN`), which is fastest when the rows
    searched are many (a whole agency); PER_ROW checks each row's index entries (`EXISTS`),
    fastest when they are few (a caseworker's or a team's cases).
    """
    groups = query_digests(text)
    if not groups:
        return None
    condition = Q()
    for group in groups:
        if per_row:
            tokens = PersonToken.objects.filter(person_id=OuterRef(person_field), digest__in=group)
            condition &= Q(Exists(tokens))
        else:
            condition &= Q(**{f"{person_field}__in": _holders(group)})
    return condition


def _holders(digests: set[int]) -> QuerySet[PersonToken, Any]:
    return PersonToken.objects.filter(digest__in=digests).values("person_id")


def find_people(
    user: User, *, name: str = "", phone: str = "", date_of_birth: date | None = None
) -> PersonQuerySet:
    """People USER may see who match the name, the phone number or the date of birth."""
    condition = Q()
    by_name = name_condition(name)
    if by_name is not None:
        condition |= by_name
    by_phone = phone_digest(phone)
    if by_phone is not None:
        condition |= Q(pk__in=_holders({by_phone}))
    if date_of_birth is not None:
        condition |= Q(date_of_birth=date_of_birth)
    if not condition:
        return Person.objects.none()
    return Person.objects.visible_to(user).filter(condition)
