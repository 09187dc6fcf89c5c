"""`manage.py verify_audit`: check that no audit entry was edited, deleted or reordered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pcm.audit.chain import BATCH_SIZE, verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain. Prints OK with the number of entries and the head "
        "hash (keep it elsewhere to detect a later truncation), or exits with status 1 naming "
        "the first entry that breaks the chain and how."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Entries read per query."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify_chain(batch_size=max(1, options["batch_size"]))
        if verdict.problem is not None:
            problem = verdict.problem
            raise CommandError(
                f"Audit trail BROKEN at entry {problem.sequence}"
                + (f" (id {problem.event_id})" if problem.event_id is not None else "")
                + f" [{problem.kind}]: {problem.message} "
                f"The {verdict.entries} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(
            f"Audit trail OK: {verdict.entries} entries, head hash {verdict.head_hash or '-'}."
        )
