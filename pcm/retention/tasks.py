"""The daily retention run, started by `manage.py run_worker` (pcm.jobs)."""

from __future__ import annotations

from datetime import timedelta

from pcm.jobs.registry import periodic
from pcm.retention.anonymise import RetentionReport, apply_retention


@periodic("retention", every=timedelta(hours=24))
def anonymise_expired_cases() -> RetentionReport:
    """Anonymise every closed case past its agency's retention period (counts are logged)."""
    return apply_retention()
