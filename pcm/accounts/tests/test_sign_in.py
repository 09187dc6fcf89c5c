"""Signing in: password, then a TOTP code or a backup code; failures and lock-out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcm.accounts import twofactor
from pcm.audit.models import AuditEvent, AuditEventType
from tests.factories import PASSWORD, UserFactory

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
HOME = reverse("core:home")


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key).token():06d}"


def sign_in_with_password(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_asks_for_the_second_factor_after_the_password(personas):
    client = Client()
    response = sign_in_with_password(client, "layla")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    # Until the code is given, nothing else opens.
    assert client.get(reverse("cases:list"))["Location"] == VERIFY


def test_it_opens_the_session_with_a_valid_totp_code(personas):
    client = Client()
    sign_in_with_password(client, "layla")
    response = client.post(VERIFY, {"token": current_code(personas.caseworker), "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert client.get(reverse("cases:list")).status_code == 200
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.TWO_FACTOR_VERIFIED, actor=personas.caseworker
    ).exists()


def test_it_refuses_a_wrong_code_with_a_clear_message(personas):
    client = Client()
    sign_in_with_password(client, "layla")
    response = client.post(VERIFY, {"token": "000000"})
    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert client.get(reverse("cases:list")).status_code == 302


def test_it_makes_a_guesser_wait_after_a_wrong_code(personas):
    client = Client()
    sign_in_with_password(client, "layla")
    client.post(VERIFY, {"token": "000000"})
    response = client.post(VERIFY, {"token": current_code(personas.caseworker)})
    assert "Too many wrong codes in a row" in response.content.decode()
    assert client.get(reverse("cases:list")).status_code == 302


def test_a_backup_code_works_once(personas):
    codes = twofactor.regenerate_backup_codes(personas.caseworker)
    first = Client()
    sign_in_with_password(first, "layla")
    assert first.post(VERIFY, {"token": codes[0].upper()}).status_code == 302
    second = Client()
    sign_in_with_password(second, "layla")
    response = second.post(VERIFY, {"token": codes[0]})
    assert "This code is not valid" in response.content.decode()
    assert twofactor.remaining_backup_codes(personas.caseworker) == len(codes) - 1


def test_it_gives_a_new_session_id_at_sign_in_and_again_after_the_second_factor(personas):
    client = Client()
    client.get(LOGIN)
    client.cookies["pcm_session"] = "planted-by-an-attacker"
    sign_in_with_password(client, "layla")
    after_password = client.cookies["pcm_session"].value
    assert after_password != "planted-by-an-attacker"
    client.post(VERIFY, {"token": current_code(personas.caseworker)})
    assert client.cookies["pcm_session"].value != after_password


def test_unknown_user_and_wrong_password_get_the_same_answer(personas):
    unknown = sign_in_with_password(Client(), "nobody-here", "whatever-password")
    wrong = sign_in_with_password(Client(), "layla", "wrong-password-123")
    assert unknown.status_code == wrong.status_code == 200
    message = "The username or password is not correct."
    assert message in unknown.content.decode() and message in wrong.content.decode()


@pytest.mark.parametrize("username", ["layla", "nobody-here"])
def test_it_locks_a_username_after_five_failures_whether_or_not_it_exists(personas, username):
    client = Client()
    for _ in range(4):
        assert sign_in_with_password(client, username, "wrong-password-123").status_code == 200
    locked = sign_in_with_password(client, username, "wrong-password-123")
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    # Even the right password is refused while locked.
    again = sign_in_with_password(Client(), username, PASSWORD)
    assert again.status_code == 429


def test_the_lockout_of_one_user_does_not_lock_the_office(personas):
    client = Client()
    for _ in range(5):
        sign_in_with_password(client, "karim", "wrong-password-123")
    assert sign_in_with_password(client, "layla").status_code == 302


def test_an_inactive_user_cannot_sign_in_and_is_told_nothing_more(personas):
    personas.caseworker.is_active = False
    personas.caseworker.save()
    response = sign_in_with_password(Client(), "layla")
    assert "The username or password is not correct." in response.content.decode()


def test_it_does_not_follow_a_next_link_to_another_site(personas):
    client = Client()
    client.post(LOGIN, {"username": "layla", "password": PASSWORD, "next": "https://evil.example/"})
    response = client.post(
        VERIFY, {"token": current_code(personas.caseworker), "next": "https://evil.example/"}
    )
    assert response["Location"] == HOME


def test_two_factor_can_be_switched_off_for_a_demo(personas, settings):
    settings.REQUIRE_2FA = False
    client = Client()
    assert sign_in_with_password(client, "layla")["Location"] == HOME
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_new_user_enrols_an_authenticator_and_receives_backup_codes(personas):
    user = UserFactory.create(username="newcomer", agency=personas.agency, with_totp=False)
    client = Client()
    response = sign_in_with_password(client, "newcomer")
    assert response["Location"].startswith(reverse("accounts:enrol"))
    page = client.get(reverse("accounts:enrol")).content.decode()
    assert "<svg" in page  # the QR code, drawn inline
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:enrol"), {"token": "123456"})
    assert "This code does not match" in wrong.content.decode()
    # After a wrong code django-otp makes the next attempt wait; a person would wait too.
    throttled = client.post(reverse("accounts:enrol"), {"token": "123456"})
    assert "Too many wrong codes" in throttled.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    code = f"{TOTP(device.bin_key).token():06d}"
    done = client.post(reverse("accounts:enrol"), {"token": code})
    assert "Your backup codes" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert twofactor.remaining_backup_codes(user) == 10
    assert client.get(reverse("accounts:security")).status_code == 200
