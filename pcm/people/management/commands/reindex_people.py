"""manage.py reindex_people: rebuild the blind indexes that let PCM search names and phones."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcm.people.index import REINDEX_BATCH, reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild every service user's search index (keyed hashes of name and phone), in "
        "batches. Run it after the index key or the name normalisation changed; it can be "
        "interrupted and run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=REINDEX_BATCH,
            help=f"people per transaction (default {REINDEX_BATCH})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = int(options["batch_size"])
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"Indexed {done}/{total} people ({elapsed:.0f} s)")

        done = reindex_all(batch_size=batch_size, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Done: {done} people indexed."))
