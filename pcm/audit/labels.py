"""Translated labels of every audit event type, whichever app defines it.

Each app names its events in a TextChoices class called `…Event` or `…EventType` (in its
models or an `events` module); the trail shows their labels, and the code of any event no
class names (e.g. one from an app since removed).
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.db import models
from django.utils.functional import Promise

from pcm.core.discovery import app_modules


def _subclasses(cls: type[models.TextChoices]) -> list[type[models.TextChoices]]:
    found: list[type[models.TextChoices]] = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


@cache
def event_labels() -> dict[str, str | Promise]:
    """Event code → lazy translated label."""
    apps.check_apps_ready()
    app_modules("events")  # import the apps' `events` modules, so their classes exist
    labels: dict[str, str | Promise] = {}
    for choices in _subclasses(models.TextChoices):
        if not choices.__module__.startswith("pcm."):
            continue
        if choices.__name__.endswith(("Event", "EventType")):
            for value, label in choices.choices:
                labels.setdefault(str(value), label)
    return labels


def event_label(code: str) -> str:
    label = event_labels().get(code)
    return str(label) if label is not None else code


def event_choices() -> list[tuple[str, str]]:
    """(code, label) of every event type, by label in the active language."""
    return sorted(
        ((code, str(label)) for code, label in event_labels().items()), key=lambda c: c[1]
    )
