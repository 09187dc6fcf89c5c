"""`manage.py rotate_keys`: a new data key, every encrypted value re-encrypted with it (resumable).

`--index` rotates the search index key instead and rebuilds every blind-index hash. Both resume
an interrupted run (Ctrl+C, crash) when started again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcm.vault import rotation
from pcm.vault.models import RotationKind


class Command(BaseCommand):
    help = (
        "Add a new data key and re-encrypt every encrypted value with it, in batches that resume "
        "after an interruption; then retire the old keys. --index rotates the search index key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=rotation.DEFAULT_BATCH_SIZE,
            help=f"Rows per batch (default {rotation.DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--keep-old-keys",
            action="store_true",
            help="Leave the old data keys in the keyring after the rotation.",
        )
        parser.add_argument(
            "--index",
            action="store_true",
            help="Rotate the search index key and rebuild the index instead of the data keys.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        say = self.stdout.write
        try:
            if options["index"]:
                if options["keep_old_keys"]:
                    raise CommandError("--keep-old-keys is for data keys, not with --index.")
                report = rotation.rotate_index_key(batch_size=batch_size, say=say)
            else:
                report = rotation.rotate_data_keys(
                    batch_size=batch_size, keep_old_keys=options["keep_old_keys"], say=say
                )
        except rotation.RotationError as exc:
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt as exc:
            raise CommandError(
                "Interrupted. Every finished batch is saved: run rotate_keys again to resume."
            ) from exc
        rate = report.rows / report.seconds if report.seconds else 0.0
        for name, count in report.hooks.items():
            say(f"  {name}: {count} items")
        if report.kept_keys:
            say(f"Old data keys kept (--keep-old-keys): {', '.join(report.kept_keys)}.")
        if report.unreadable:
            say(
                f"{report.unreadable} values could not be decrypted (purged or altered); "
                "they were left as they are."
            )
        what = "Index key" if report.kind == RotationKind.INDEX else "Data keys"
        self.stdout.write(
            self.style.SUCCESS(
                f"{what} rotated: {report.rows} rows in {report.seconds:.1f} s "
                f"({rate:,.0f} rows/s), {report.rewritten} values rewritten."
            )
        )
