"""Writers in several threads at once still build one gap-free, valid chain.

Each thread has its own database connection and records events in its own transactions, as
concurrent requests do. On PostgreSQL they queue on the chain head's row lock; on SQLite on the
database's write lock. SQLite's test database lives in memory with a shared cache, where a
second writer fails at once instead of waiting: the threads there work on a file copy of it,
the way PCM runs SQLite (WAL, IMMEDIATE transactions, a busy timeout).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest
from django.db import connection, connections, transaction

from pcm.audit.actions import record_event
from pcm.audit.chain import Verdict, verify_chain
from pcm.audit.models import AuditEvent, AuditEventType

THREADS = 6
EVENTS_EACH = 8
T = TypeVar("T")


@contextmanager
def _database_for_threads(directory: Path) -> Iterator[None]:
    """Point new threads' connections at a database they can share as concurrent writers."""
    if connection.vendor != "sqlite" or not cast(Any, connection).is_in_memory_db():
        yield
        return
    path = directory / "threads.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = original


def _in_thread(work: Callable[[], T]) -> T:
    """Run WORK in a new thread (its own connection) and return its result."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_valid_chain(personas, case_for, tmp_path):
    case = case_for(personas.caseworker)
    actors = [personas.caseworker, personas.supervisor, personas.manager, personas.auditor]
    with _database_for_threads(tmp_path):
        start = threading.Barrier(THREADS)
        errors: list[BaseException] = []

        def writer(number: int) -> None:
            try:
                start.wait(timeout=30)
                for index in range(EVENTS_EACH):
                    with transaction.atomic():
                        record_event(
                            AuditEventType.CASE_VIEWED,
                            actor=actors[number % len(actors)],
                            target=case,
                            detail={"thread": number, "index": index},
                        )
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors

        def check() -> tuple[Verdict, list[int], set[tuple[int, int]]]:
            entries = AuditEvent.objects.order_by("sequence")
            return (
                verify_chain(batch_size=7),
                list(entries.values_list("sequence", flat=True)),
                {(e.detail["thread"], e.detail["index"]) for e in entries},
            )

        verdict, sequences, written = _in_thread(check)
    total = THREADS * EVENTS_EACH
    assert verdict.ok, verdict.problem
    assert verdict.entries == total
    assert sequences == list(range(1, total + 1))
    assert written == {(n, i) for n in range(THREADS) for i in range(EVENTS_EACH)}
