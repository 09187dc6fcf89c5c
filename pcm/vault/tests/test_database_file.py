"""The bar: a real SQLite database file, seeded with the demo, holds no identifying data in clear,
and after an emergency purge neither it nor a backup made before can be read.

Each test builds a fresh database FILE in a subprocess exactly as an operator would
(`manage.py migrate`, `manage.py seed` with PCM_DEMO=1), whatever database the test run uses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CASES = 60
MARKER = "PCM-JSON:"

# Printed by `manage.py shell -c`: what the service users' identifying values are (decrypted
# through the ORM), and the clear-text names of staff and places that may share a word with them.
IDENTIFYING = """
import json
from pcm.accounts.models import Agency, Office, Team, User
from pcm.locations.models import Location
from pcm.people.models import Person
from pcm.services.models import Provider
from pcm.vault.fields import UnreadableValue
people = []
for person in Person.objects.all():
    values = [person.given_name, person.family_name, person.phone, person.address]
    if any(isinstance(value, UnreadableValue) for value in values):
        raise SystemExit("unreadable before the purge")
    people.append(values)
clear = set()
for user in User.objects.all():
    clear.update(user.first_name.split() + user.last_name.split() + [user.username])
for model in (Agency, Office, Team, Location):
    for name in model.objects.values_list("name", flat=True):
        clear.update(name.split())
# The service directory's providers and focal points are staff contacts, stored in clear.
for provider in Provider.objects.all():
    clear.update(provider.name.split() + provider.focal_point_name.split())
print("%s" + json.dumps({"people": people, "clear": sorted(clear)}))
""".replace("%s", MARKER)

# Printed after the purge, for the live database or a backup: what can still be read.
AFTER_PURGE = """
import json
from collections import Counter
from pcm.cases.models import Case
from pcm.people.models import Person, PersonToken
from django.db.models import Q
from pcm.people.search import name_condition
from pcm.vault.emergency import is_unreadable_everywhere
from pcm.vault.fields import UnreadableValue, encrypted_fields
readable = 0
values = 0
for field in encrypted_fields():
    for record in field.model._base_manager.all():
        value = getattr(record, field.name)
        if value:
            values += 1
            if not isinstance(value, UnreadableValue):
                readable += 1
names = %r
found = sum(Person.objects.filter(name_condition(name) or Q(pk=None)).count() for name in names)
statistics = Counter(f"{sex}/{risk}" for sex, risk in Case.objects.values_list(
    "person__sex", "risk_level"))
print("%s" + json.dumps({
    "values": values, "readable": readable, "tokens": PersonToken.objects.count(),
    "everywhere": is_unreadable_everywhere(), "found_by_name": found,
    "statistics": statistics,
}))
"""

STATISTICS = """
import json
from collections import Counter
from pcm.cases.models import Case
print("%s" + json.dumps(Counter(f"{sex}/{risk}" for sex, risk in Case.objects.values_list(
    "person__sex", "risk_level"))))
""".replace("%s", MARKER)


@dataclass
class Deployment:
    directory: Path
    database: Path
    keyring: Path

    def environment(self, database: Path | None = None) -> dict[str, str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in ("DATABASE_URL", "PCM_KEYRING", "PCM_KEYRING_FILE", "PCM_SQLITE_PATH")
        }
        env.update(
            PCM_DEMO="1",
            PCM_SQLITE_PATH=str(database or self.database),
            PCM_DATA_DIR=str(self.directory / "data"),
            PCM_KEYRING_PATH=str(self.keyring),
            DJANGO_SETTINGS_MODULE="pcm.settings",
        )
        return env

    def manage(self, *args: str, database: Path | None = None) -> str:
        completed = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.environment(database),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr[-3000:]
        return completed.stdout

    def shell(self, code: str, database: Path | None = None) -> object:
        output = self.manage("shell", "-v", "0", "-c", code, database=database)
        line = next(line for line in output.splitlines() if line.startswith(MARKER))
        return json.loads(line[len(MARKER) :])

    def files(self, database: Path | None = None) -> list[Path]:
        base = database or self.database
        return [path for path in (base, Path(f"{base}-wal")) if path.exists()]


def seeded_deployment(directory: Path) -> Deployment:
    deployment = Deployment(
        directory=directory,
        database=directory / "pcm.sqlite3",
        keyring=directory / "keys" / "keyring.json",
    )
    deployment.manage("migrate", "--skip-checks", "-v", "0")
    deployment.manage("seed", "--skip-checks", "--cases", str(CASES))
    return deployment


def identifying_values(deployment: Deployment) -> list[str]:
    """What must never be in the file: full names, distinctive given names, phones, addresses."""
    found = deployment.shell(IDENTIFYING)
    assert isinstance(found, dict)
    clear = {word.casefold() for word in found["clear"]}
    values: set[str] = set()
    for given, family, phone, address in found["people"]:
        values.add(f"{given} {family}".strip())
        # A given name alone only when no staff member, agency, team or place shares it.
        if len(given) >= 5 and given.casefold() not in clear:
            values.add(given)
        if phone:
            values.add(phone)
            digits = "".join(char for char in phone if char.isdigit())
            if len(digits) >= 9:
                values.add(digits)
        if address:
            values.add(address)
    return sorted(values)


def test_the_database_file_holds_no_identifying_data_in_clear(tmp_path):
    deployment = seeded_deployment(tmp_path)
    values = identifying_values(deployment)
    assert len(values) > CASES, values  # names, phone numbers...
    assert any(not value.isascii() for value in values), "Arabic or Cyrillic names too"
    content = b"".join(path.read_bytes() for path in deployment.files())
    assert len(content) > 100_000
    # The search works on this file: the staff's user names are stored in clear.
    assert b"caseworker" in content
    leaked = [value for value in values if value.encode("utf-8") in content]
    assert not leaked, f"in clear in the database file: {leaked[:10]}"


def test_after_the_purge_neither_the_database_nor_an_older_backup_can_be_read(tmp_path):
    deployment = seeded_deployment(tmp_path)
    names = [value for value in identifying_values(deployment) if value[0] not in "+0123456789"]
    statistics = deployment.shell(STATISTICS)
    # The backup an operator made the day before (the keyring is never in it).
    backup = tmp_path / "backup" / "pcm-yesterday.sqlite3"
    backup.parent.mkdir()
    for path in deployment.files():
        shutil.copy2(path, backup.parent / path.name.replace("pcm.sqlite3", backup.name))
    check = AFTER_PURGE.replace("%r", repr(names[:40])).replace("%s", MARKER)
    before = deployment.shell(check, database=backup)
    assert isinstance(before, dict)
    assert before["readable"] == before["values"] > 0 and before["found_by_name"] > 0

    output = deployment.manage(
        "emergency_purge", "--skip-checks", "--yes-destroy-all-identifying-data"
    )
    assert "Emergency purge done" in output

    for database in (deployment.database, backup):
        after = deployment.shell(check, database=database)
        assert isinstance(after, dict)
        assert after["values"] == before["values"], database
        assert after["readable"] == 0, f"{after['readable']} values readable in {database}"
        assert after["everywhere"] is True
        assert after["found_by_name"] == 0, "the old index is useless without its key"
        assert after["statistics"] == statistics
    live = deployment.shell(check)
    assert isinstance(live, dict)
    assert live["tokens"] == 0
    content = b"".join(path.read_bytes() for path in deployment.files())
    assert not [name for name in names if name.encode("utf-8") in content]
