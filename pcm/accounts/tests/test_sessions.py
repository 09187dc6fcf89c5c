"""Session lifetime (30 minutes idle, 12 hours in all) and signing out, here and everywhere."""

from __future__ import annotations

import time

from django.contrib.sessions.models import Session
from django.urls import reverse

from pcm.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from pcm.audit.models import AuditEvent, AuditEventType

CASES = reverse("cases:list")


def age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_sessions_do_not_last_weeks(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_it_ends_a_session_after_30_minutes_idle(personas, client_for):
    client = client_for(personas.caseworker)
    assert client.get(CASES).status_code == 200
    age_session(client, **{LAST_SEEN_AT: 31 * 60})
    response = client.get(CASES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    follow = client.get(response["Location"])
    assert "30 minutes without activity" in follow.content.decode()
    assert client.get(CASES).status_code == 302


def test_activity_keeps_the_session_alive(personas, client_for):
    client = client_for(personas.caseworker)
    client.get(CASES)
    age_session(client, **{LAST_SEEN_AT: 29 * 60})
    assert client.get(CASES).status_code == 200


def test_it_ends_a_session_12_hours_after_sign_in_even_when_active(personas, client_for):
    client = client_for(personas.caseworker)
    client.get(CASES)
    age_session(client, **{SIGNED_IN_AT: 12 * 3600 + 60, LAST_SEEN_AT: 10})
    response = client.get(CASES)
    assert response.status_code == 302
    assert "12 hours" in client.get(response["Location"]).content.decode()


def test_an_htmx_request_is_sent_to_sign_in_rather_than_swapped(personas, client_for):
    client = client_for(personas.caseworker)
    client.get(CASES)
    age_session(client, **{LAST_SEEN_AT: 31 * 60})
    response = client.post(CASES, {"q": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_sign_out_ends_the_session(personas, client_for):
    client = client_for(personas.caseworker)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(CASES).status_code == 302
    assert AuditEvent.objects.filter(event_type=AuditEventType.SIGN_OUT).exists()


def test_sign_out_is_never_a_get(personas, client_for):
    client = client_for(personas.caseworker)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(CASES).status_code == 200


def test_sign_out_everywhere_ends_every_session_of_the_user(personas, client_for):
    phone = client_for(personas.caseworker)
    laptop = client_for(personas.caseworker)
    colleague = client_for(personas.other_caseworker)
    assert phone.get(CASES).status_code == laptop.get(CASES).status_code == 200
    laptop.post(reverse("accounts:logout_everywhere"))
    assert phone.get(CASES).status_code == 302
    assert laptop.get(CASES).status_code == 302
    assert colleague.get(CASES).status_code == 200
    assert Session.objects.exists()  # the colleague's session is untouched


def test_changing_the_password_signs_out_other_devices_but_not_this_one(personas, client_for):
    here = client_for(personas.caseworker)
    elsewhere = client_for(personas.caseworker)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": "a new long passphrase for layla",
            "new_password2": "a new long passphrase for layla",
        },
    )
    assert response.status_code == 302
    assert here.get(CASES).status_code == 200
    assert elsewhere.get(CASES).status_code == 302


def test_a_user_switches_email_notifications_on_and_off(personas, client_for):
    client = client_for(personas.caseworker)
    client.post(reverse("accounts:email_notifications"), {"email_notifications": "on"})
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.email_notifications
    client.post(reverse("accounts:email_notifications"), {"email_notifications": "off"})
    personas.caseworker.refresh_from_db()
    assert not personas.caseworker.email_notifications
