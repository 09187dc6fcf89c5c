"""Blind indexes follow every save of a person, whichever code path saved it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pcm.people.index import index_person
from pcm.people.models import Person


@receiver(post_save, sender=Person, dispatch_uid="people_index_person")
def _index_person(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"given_name", "family_name", "phone"} & set(
        update_fields
    ):
        return
    index_person(instance)
