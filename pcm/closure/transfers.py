"""Reading transfers: requests waiting for a receiving agency, and the stubs a sender keeps.

A receiving supervisor cannot see the case of an incoming request until they accept it, so
these reads never go through the case: they expose the request's own fields, the case's risk
level, and nothing about the person.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, QuerySet
from django.http import Http404

from pcm.accounts.models import Role, User
from pcm.closure import permissions
from pcm.closure.models import TransferRecord, TransferRequest, TransferStatus


def incoming_transfers_for(user: User | AnonymousUser) -> QuerySet[TransferRequest]:
    """Transfer requests waiting for USER's agency, if USER is one of its supervisors.

    Each row carries `risk_level` (annotated from the case); the case itself is not loaded.
    Oldest first, as they have waited longest. For the supervision pages and the queue.
    """
    if not isinstance(user, User) or user.agency_id is None:
        return TransferRequest.objects.none()
    if not permissions.is_supervisor_of_agency(user, user.agency_id):
        return TransferRequest.objects.none()
    return (
        TransferRequest.objects.filter(to_agency_id=user.agency_id, status=TransferStatus.PENDING)
        .select_related("from_agency")
        .annotate(risk_level=F("case__risk_level"))
        .order_by("requested_at", "id")
    )


def get_incoming_transfer_for(
    user: User | AnonymousUser, public_id: uuid.UUID | str
) -> TransferRequest:
    """The waiting transfer request PUBLIC_ID for USER's agency; 404 for anyone else."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    transfer = incoming_transfers_for(user).filter(public_id=key).first()
    if transfer is None:
        raise Http404
    return transfer


def transferred_out_for(user: User | AnonymousUser) -> QuerySet[TransferRecord]:
    """The stubs of cases USER's agency transferred out: a supervisor's teams, or the agency's."""
    if not permissions.may_see_transferred_out(user):
        return TransferRecord.objects.none()
    assert isinstance(user, User) and user.agency is not None  # noqa: S101 - checked just above
    records = TransferRecord.objects.filter(agency=user.agency)
    if user.role == Role.SUPERVISOR:
        records = records.filter(team__supervisor=user)
    return records.select_related("to_agency", "accepted_by", "requested_by").order_by(
        "-transferred_at", "-id"
    )
