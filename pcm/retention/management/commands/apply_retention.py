"""`manage.py apply_retention [--dry-run]`: anonymise closed cases past the retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcm.accounts.models import Agency
from pcm.retention.anonymise import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise every closed case that was closed longer ago than its agency's retention "
        "period (and its service user once none of their cases is left), each case in its own "
        "transaction. Prints counts per agency, never names. Safe to run again; the worker "
        "(manage.py run_worker) runs it once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be anonymised; change nothing.",
        )
        parser.add_argument(
            "--agency",
            metavar="CODE",
            help="Only this agency (its code, e.g. NRC).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agencies = None
        if options["agency"]:
            agencies = list(Agency.objects.filter(code=options["agency"]))
            if not agencies:
                raise CommandError(f"No agency has the code {options['agency']!r}.")
        report = apply_retention(dry_run=bool(options["dry_run"]), agencies=agencies)
        if report.dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        for line in report.lines():
            self.stdout.write(line)
        total = "would be" if report.dry_run else "were"
        self.stdout.write(
            f"In all: {report.cases_due} cases due, {report.cases_anonymised} {total} "
            f"anonymised, {report.cases_failed} failed."
        )
        if report.cases_failed:
            raise CommandError(
                f"{report.cases_failed} cases could not be anonymised; see the log, then run "
                "the command again."
            )
