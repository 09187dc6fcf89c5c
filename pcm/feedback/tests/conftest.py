"""Fixtures for the feedback register: entries recorded by the personas, handlers, clients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from pcm.accounts.models import User
from pcm.accounts.reauth import mark_confirmed
from pcm.feedback.models import Category, Channel, ComplaintsHandler, FeedbackEntry, Kind


@pytest.fixture
def entry_for() -> Callable[..., FeedbackEntry]:
    """entry_for(user, **fields): an entry of USER's agency recorded by USER."""

    def make(user: User, **fields: object) -> FeedbackEntry:
        values: dict[str, object] = {
            "kind": Kind.COMPLAINT,
            "channel": Channel.HOTLINE,
            "category": Category.QUALITY,
            "received_on": date(2026, 3, 2),
            "description": "The distribution started two hours late.",
            "recorded_at": timezone.now(),
        }
        values.update(fields)
        assert user.agency is not None
        return FeedbackEntry.objects.create(agency=user.agency, recorded_by=user, **values)

    return make


@pytest.fixture
def make_handler() -> Callable[[User], ComplaintsHandler]:
    def make(user: User) -> ComplaintsHandler:
        assert user.agency is not None
        return ComplaintsHandler.objects.create(
            agency=user.agency, user=user, added_by=user, added_at=timezone.now()
        )

    return make


@pytest.fixture
def confirmed_client_for(client_for) -> Callable[[User], Client]:
    """A signed-in client that has just confirmed who they are (for the handlers page)."""

    def make(user: User) -> Client:
        client: Client = client_for(user)
        session = client.session
        mark_confirmed(session)
        session.save()
        return client

    return make
