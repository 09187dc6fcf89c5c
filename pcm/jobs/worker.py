"""The worker loop: claim and run queued jobs, run due periodic tasks, tidy up old results."""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection

from pcm.jobs import actions
from pcm.jobs.registry import load_task_modules

logger = logging.getLogger("pcm.jobs")

HOUSEKEEPING_EVERY = 60.0  # seconds


def _refresh_connections() -> None:
    """Drop broken or too old database connections between rounds, as a request would (not
    inside a transaction: tests run the worker inside theirs)."""
    if not connection.in_atomic_block:
        close_old_connections()


class Worker:
    """One worker process. Several may run at once (on one or more machines)."""

    def __init__(self, name: str | None = None, poll_seconds: float = 2.0) -> None:
        self.name = name or actions.worker_name()
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()
        self._last_housekeeping = 0.0

    def run_once(self) -> bool:
        """One round: housekeeping when due, periodic tasks, then one job. True if a job ran."""
        _refresh_connections()
        if time.monotonic() - self._last_housekeeping >= HOUSEKEEPING_EVERY:
            actions.housekeeping()
            self._last_housekeeping = time.monotonic()
        actions.run_due_periodic()
        job = actions.claim_next(self.name)
        if job is None:
            return False
        logger.info("job %s (%s) claimed by %s", job.public_id, job.kind, self.name)
        actions.run_job(job)
        return True

    def run_forever(self) -> None:
        load_task_modules()
        logger.info("worker %s started", self.name)
        while not self.stopping.is_set():
            try:
                worked = self.run_once()
            except Exception as exc:  # a database hiccup must not end the worker
                logger.error(
                    "worker round failed with %s at %s", type(exc).__name__, actions.code_place(exc)
                )
                worked = False
            if not worked:
                self.stopping.wait(self.poll_seconds)
        _refresh_connections()
        logger.info("worker %s stopped", self.name)

    def stop(self) -> None:
        """Stop after the job that is running, if any."""
        self.stopping.set()
