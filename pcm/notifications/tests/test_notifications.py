"""Notifications: shown to their recipient only, without naming cases they no longer see."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from pcm.notifications.actions import notify
from pcm.notifications.models import Notification, NotificationKind


def test_it_lists_only_the_users_notifications_and_counts_unread(personas, case_for, client_for):
    case = case_for(personas.caseworker)
    notify(
        [personas.caseworker], NotificationKind.CASE_ASSIGNED, case=case, actor=personas.supervisor
    )
    notify([personas.other_caseworker], NotificationKind.SAFETY_ALERT, case=case)
    client = client_for(personas.caseworker)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "A case was assigned to you" in page
    assert case.number in page
    assert "Immediate safety alert" not in page
    assert 'class="badge text-bg-danger">1<' in client.get(reverse("cases:list")).content.decode()
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=personas.caseworker, read_at=None).exists()


def test_a_case_the_user_no_longer_sees_is_not_named(personas, case_for, client_for):
    case = case_for(personas.other_caseworker)
    notify([personas.caseworker], NotificationKind.CASE_ASSIGNED, case=case)
    page = client_for(personas.caseworker).get(reverse("notifications:list")).content.decode()
    assert case.number not in page
    assert "a case you no longer see" in page


def test_the_actor_is_not_notified_and_a_dedupe_key_notifies_once(personas, case_for):
    case = case_for(personas.caseworker)
    assert (
        notify([personas.caseworker], NotificationKind.CASE_ASSIGNED, actor=personas.caseworker)
        == []
    )
    notify([personas.caseworker], NotificationKind.DEADLINE_PASSED, case=case, dedupe_key="x:1")
    notify([personas.caseworker], NotificationKind.DEADLINE_PASSED, case=case, dedupe_key="x:1")
    assert Notification.objects.filter(dedupe_key="x:1").count() == 1


def test_the_email_carries_a_link_and_nothing_about_the_person(
    personas, case_for, django_capture_on_commit_callbacks
):
    personas.caseworker.email_notifications = True
    personas.caseworker.save()
    case = case_for(personas.caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        notify([personas.caseworker], NotificationKind.SAFETY_ALERT, case=case)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    text = f"{message.subject} {message.body}"
    assert "/notifications/" in text
    for private in (
        case.person.given_name,
        case.person.family_name,
        case.person.phone,
        case.number,
    ):
        assert private not in text
