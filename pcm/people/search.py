"""Finding people already registered, before registering someone again.

The only place that searches people: a later change replaces it with blind indexes over
encrypted names and phone numbers without touching any caller.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q

from pcm.people.models import Person, PersonQuerySet

if TYPE_CHECKING:
    from pcm.accounts.models import User

MAX_RESULTS = 20
_PHONE_DIGITS_COMPARED = 7


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def find_people(
    user: User, *, name: str = "", phone: str = "", date_of_birth: date | None = None
) -> PersonQuerySet:
    """People USER may see who match the name, the phone number or the date of birth."""
    condition = Q()
    tokens = name.split()[:5]
    if tokens:
        name_match = Q()
        for token in tokens:
            name_match &= Q(given_name__icontains=token) | Q(family_name__icontains=token)
        condition |= name_match
    digits = phone_digits(phone)
    if len(digits) >= _PHONE_DIGITS_COMPARED:
        # The end of the number: the same phone written with or without the country code.
        tail = digits[-_PHONE_DIGITS_COMPARED:]
        condition |= Q(phone__regex=r"\D*".join(tail) + r"\D*$")
    if date_of_birth is not None:
        condition |= Q(date_of_birth=date_of_birth)
    if not condition:
        return Person.objects.none()
    return Person.objects.visible_to(user).filter(condition)
