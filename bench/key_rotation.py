"""Key rotation: a full data-key rotation of the seeded caseload, then an interrupted one resumed.

First a complete `rotate_keys` run (new data key, every encrypted value of every table
re-encrypted in batches, old keys retired): total seconds, rows/s and values/s. Then a second
rotation is interrupted after `--interrupt-after` batches, as Ctrl+C would, and run again: the
resumed run continues the same rotation where it stopped, and the figures show that no value was
re-encrypted twice and every value still reads back. The wait for other processes to pick up
the new keyring (2 x keys.RECHECK_SECONDS + 0.5 s) is left out: nothing else runs here.

The data set is `manage.py seed --cases N` (200 000 by default) in var/bench/, made once, with
its own keyring file (var/bench/keys/key_rotation-N.json) so that retiring keys never touches the
other benchmarks' data sets. With DATABASE_URL the shared keyring is used and old keys are kept.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time

from bench import common

BENCHMARK = "key_rotation"
DEFAULT_CASES = 200_000
DEFAULT_BATCH_SIZE = 1000
DEFAULT_INTERRUPT_AFTER = 50


class Interrupted(Exception):
    """Stands for Ctrl+C in the middle of a rotation."""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=f"bin/bench {BENCHMARK}", description=(__doc__ or "").strip().splitlines()[0]
    )
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="cases in the data set")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="rows per batch")
    parser.add_argument(
        "--interrupt-after",
        type=int,
        default=DEFAULT_INTERRUPT_AFTER,
        help=f"batches before the second rotation is interrupted (default "
        f"{DEFAULT_INTERRUPT_AFTER})",
    )
    args = parser.parse_args()
    if args.cases < 1 or args.batch_size < 1 or args.interrupt_after < 1:
        parser.error("--cases, --batch-size and --interrupt-after must be at least 1")
    return args


def _values_sealed_with_other_keys(target: str) -> int:
    """Stored values not (yet) under TARGET: 0 once a rotation is complete."""
    from django.db.models import F, TextField
    from django.db.models.functions import Cast

    from pcm.vault import crypto
    from pcm.vault.fields import encrypted_fields

    count = 0
    for field in encrypted_fields():
        count += (
            field.model._base_manager.annotate(raw=Cast(F(field.name), TextField()))
            .filter(raw__startswith=crypto.PREFIX)
            .exclude(raw__startswith=f"{crypto.PREFIX}{target}$")
            .count()
        )
    return count


def _sample_reads_back(sample: dict[int, tuple[str, str, str]]) -> bool:
    from pcm.people.models import Person
    from pcm.vault import keys

    keys.forget_keyring()
    people = Person.objects.in_bulk(list(sample))
    return all(
        (person.given_name, person.family_name, person.phone) == sample[pk]
        for pk, person in people.items()
    )


def main() -> None:
    args = _arguments()
    keep_old_keys = bool(os.environ.get("DATABASE_URL"))
    if not keep_old_keys:
        keyring = common.ROOT / "var" / "bench" / "keys" / f"{BENCHMARK}-{args.cases}.json"
        os.environ["PCM_KEYRING_PATH"] = str(keyring)
    sqlite_file = common.use_database(BENCHMARK, args.cases)
    data = common.ensure_caseload(args.cases, sqlite_file)
    load = common.machine_load()

    from pcm.people.models import Person
    from pcm.vault import rotation
    from pcm.vault.models import KeyRotation, RotationProgress

    sample = {
        person.pk: (person.given_name, person.family_name, person.phone)
        for person in Person.objects.order_by("?")[:500]
    }

    common.log("Full rotation")
    full = rotation.rotate_data_keys(
        batch_size=args.batch_size, keep_old_keys=keep_old_keys, say=common.log, settle=0
    )
    full_left = _values_sealed_with_other_keys(full.target)

    common.log(f"Second rotation, interrupted after {args.interrupt_after} batches")
    batches = 0

    def interrupt(progress: RotationProgress) -> None:
        nonlocal batches
        batches += 1
        if batches >= args.interrupt_after:
            raise Interrupted

    rotation.batch_done = interrupt
    started = time.perf_counter()
    with contextlib.suppress(Interrupted):
        rotation.rotate_data_keys(
            batch_size=args.batch_size, keep_old_keys=keep_old_keys, say=common.log, settle=0
        )
    interrupted_seconds = time.perf_counter() - started
    unfinished = KeyRotation.objects.get(finished_at__isnull=True)
    done_before = sum(table.rewritten + table.plaintext for table in unfinished.tables.all())
    common.log(f"Interrupted after {done_before} values; running rotate_keys again to resume")
    rotation.batch_done = lambda progress: None
    resumed = rotation.rotate_data_keys(
        batch_size=args.batch_size, keep_old_keys=keep_old_keys, say=common.log, settle=0
    )
    second = KeyRotation.objects.get(pk=unfinished.pk)
    rewritten_total = sum(table.rewritten + table.plaintext for table in second.tables.all())
    resumed_left = _values_sealed_with_other_keys(resumed.target)
    reads_back = _sample_reads_back(sample)

    figures = [
        common.Figure("full.seconds", full.seconds, "s"),
        common.Figure("full.rows", full.rows, "rows"),
        common.Figure("full.values", full.rewritten, "values"),
        common.Figure("full.rows_per_second", full.rows / full.seconds, "rows/s"),
        common.Figure("full.values_per_second", full.rewritten / full.seconds, "values/s"),
        common.Figure("full.values_left_under_old_keys", full_left, "values"),
        common.Figure("resume.interrupted_after_values", done_before, "values"),
        common.Figure("resume.interrupted_run_seconds", interrupted_seconds, "s"),
        common.Figure("resume.resumed_run_seconds", resumed.seconds, "s"),
        common.Figure("resume.same_rotation", int(resumed.target == unfinished.target), "bool"),
        common.Figure("resume.values_rewritten_twice", rewritten_total - full.rewritten, "values"),
        common.Figure("resume.values_left_under_old_keys", resumed_left, "values"),
        common.Figure("sample_reads_back", int(reads_back), "bool"),
    ]
    common.report(
        BENCHMARK,
        figures,
        {
            "cases": data.cases,
            "database": data.database,
            "seed_seconds": data.seed_seconds,
            "batch_size": args.batch_size,
            "interrupt_after_batches": args.interrupt_after,
            "old_keys_kept": keep_old_keys,
            "load_average": load,
            "unreadable_values": full.unreadable,
        },
    )


if __name__ == "__main__":
    main()
