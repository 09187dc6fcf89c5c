"""`manage.py emergency_purge`: destroy the keys so every identifying value becomes unreadable."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcm.vault import emergency


class Command(BaseCommand):
    help = (
        "EMERGENCY: destroy the data and index keys so that every name, phone number, address, "
        "document number and narrative becomes unreadable for good, in the database and in "
        "every backup of it. Statistics (sex, age, location, risk, status, dates) remain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--yes-destroy-all-identifying-data",
            action="store_true",
            dest="confirmed",
            help="Do not ask for the confirmation phrase (for scripts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            emergency.check_possible()
        except emergency.PurgeImpossible as exc:
            raise CommandError(str(exc)) from exc
        if not options["confirmed"]:
            self.stdout.write(
                self.style.WARNING(
                    "This destroys the keys of every agency on this PCM. All identifying data "
                    "(names, phone numbers, addresses, documents, narratives) becomes unreadable "
                    "for good, in the database and in its backups. It cannot be undone."
                )
            )
            self.stdout.write(f'Type "{emergency.CONFIRMATION_PHRASE}" to go on:')
            try:
                typed = input("> ")
            except EOFError:
                typed = ""
            if typed.strip() != emergency.CONFIRMATION_PHRASE:
                raise CommandError("The phrase did not match: nothing was destroyed.")
        report = emergency.emergency_purge(actor=None)
        self.stdout.write(f"Data keys destroyed: {report.data_keys_destroyed}")
        self.stdout.write("Search index key destroyed: 1")
        self.stdout.write(f"Keyring copies removed: {report.keyring_copies_removed}")
        self.stdout.write(f"Search index entries deleted: {report.index_entries_deleted}")
        self.stdout.write(
            f"Values stored before encryption overwritten: {report.plaintext_values_overwritten}"
        )
        for name, count in report.hooks.items():
            self.stdout.write(f"{name}: {count} removed")
        self.stdout.write(
            self.style.SUCCESS(
                f"Emergency purge done (keyring generation {report.generation}). Identifying "
                "data now reads as [unreadable]. Restart every PCM process and destroy every "
                "copy of the old keyring you may have made."
            )
        )
