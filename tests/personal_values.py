"""Pytest plugin: remembers the personal data the suite creates, for the log scan of bin/test.

When PCM_PERSONAL_VALUES_DIR is set, every service user, household member and emergency contact
saved during the tests has its name, phone number and address appended (one value per line) to
a file of that directory per test worker. `python -m tests.scan_logs` then looks for them in
the log the whole suite wrote.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.db.models.signals import post_save


def _values(instance: Any) -> list[str]:
    found = []
    for name in ("given_name", "family_name", "name", "phone", "address", "id_document_number"):
        value = getattr(instance, name, "")
        if isinstance(value, str) and value.strip():
            found.append(value.strip())
    given, family = getattr(instance, "given_name", ""), getattr(instance, "family_name", "")
    if given and family:
        found.append(f"{given} {family}")
    return found


@pytest.fixture(scope="session", autouse=True)
def _record_personal_values(django_db_setup: None) -> Any:
    directory = os.environ.get("PCM_PERSONAL_VALUES_DIR")
    if not directory:
        yield
        return
    from pcm.cases.household import HouseholdMember
    from pcm.people.models import Person
    from pcm.plans.safety import EmergencyContact

    Path(directory).mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    target = Path(directory) / f"{worker}.txt"

    def record(sender: type, instance: Any, **kwargs: Any) -> None:
        with target.open("a", encoding="utf-8") as handle:
            for value in _values(instance):
                handle.write(value.replace("\n", " ") + "\n")

    models = (Person, HouseholdMember, EmergencyContact)
    for model in models:
        post_save.connect(record, sender=model, dispatch_uid=f"personal-values-{model.__name__}")
    yield
    for model in models:
        post_save.disconnect(sender=model, dispatch_uid=f"personal-values-{model.__name__}")
