"""`manage.py seed --cases N`: generate a synthetic caseload (fixed seed, bulk inserts)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcm.accounts.models import Agency
from pcm.core.database import refresh_statistics
from pcm.demo.caseload import CaseloadBuilder


class Command(BaseCommand):
    help = "Generate a realistic synthetic caseload: agencies, teams, demo logins, people, cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=200, help="How many cases (default 200).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds agencies (used by bin/run).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cases: int = options["cases"]
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        if not settings.DEMO:
            # The demo logins have a published password and TOTP secrets: never in production.
            raise CommandError(
                "seed makes demo logins with a published password: it runs only with PCM_DEMO=1."
            )
        if Agency.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Demo data already loaded; nothing to do.")
                return
            raise CommandError(
                "This database already holds agencies. Seed an empty database "
                "(e.g. remove var/pcm.sqlite3 and run bin/run again)."
            )
        started = time.monotonic()
        builder = CaseloadBuilder(cases=cases, seed=options["seed"], progress=self.stdout.write)
        builder.build()
        self.stdout.write("refreshing database statistics")
        refresh_statistics(full=True)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Seeded {cases} cases in {elapsed:.1f} s."))
