"""For tests: run the queued jobs now, in this thread, as the worker would."""

from __future__ import annotations

from pcm.jobs import actions


def run_pending_jobs(worker: str = "test-worker") -> int:
    """Claim and run every queued job, oldest first; how many ran."""
    ran = 0
    while (job := actions.claim_next(worker)) is not None:
        actions.run_job(job)
        ran += 1
    return ran
