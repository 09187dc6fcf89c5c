"""Re-authentication before sensitive actions: "Confirm it's you", its window and its failures."""

from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcm.access.models import BreakGlassGrant
from pcm.accounts import twofactor
from pcm.accounts.events import ReauthEvent
from pcm.accounts.reauth import CONFIRMED_AT, mark_confirmed
from pcm.audit.models import AuditEvent, AuditEventType
from tests.factories import PASSWORD

CONFIRM = reverse("accounts:confirm")
LOGIN = reverse("accounts:login")
HOME = reverse("core:home")
# A sensitive page guarded by require_recent_confirmation (for managers and administrators).
SENSITIVE = reverse("access:break_glass_request")
WRONG_ANSWER = "The password or the code is not correct."


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key).token():06d}"


def confirm(client: Client, user, *, password: str = PASSWORD, token: str | None = None, **extra):
    data = {"password": password, "token": current_code(user) if token is None else token}
    return client.post(CONFIRM, {**data, **extra})


def failures(user) -> int:
    attempt = AccessAttempt.objects.filter(username=user.username).first()
    return attempt.failures_since_start if attempt else 0


def events(kind, user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=kind, actor=user))


def test_a_sensitive_page_sends_the_user_to_confirm_first(personas, client_for):
    client = client_for(personas.manager)
    response = client.get(SENSITIVE)
    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM}?next=%2Faccess%2Femergency-access%2Fnew%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Confirm it's you" in body
    assert 'name="password"' in body and 'name="token"' in body
    assert 'value="/access/emergency-access/new/"' in body


def test_password_and_code_open_the_page_for_five_minutes(personas, client_for):
    client = client_for(personas.manager)
    response = confirm(client, personas.manager, next=SENSITIVE)
    assert response.status_code == 302
    assert response["Location"] == SENSITIVE
    assert client.get(SENSITIVE).status_code == 200
    assert time.time() - client.session[CONFIRMED_AT] < 5
    [event] = events(ReauthEvent.CONFIRMED, personas.manager)
    assert event.detail == {"method": "totp"}


def test_the_confirmation_expires(personas, client_for, settings):
    assert settings.PCM_REAUTH_SECONDS == 300
    client = client_for(personas.manager)
    confirm(client, personas.manager)
    session = client.session
    session[CONFIRMED_AT] = time.time() - 299
    session.save()
    assert client.get(SENSITIVE).status_code == 200
    session[CONFIRMED_AT] = time.time() - 301
    session.save()
    response = client.get(SENSITIVE)
    assert response.status_code == 302
    assert response["Location"].startswith(CONFIRM)


def test_the_window_is_a_setting(personas, client_for, settings):
    settings.PCM_REAUTH_SECONDS = 60
    client = client_for(personas.manager)
    session = client.session
    session[CONFIRMED_AT] = time.time() - 61
    session.save()
    assert client.get(SENSITIVE).status_code == 302
    session[CONFIRMED_AT] = time.time() - 30
    session.save()
    assert client.get(SENSITIVE).status_code == 200


def test_a_confirmation_in_the_future_does_not_count(personas, client_for):
    client = client_for(personas.manager)
    session = client.session
    session[CONFIRMED_AT] = time.time() + 3600
    session.save()
    assert client.get(SENSITIVE).status_code == 302


def test_mark_confirmed_gives_a_test_client_a_recent_confirmation(personas, client_for):
    client = client_for(personas.manager)
    session = client.session
    mark_confirmed(session)
    session.save()
    assert client.get(SENSITIVE).status_code == 200


def test_the_confirmation_belongs_to_the_session_not_the_user(personas, client_for):
    first = client_for(personas.manager)
    confirm(first, personas.manager)
    assert client_for(personas.manager).get(SENSITIVE).status_code == 302


def test_a_wrong_code_is_refused_audited_and_counted(personas, client_for):
    client = client_for(personas.manager)
    response = confirm(client, personas.manager, token="000000", next=SENSITIVE)
    assert response.status_code == 400
    assert WRONG_ANSWER in response.content.decode()
    assert CONFIRMED_AT not in client.session
    assert client.get(SENSITIVE).status_code == 302
    [event] = events(ReauthEvent.FAILED, personas.manager)
    assert event.detail == {"failed": "code"}
    assert events(AuditEventType.TWO_FACTOR_FAILED, personas.manager)
    assert failures(personas.manager) == 1


def test_a_wrong_password_gets_the_same_answer_and_spends_no_backup_code(personas, client_for):
    codes = twofactor.regenerate_backup_codes(personas.manager)
    client = client_for(personas.manager)
    response = confirm(client, personas.manager, password="not-my-password", token=codes[0])
    assert response.status_code == 400
    assert WRONG_ANSWER in response.content.decode()
    assert twofactor.remaining_backup_codes(personas.manager) == len(codes)
    [event] = events(ReauthEvent.FAILED, personas.manager)
    assert event.detail == {"failed": "password"}
    assert failures(personas.manager) == 1
    # The unused code typed with the wrong password is not kept in the record of the failure.
    attempt = AccessAttempt.objects.get(username=personas.manager.username)
    assert codes[0] not in attempt.post_data
    assert "not-my-password" not in attempt.post_data


