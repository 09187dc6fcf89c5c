"""Anonymisation and the subject export reach every record: a new model cannot be forgotten."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from pcm.retention.coverage import (
    CASE_RECORDS,
    EXCLUDED,
    PERSON_DELETED,
    PERSON_RECORDS,
    PLAIN_ERASED,
    PLAIN_KEPT,
)
from pcm.vault.fields import EncryptedTextField, encrypted_fields

COVERED = {entry.label for entry in (*CASE_RECORDS, *PERSON_RECORDS, *PERSON_DELETED)}


def test_every_model_with_encrypted_fields_is_covered_or_excluded():
    with_secrets = {field.model._meta.label for field in encrypted_fields()}
    missing = with_secrets - COVERED - EXCLUDED.keys()
    assert not missing, (
        f"Models with encrypted fields that anonymisation does not reach: {sorted(missing)}. "
        "Add them to CASE_RECORDS or PERSON_RECORDS in pcm/retention/coverage.py (or to "
        "EXCLUDED with the reason)."
    )


def test_every_model_pointing_at_a_covered_record_is_covered_or_excluded():
    """A record hanging off a case, a person or one of their records belongs to them."""
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if label in COVERED or label in EXCLUDED:
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if field.auto_created or related is None:
                continue
            if not field.concrete and not field.many_to_many:
                continue
            if related._meta.label in COVERED:
                missing.append(f"{label}.{field.name}")
    assert not missing, f"Not in pcm/retention/coverage.py: {missing}"


@pytest.mark.parametrize("entry", [*CASE_RECORDS, *PERSON_RECORDS, *PERSON_DELETED], ids=str)
def test_each_path_leads_to_its_owner(entry, db):
    owner = "cases.Case" if entry in CASE_RECORDS else "people.Person"
    model: type[models.Model] = entry.model
    if not entry.path:
        assert model._meta.label == owner
        return
    for name in entry.path.split("__"):
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    assert model._meta.label == owner
    entry.rows_of(1).count()  # the lookup is valid SQL


def test_free_text_of_covered_records_is_erased_or_kept_on_purpose():
    """Every plain text field of a covered record is either erased or kept for a reason."""
    unexplained = []
    for label in COVERED:
        model = apps.get_model(label)
        erased = PLAIN_ERASED.get(label, {})
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField) or field.choices:
                continue
            if not isinstance(field, models.CharField | models.TextField):
                continue
            name = f"{label}.{field.name}"
            if field.name not in erased and name not in PLAIN_KEPT:
                unexplained.append(name)
    assert not unexplained, (
        f"Plain text fields neither erased nor kept on purpose: {unexplained}. Encrypt them, or "
        "add them to PLAIN_ERASED or PLAIN_KEPT in pcm/retention/coverage.py."
    )


def test_the_rich_fixture_has_a_row_of_every_record(rich_case):
    """So that the anonymisation tests below fill and check every kind of record."""
    empty = [entry.label for entry in CASE_RECORDS if not entry.rows_of(rich_case.pk).exists()]
    assert not empty, f"Add a row of these to build_records in tests/conftest.py: {empty}"
    for entry in PERSON_DELETED:
        assert entry.rows_of(rich_case.person_id).exists() or entry.path == "candidate"
