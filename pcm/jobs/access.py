"""Who may see a job (its owner only) and what it says about itself."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.functional import Promise

from pcm.accounts.models import User
from pcm.jobs.models import Job, JobMessage
from pcm.jobs.registry import get_kind


def get_job_for(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Job:
    """USER's own job with PUBLIC_ID; 404 for anyone else's, as if it did not exist."""
    if not isinstance(user, User) or not user.is_active:
        raise Http404
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    job = Job.objects.filter(public_id=key, owner=user).first()
    if job is None:
        raise Http404
    return job


def job_title(job: Job) -> str | Promise:
    kind = get_kind(job.kind)
    return kind.title if kind is not None else job.kind


def job_message(job: Job) -> str | Promise:
    """The translated text of the job's message code."""
    kind = get_kind(job.kind)
    if kind is not None and job.message in kind.messages:
        return kind.messages[job.message]
    if job.message in JobMessage.values:
        return JobMessage(job.message).label
    return JobMessage.FAILED.label if job.status == "failed" else ""
