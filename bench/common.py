"""Shared by the benchmarks: data set, signed-in clients, timing and the report.

A benchmark is `bench/NAME.py` with a module docstring (bin/bench lists its first line) and a
`main()` under `if __name__ == "__main__":`. bin/bench sets the environment (fixed secret key,
plain HTTP, no debug, data under var/bench/) and runs `python -m bench.NAME`. Django is set up
by `use_database`, so project modules are imported inside functions, after it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import django

if TYPE_CHECKING:
    from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 10
RUNS = 200
# The backend a password sign-in records in the session (axes only guards it).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# What the benchmarks pass to raw SQL.
SQLParam = int | str | None


def log(message: str) -> None:
    """Progress for the person running the benchmark, on stderr (stdout holds the figures)."""
    print(f"==> {message}", file=sys.stderr, flush=True)


def arguments(name: str, description: str, default_cases: int) -> argparse.Namespace:
    """The options every benchmark takes: the size of its data set and the number of runs."""
    parser = argparse.ArgumentParser(
        prog=f"bin/bench {name}", description=description.strip().splitlines()[0]
    )
    parser.add_argument(
        "--cases",
        type=int,
        default=default_cases,
        help=f"cases in the data set (default {default_cases}); each size has its own file",
    )
    parser.add_argument(
        "--runs", type=int, default=RUNS, help=f"timed requests per figure (default {RUNS})"
    )
    args = parser.parse_args()
    if args.cases < 1 or args.runs < 2:
        parser.error("--cases must be at least 1 and --runs at least 2")
    return args


# The data set ---------------------------------------------------------------------------------


def use_database(name: str, cases: int) -> Path | None:
    """Point Django at var/bench/NAME-CASES.sqlite3 (or DATABASE_URL) and set it up.

    Returns the SQLite file, or None when DATABASE_URL names the database.
    """
    sqlite_file = None
    if not os.environ.get("DATABASE_URL"):
        data_dir = Path(os.environ.get("PCM_DATA_DIR", str(ROOT / "var" / "bench")))
        data_dir.mkdir(parents=True, exist_ok=True)
        sqlite_file = data_dir / f"{name}-{cases}.sqlite3"
        os.environ["PCM_SQLITE_PATH"] = str(sqlite_file)
    django.setup()
    return sqlite_file


@dataclass(frozen=True)
class DataSet:
    cases: int
    database: str
    seed_seconds: float | None  # None when an existing data set was reused


def ensure_caseload(cases: int, sqlite_file: Path | None) -> DataSet:
    """Migrate, then seed CASES cases unless the database already holds cases."""
    from django.db import connection

    from pcm.accounts.models import Agency
    from pcm.cases.models import Case

    _migrate()
    found = Case.objects.count()
    if sqlite_file is not None and found != cases and Agency.objects.exists():
        log(f"{sqlite_file.name} holds {found} cases, not {cases} (an interrupted seed?)")
        _remove_sqlite(sqlite_file)
        _migrate()
        found = 0
    if found:
        from pcm.core.database import refresh_statistics

        # As bin/run does at every start (and production daily): statistics for the planner.
        log(f"Reusing the data set: {found} cases ({refresh_statistics()})")
        return DataSet(found, connection.vendor, None)
    seconds = _seed(cases)
    return DataSet(Case.objects.count(), connection.vendor, seconds)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _remove_sqlite(sqlite_file: Path) -> None:
    from django.db import connection

    log(f"Removing {sqlite_file.name} to build it again")
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)


def _seed(cases: int) -> float:
    from django.core.management import call_command

    from pcm.accounts.models import Agency

    if Agency.objects.exists():
        raise SystemExit(
            "The database named by DATABASE_URL holds agencies but no cases; "
            "point DATABASE_URL at an empty database (the seed needs one)."
        )
    log(f"Seeding {cases} cases (manage.py seed --cases {cases}); this is done once per size")
    started = time.perf_counter()
    call_command("seed", cases=cases, stdout=sys.stderr)
    seconds = time.perf_counter() - started
    return seconds


# Requests ----------------------------------------------------------------------------------


def signed_in_client(username: str) -> Client:
    """A client signed in as USERNAME, past the second factor as the verify page leaves it.

    The session holds the user's confirmed TOTP device exactly as django_otp.login stores it,
    so every request pays what a real one does (OTPMiddleware loads the device again).
    """
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pcm.accounts.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    axes = logging.getLogger("axes")
    level = axes.level
    axes.setLevel(logging.WARNING)  # not four lines of sign-in news per client
    try:
        client.force_login(user, backend=MODEL_BACKEND)
    finally:
        axes.setLevel(level)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def raw_rows(sql: str, params: Sequence[SQLParam]) -> list[tuple[object, ...]]:
    """SQL's rows through Django's connection: the baseline with no ORM, view or template."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def query_count(action: Callable[[], object]) -> int:
    """How many SQL queries one call of ACTION makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


# Timing ------------------------------------------------------------------------------------


def machine_load() -> float:
    """The 1-minute load average, warning when other work on the machine may skew the figures."""
    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    if load > cpus / 2:
        log(f"The machine is busy (load {load:.1f} on {cpus} CPUs): figures may be slower")
    return load


def _elapsed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def time_side_by_side(
    subject: Callable[[], object], baseline: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """Milliseconds of RUNS calls of SUBJECT and of BASELINE, alternated after a warm-up.

    Alternating keeps both under the same machine load, so their ratio stays fair when
    something else runs on the machine at the same time.
    """
    for _ in range(WARM_UP):
        subject()
        baseline()
    subject_ms: list[float] = []
    baseline_ms: list[float] = []
    for _ in range(runs):
        subject_ms.append(_elapsed_ms(subject))
        baseline_ms.append(_elapsed_ms(baseline))
    return subject_ms, baseline_ms


def percentile(samples: Sequence[float], percent: int) -> float:
    """The PERCENT-th percentile of SAMPLES (linear between the closest ranks)."""
    if percent == 50:
        return statistics.median(samples)
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


# The report --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    name: str  # without the benchmark's name: "caseworker_list.p95"
    value: int | float  # counts are int and print without decimals
    unit: str


def timing_figures(name: str, page_ms: Sequence[float], raw_ms: Sequence[float]) -> list[Figure]:
    """p50 and p95 of NAME and of its raw SQL baseline, and the ratio of their medians."""
    page_p50 = percentile(page_ms, 50)
    raw_p50 = percentile(raw_ms, 50)
    return [
        Figure(f"{name}.p50", page_p50, "ms"),
        Figure(f"{name}.p95", percentile(page_ms, 95), "ms"),
        Figure(f"{name}_raw_sql.p50", raw_p50, "ms"),
        Figure(f"{name}_raw_sql.p95", percentile(raw_ms, 95), "ms"),
        Figure(f"{name}.ratio_to_raw_sql", page_p50 / raw_p50, "x"),
    ]


def _formatted(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def report(benchmark: str, figures: Sequence[Figure], details: dict[str, object]) -> Path:
    """Print one line per figure and write them, with DETAILS, to var/bench/BENCHMARK.json."""
    from django.conf import settings

    for figure in figures:
        print(f"{benchmark}.{figure.name} {_formatted(figure.value)} {figure.unit}", flush=True)
    document = {
        "benchmark": benchmark,
        "measured_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        **details,
        "figures": {
            f"{benchmark}.{figure.name}": {"value": round(figure.value, 4), "unit": figure.unit}
            for figure in figures
        },
    }
    path = Path(settings.DATA_DIR) / f"{benchmark}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    log(f"Figures written to {path}")
    return path