def test_a_backup_code_works_once(personas, client_for):
    codes = twofactor.regenerate_backup_codes(personas.manager)
    client = client_for(personas.manager)
    assert confirm(client, personas.manager, token=codes[0].upper()).status_code == 302
    assert events(ReauthEvent.CONFIRMED, personas.manager)[0].detail == {"method": "backup_code"}
    again = client_for(personas.manager)
    response = confirm(again, personas.manager, token=codes[0])
    assert WRONG_ANSWER in response.content.decode()
    assert twofactor.remaining_backup_codes(personas.manager) == len(codes) - 1


def test_both_are_required(personas, client_for):
    client = client_for(personas.manager)
    response = client.post(CONFIRM, {"password": PASSWORD})
    assert response.status_code == 400
    assert CONFIRMED_AT not in client.session
    response = client.post(CONFIRM, {"token": current_code(personas.manager)})
    assert response.status_code == 400
    assert CONFIRMED_AT not in client.session


def test_a_guesser_must_wait_after_wrong_codes(personas, client_for):
    client = client_for(personas.manager)
    confirm(client, personas.manager, token="000000")
    device = TOTPDevice.objects.get(user=personas.manager)
    assert device.throttling_failure_count == 1
    # django-otp doubles the wait after each wrong code; make it long enough for a slow machine.
    device.throttling_failure_count = 8
    device.save()
    response = confirm(client, personas.manager)
    assert "Too many wrong codes in a row" in response.content.decode()
    assert CONFIRMED_AT not in client.session
    assert events(ReauthEvent.FAILED, personas.manager)[-1].detail == {"failed": "throttled"}


def test_reauthentication_failures_and_sign_in_failures_share_the_lock_out(personas, client_for):
    # (A sign-in clears earlier failures: sign in first, then fail elsewhere.)
    client = client_for(personas.manager)
    for _ in range(2):
        Client().post(LOGIN, {"username": "nadia", "password": "wrong-password-123"})
    for _ in range(2):
        response = confirm(client, personas.manager, password="wrong-password-123")
        assert response.status_code == 400
    # The fifth failure locks the account and ends this session.
    locked = confirm(client, personas.manager, password="wrong-password-123")
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    assert client.get(SENSITIVE)["Location"].startswith(LOGIN)
    assert Client().post(LOGIN, {"username": "nadia", "password": PASSWORD}).status_code == 429
    assert len(events(ReauthEvent.FAILED, personas.manager)) == 3


def test_a_locked_account_cannot_confirm_but_keeps_its_session(personas, client_for):
    client = client_for(personas.manager)
    for _ in range(5):
        Client().post(LOGIN, {"username": "nadia", "password": "wrong-password-123"})
    response = confirm(client, personas.manager)
    assert response.status_code == 429
    assert "Your account is locked for 15 minutes" in response.content.decode()
    assert CONFIRMED_AT not in client.session
    assert client.get(reverse("access:break_glass")).status_code == 200
    assert events(ReauthEvent.FAILED, personas.manager)[0].detail == {"failed": "locked_out"}


def test_a_success_clears_earlier_failures(personas, client_for):
    client = client_for(personas.manager)
    confirm(client, personas.manager, password="wrong-password-123")
    assert failures(personas.manager) == 1
    confirm(client, personas.manager)
    assert failures(personas.manager) == 0


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "http://testserver/cases/",
        "javascript:alert(1)",
        "evil.example",
        "/accounts/confirm/",
        "/cases/\nLocation: https://evil.example/",
    ],
)
def test_it_never_sends_the_user_off_site(personas, client_for, target):
    client = client_for(personas.manager)
    page = client.get(CONFIRM, {"next": target})
    assert 'name="next" value=""' in page.content.decode()
    response = confirm(client, personas.manager, next=target)
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_it_keeps_a_path_with_its_query(personas, client_for):
    client = client_for(personas.manager)
    response = confirm(client, personas.manager, next="/cases/?status=all")
    assert response["Location"] == "/cases/?status=all"


def test_a_post_without_confirmation_changes_nothing_and_returns_to_the_form(
    personas, client_for, case_for
):
    case = case_for(personas.caseworker)
    client = client_for(personas.manager)
    data = {"case_number": case.number, "reason": "Police request about the safety of a child."}
    response = client.post(SENSITIVE, data, HTTP_REFERER=f"http://testserver{SENSITIVE}")
    assert response.status_code == 302
    assert response["Location"] == f"{CONFIRM}?next=%2Faccess%2Femergency-access%2Fnew%2F"
    assert not BreakGlassGrant.objects.exists()
    page = client.get(response["Location"])
    assert "Your form was not sent" in page.content.decode()
    # A referer on another site is not followed.
    elsewhere = client.post(SENSITIVE, data, HTTP_REFERER="https://evil.example/x/")
    assert elsewhere["Location"] == CONFIRM


def test_an_htmx_request_is_redirected_by_htmx(personas, client_for):
    response = client_for(personas.manager).get(SENSITIVE, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(CONFIRM)


def test_an_anonymous_visitor_is_sent_to_sign_in(db):
    assert Client().get(CONFIRM)["Location"].startswith(LOGIN)


def test_without_a_second_factor_the_password_alone_confirms(personas, client_for, settings):
    settings.REQUIRE_2FA = False
    TOTPDevice.objects.filter(user=personas.manager).delete()
    client = client_for(personas.manager)
    page = client.get(CONFIRM)
    assert 'name="token"' not in page.content.decode()
    response = client.post(CONFIRM, {"password": PASSWORD, "next": SENSITIVE})
    assert response["Location"] == SENSITIVE
    assert events(ReauthEvent.CONFIRMED, personas.manager)[0].detail == {"method": "password"}
