"""manage.py rotate_keys: every encrypted value re-encrypted with a new key, resumable, safe."""

from __future__ import annotations

import types
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pcm.audit.models import AuditEvent
from pcm.cases.household import HouseholdMember
from pcm.cases.models import Case
from pcm.people.models import Person, PersonToken
from pcm.people.search import find_people
from pcm.vault import crypto, keys, rotation
from pcm.vault.models import KeyRotation, RotationKind, RotationProgress, VaultEvent
from pcm.vault.tests.helpers import plain_values, stored_tokens, write_raw

PEOPLE = 7


class Crash(Exception):
    """Stands for Ctrl+C or a killed process in the middle of a rotation."""


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests have no other process to wait for."""
    monkeypatch.setattr(rotation, "settle_seconds", lambda: 0.0)


@pytest.fixture
def caseload(personas, case_for) -> list[Person]:
    people = []
    for number in range(PEOPLE):
        case = case_for(personas.caseworker)
        HouseholdMember.objects.create(
            case=case, name=f"Relative {number}", relationship="sibling", sex="male", note=""
        )
        people.append(case.person)
    # A value stored before encryption was switched on.
    write_raw(Person, "address", people[0].pk, "12 Old Street, written in clear")
    return people


def rotate(**options: Any) -> None:
    call_command("rotate_keys", **options, stdout=_Sink())


class _Sink:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def flush(self) -> None:
        pass


def test_rotation_reencrypts_every_value_and_retires_the_old_key(caseload):
    before = plain_values()
    old_key = keys.keyring().active
    assert before[("people.Person", "address", caseload[0].pk)].startswith("12 Old Street")
    assert len(before) >= PEOPLE * 4

    rotate(batch_size=3)

    ring = keys.load_keyring()
    assert ring.active != old_key
    assert list(ring.data_keys) == [ring.active], "the old key is retired"
    tokens = stored_tokens()
    assert set(tokens) == set(before)
    for token in tokens.values():
        assert crypto.key_id_of(token) == ring.active
    assert plain_values() == before
    done = KeyRotation.objects.get(kind=RotationKind.DATA)
    assert done.finished_at is not None and done.retired_keys == [old_key]
    progress = RotationProgress.objects.filter(rotation=done)
    assert all(table.finished for table in progress)
    assert sum(table.rewritten for table in progress) == len(before) - 1
    assert sum(table.plaintext for table in progress) == 1
    event = AuditEvent.objects.get(event_type=VaultEvent.DATA_KEYS_ROTATED)
    assert event.detail["rewritten"] == len(before)


def test_an_interrupted_rotation_resumes_without_double_work_or_loss(caseload, monkeypatch):
    before = plain_values()
    old_key = keys.keyring().active
    batches = 0

    def crash_after_three(progress: RotationProgress) -> None:
        nonlocal batches
        batches += 1
        if batches == 3:
            raise Crash

    monkeypatch.setattr(rotation, "batch_done", crash_after_three)
    with pytest.raises(Crash):
        rotate(batch_size=2)

    # Stopped half-way: both keys still in the keyring, everything still readable.
    first = KeyRotation.objects.get()
    assert first.finished_at is None
    ring = keys.load_keyring()
    assert set(ring.data_keys) == {old_key, first.target}
    key_ids = [crypto.key_id_of(token) for token in stored_tokens().values()]
    assert key_ids.count(first.target) > 0 and key_ids.count(old_key) > 0
    assert plain_values() == before
    rewritten_before = sum(p.rewritten + p.plaintext for p in first.tables.all())

    monkeypatch.setattr(rotation, "batch_done", lambda progress: None)
    rotate(batch_size=2)

    assert KeyRotation.objects.count() == 1, "the second run continued the same rotation"
    done = KeyRotation.objects.get()
    assert done.finished_at is not None and done.target == first.target
    total = sum(p.rewritten + p.plaintext for p in done.tables.all())
    assert rewritten_before < total == len(before), "each value was rewritten exactly once"
    ring = keys.load_keyring()
    assert list(ring.data_keys) == [first.target]
    assert {crypto.key_id_of(token) for token in stored_tokens().values()} == {first.target}
    assert plain_values() == before


def test_a_crash_inside_a_batch_loses_nothing(caseload, monkeypatch):
    before = plain_values()
    real_write = rotation._write
    writes = 0

    def write_then_die(*args: Any) -> int:
        nonlocal writes
        writes += 1
        written = real_write(*args)
        if writes == 4:  # half-way through a batch: its transaction never commits
            raise Crash
        return written

    monkeypatch.setattr(rotation, "_write", write_then_die)
    with pytest.raises(Crash):
        rotate(batch_size=2)
    assert plain_values() == before
    monkeypatch.setattr(rotation, "_write", real_write)
    rotate(batch_size=2)
    assert plain_values() == before
    target = KeyRotation.objects.get().target
    assert {crypto.key_id_of(token) for token in stored_tokens().values()} == {target}


def test_an_edit_during_the_rotation_is_not_overwritten(caseload, monkeypatch):
    person = caseload[3]
    real_reseal = rotation._reseal
    edited = False

    def reseal_while_someone_edits(stored, context, target, report):
        nonlocal edited
        if not edited and context == "people_person.given_name":
            edited = True
            fresh = Person.objects.get(pk=person.pk)
            fresh.given_name = "Edited meanwhile"
            fresh.save()
        return real_reseal(stored, context, target, report)

    monkeypatch.setattr(rotation, "_reseal", reseal_while_someone_edits)
    rotate(batch_size=100)
    keys.forget_keyring()
    assert Person.objects.get(pk=person.pk).given_name == "Edited meanwhile"


def test_undecryptable_values_are_left_and_counted(caseload):
    foreign = crypto.PREFIX + "deadbeef$" + "A" * 40
    write_raw(Person, "phone", caseload[1].pk, foreign)
    before = plain_values()
    rotate()
    after = plain_values()
    assert after == before
    assert after[("people.Person", "phone", caseload[1].pk)] == "[unreadable]"
    assert stored_tokens()[("people.Person", "phone", caseload[1].pk)] == foreign
    person_table = RotationProgress.objects.get(table="people.Person")
    assert person_table.unreadable == 1
    # Nothing that was readable became unreadable when the old key was retired.
    readable = {key for key, value in before.items() if value != "[unreadable]"}
    assert all(after[key] != "[unreadable]" for key in readable)


def test_keep_old_keys_leaves_them_in_the_keyring(caseload):
    old_key = keys.keyring().active
    rotate(keep_old_keys=True)
    ring = keys.load_keyring()
    assert old_key in ring.data_keys and ring.active != old_key
    assert KeyRotation.objects.get().retired_keys == []


def test_a_keyring_from_the_environment_cannot_be_rotated(caseload, monkeypatch):
    monkeypatch.setenv("PCM_KEYRING", keys.Keyring.generate().to_json())
    keys.forget_keyring()
    with pytest.raises(CommandError, match="PCM_KEYRING"):
        rotate()
    assert not KeyRotation.objects.exists()


def test_a_rotation_from_before_an_emergency_purge_is_not_resumed(caseload, monkeypatch):
    from pcm.vault.emergency import emergency_purge

    monkeypatch.setattr(rotation, "batch_done", lambda progress: (_ for _ in ()).throw(Crash))
    with pytest.raises(Crash):
        rotate(batch_size=2)
    emergency_purge()
    monkeypatch.setattr(rotation, "batch_done", lambda progress: None)
    rotate()
    stale, fresh = KeyRotation.objects.order_by("pk")
    assert stale.abandoned and not fresh.abandoned and fresh.finished_at is not None


def test_index_rotation_rebuilds_the_search_index_and_resumes(caseload, personas, monkeypatch):
    target = caseload[2]
    digests_before = set(PersonToken.objects.values_list("person_id", "digest"))
    old_index_key = keys.keyring().index_key
    assert target in find_people(personas.caseworker, name=target.given_name)

    monkeypatch.setattr(rotation, "batch_done", lambda progress: (_ for _ in ()).throw(Crash))
    with pytest.raises(Crash):
        rotate(index=True, batch_size=2)
    # Half-way: the new key is in use; the people not yet re-indexed are not found.
    assert keys.load_keyring().index_key != old_index_key
    assert target not in find_people(personas.caseworker, name=target.given_name)

    monkeypatch.setattr(rotation, "batch_done", lambda progress: None)
    rotate(index=True, batch_size=2)

    assert KeyRotation.objects.filter(kind=RotationKind.INDEX).count() == 1
    done = KeyRotation.objects.get(kind=RotationKind.INDEX)
    assert done.finished_at is not None
    digests_after = set(PersonToken.objects.values_list("person_id", "digest"))
    assert len(digests_after) == len(digests_before)
    assert not digests_after & digests_before, "every hash is made with the new key"
    for person in caseload:
        assert person in find_people(personas.caseworker, name=person.given_name)
        assert person in find_people(personas.caseworker, phone=person.phone)
    assert AuditEvent.objects.filter(event_type=VaultEvent.INDEX_KEY_ROTATED).exists()
    # The data keys were not touched.
    assert len(keys.load_keyring().data_keys) == 1


def test_the_batch_size_must_be_positive(caseload):
    with pytest.raises(CommandError, match="at least 1"):
        rotate(batch_size=0)


def test_attachment_files_are_reencrypted_before_the_old_key_goes(caseload, personas):
    from pcm.attachments import storage
    from pcm.attachments.models import Attachment, AttachmentKind, FileType

    case = Case.objects.get(person=caseload[0])
    attachment = Attachment.objects.create(
        case=case,
        number=1,
        kind=next(iter(AttachmentKind)),
        title="Consent form",
        content_type=FileType.PDF,
        size=11,
        storage_name=storage.new_storage_name(),
        uploaded_by=personas.caseworker,
    )
    storage.write_encrypted(
        attachment.storage_name, b"scan of a form", attachment.encryption_context
    )
    old_key = keys.keyring().active
    assert crypto.key_id_of_bytes(storage.read_sealed(attachment.storage_name)) == old_key

    rotate()

    ring = keys.load_keyring()
    assert old_key not in ring.data_keys
    keys.forget_keyring()
    sealed = storage.read_sealed(attachment.storage_name)
    assert crypto.key_id_of_bytes(sealed) == ring.active
    assert storage.read_decrypted(attachment.storage_name, attachment.encryption_context) == (
        b"scan of a form"
    )


def test_old_keys_stay_while_an_app_still_needs_them(caseload, monkeypatch):
    from pcm.core import discovery

    real = discovery.app_modules
    calls: list[int] = []

    def reencrypt(batch_size: int) -> int:
        calls.append(batch_size)
        return 0

    hook = types.SimpleNamespace(
        __name__="pcm.fake.key_rotation", reencrypt=reencrypt, references=lambda key_ids: 2
    )

    def modules(name: str):
        found = real(name)
        return (*found, hook) if name == "key_rotation" else found

    monkeypatch.setattr(discovery, "app_modules", modules)
    old_key = keys.keyring().active
    with pytest.raises(CommandError, match="still sealed with an old key"):
        rotate(batch_size=5)
    assert calls == [5]
    assert old_key in keys.load_keyring().data_keys


def test_a_rotation_whose_key_never_reached_the_keyring_is_started_afresh(caseload):
    """A crash between recording the rotation and writing the keyring."""
    before = plain_values()
    KeyRotation.objects.create(
        kind=RotationKind.DATA, target="ffffffff", generation=keys.keyring().generation
    )
    rotate()
    stale, done = KeyRotation.objects.order_by("pk")
    assert stale.abandoned and done.finished_at is not None
    assert plain_values() == before
