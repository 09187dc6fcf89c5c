"""`manage.py optimize_database`: refresh the planner's statistics (bin/run runs it; schedule
it daily in production)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pcm.core.database import refresh_statistics


class Command(BaseCommand):
    help = "Refresh the query planner's statistics so list pages stay fast as data grows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="Analyse every table now.")

    def handle(self, *args: Any, **options: Any) -> None:
        done = refresh_statistics(full=options["full"])
        self.stdout.write(f"Database statistics refreshed ({done}).")
