"""manage.py emergency_purge: keys destroyed, identifying data unreadable, statistics kept."""

from __future__ import annotations

import io
import types
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from pcm.audit.models import AuditEvent
from pcm.cases.household import HouseholdMember
from pcm.cases.models import Case, RiskLevel
from pcm.core import discovery
from pcm.people.models import Person, PersonToken, Sex
from pcm.vault import emergency, keys
from pcm.vault.fields import UnreadableValue
from pcm.vault.models import VaultEvent
from pcm.vault.tests.helpers import plain_values, write_raw

YES = "--yes-destroy-all-identifying-data"


@pytest.fixture
def caseload(personas, case_for) -> list[Case]:
    cases = []
    for number, (sex, risk) in enumerate(
        [(Sex.FEMALE, RiskLevel.HIGH), (Sex.MALE, RiskLevel.LOW), (Sex.FEMALE, RiskLevel.MEDIUM)]
    ):
        case = case_for(personas.caseworker, risk_level=risk)
        case.person.sex = sex
        case.person.address = f"Building {number}, Mosul"
        case.person.save()
        HouseholdMember.objects.create(
            case=case, name=f"Relative {number}", relationship="sibling", sex="male"
        )
        cases.append(case)
    write_raw(Person, "id_document_number", cases[0].person.pk, "ID-IN-CLEAR-778899")
    return cases


def statistics() -> Counter[tuple[str, str, str]]:
    return Counter(Case.objects.values_list("person__sex", "risk_level", "status"))


def test_the_purge_makes_every_identifying_value_unreadable(caseload):
    before = plain_values()
    stats = statistics()
    old = keys.load_keyring()
    assert PersonToken.objects.exists()
    out = io.StringIO()

    call_command("emergency_purge", YES, stdout=out)

    ring = keys.load_keyring()
    assert ring.generation == old.generation + 1
    assert not set(ring.data_keys) & set(old.data_keys)
    assert ring.index_key != old.index_key
    assert ring.audit_key == old.audit_key, "the audit trail stays verifiable"
    after = plain_values()
    assert set(after) == set(before)
    assert all(isinstance(value, str) and value == "[unreadable]" for value in after.values())
    assert emergency.is_unreadable_everywhere()
    person = Person.objects.get(pk=caseload[0].person.pk)
    assert isinstance(person.given_name, UnreadableValue)
    assert person.sex == Sex.FEMALE and person.date_of_birth is not None
    assert statistics() == stats
    assert not PersonToken.objects.exists()
    event = AuditEvent.objects.get(event_type=VaultEvent.EMERGENCY_PURGE)
    assert event.detail["index_entries_deleted"] > 0
    assert event.detail["plaintext_values_overwritten"] == 1
    assert "Emergency purge done" in out.getvalue()


def test_the_old_keyring_file_is_overwritten_and_its_copies_removed(caseload, own_keyring):
    keys.keyring()
    stray = own_keyring.with_name(f".{own_keyring.name}.abcd1234")
    stray.write_text(keys.load_keyring().to_json(), encoding="utf-8")
    old_inode = own_keyring.stat().st_ino
    old_key = keys.load_keyring().active_key
    with own_keyring.open("rb") as held:  # like a copy the purge cannot know of: the same inode
        call_command("emergency_purge", YES, stdout=io.StringIO())
        assert own_keyring.stat().st_ino != old_inode
        old_bytes = held.read()
    import base64

    assert base64.b64encode(old_key) not in old_bytes, "the old file's bytes are overwritten"
    assert not stray.exists()


def test_the_purge_calls_every_app_purge_hook(caseload, monkeypatch):
    real = discovery.app_modules
    fake = types.SimpleNamespace(__name__="pcm.fake.purge", purge=lambda: 3)

    def modules(name: str):
        found = real(name)
        return (*found, fake) if name == "purge" else found

    monkeypatch.setattr(discovery, "app_modules", modules)
    report = emergency.emergency_purge()
    assert report.hooks["pcm.fake.purge"] == 3


def test_the_command_asks_for_the_phrase(caseload, monkeypatch):
    before = keys.load_keyring()
    monkeypatch.setattr("builtins.input", lambda prompt="": "destroy")
    with pytest.raises(CommandError, match="did not match"):
        call_command("emergency_purge", stdout=io.StringIO())
    assert keys.load_keyring() == before
    monkeypatch.setattr("builtins.input", lambda prompt="": emergency.CONFIRMATION_PHRASE)
    call_command("emergency_purge", stdout=io.StringIO())
    assert keys.load_keyring().generation == before.generation + 1


def test_a_keyring_from_the_environment_is_refused_before_anything_changes(caseload, monkeypatch):
    monkeypatch.setenv("PCM_KEYRING", keys.Keyring.generate().to_json())
    keys.forget_keyring()
    with pytest.raises(CommandError, match="PCM_KEYRING"):
        call_command("emergency_purge", YES, stdout=io.StringIO())
    assert PersonToken.objects.exists()


def test_new_work_after_the_purge_uses_the_new_keys(caseload, personas, case_for):
    call_command("emergency_purge", YES, stdout=io.StringIO())
    case = case_for(personas.caseworker)
    keys.forget_keyring()
    assert Person.objects.get(pk=case.person.pk).given_name == case.person.given_name
    assert PersonToken.objects.filter(person=case.person).exists()
