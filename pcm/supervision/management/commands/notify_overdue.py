"""`manage.py notify_overdue`: tell caseworkers (and for high risk supervisors) what is overdue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from pcm.supervision.overdue import BATCH_SIZE, notify_overdue


class Command(BaseCommand):
    help = (
        "Notify the caseworker of each overdue item once (and the supervisor too for high "
        "risk). Safe to run as often as you like, e.g. every 15 minutes from cron or a timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Open cases read per batch (default {BATCH_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = max(1, int(options["batch_size"]))
        verbose = int(options["verbosity"]) > 1

        def progress(message: str) -> None:
            if verbose:
                self.stdout.write(message)

        run = notify_overdue(timezone.now(), batch_size=batch_size, progress=progress)
        self.stdout.write(
            f"{run.cases} open cases, {run.overdue_items} overdue items, "
            f"{run.notifications} notifications sent."
        )
