"""Role matrix entries for the job pages: each answers its owner only, whatever the role."""

from __future__ import annotations

from collections.abc import Iterator

from pcm.jobs.tests.helpers import finished_job
from tests.matrix import SIGNED_IN, Route, World


def others_jobs(world: World, role: str) -> Iterator[dict[str, object]]:
    """Jobs of people other than ROLE's user: a colleague's and another agency's."""
    for owner in (world.personas.other_caseworker, world.personas.outsider_manager):
        if owner != world.user(role):
            yield {"public_id": finished_job(owner).public_id}


def own_job(world: World, role: str) -> dict[str, object]:
    user = world.user(role)
    assert user is not None
    return {"public_id": finished_job(user).public_id}


ROUTES: dict[str, Route] = {
    "jobs:detail": Route(allowed=SIGNED_IN, foreign=others_jobs, own=own_job, methods=("GET",)),
    "jobs:progress": Route(allowed=SIGNED_IN, foreign=others_jobs, own=own_job, methods=("GET",)),
    "jobs:download": Route(allowed=SIGNED_IN, foreign=others_jobs, own=own_job, methods=("GET",)),
    # Cancelling a finished job is refused with a message and a redirect to its page.
    "jobs:cancel": Route(
        allowed=SIGNED_IN, foreign=others_jobs, own=own_job, methods=("POST",), ok_statuses={302}
    ),
}
