"""Password rules (ASVS 2.1): length and common passwords, no composition rules; and reset."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse


@pytest.mark.parametrize(
    "password",
    [
        "short pass",  # 10 characters
        "password1234",  # common
        "x" * 129,  # too long
    ],
)
def test_it_refuses_weak_or_absurd_passwords(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password",
    ["lowercase only long enough", "كلمة مرور طويلة جدا", "дуже довгий пароль", "x" * 128],
)
def test_it_accepts_long_passphrases_without_composition_rules(password):
    validate_password(password)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(personas):
    url = reverse("accounts:password_reset")
    known = Client().post(url, {"email": personas.caseworker.email})
    unknown = Client().post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.caseworker.email]
    body = mail.outbox[0].body
    assert "/accounts/password-reset/" in body


def test_the_reset_link_sets_a_new_password_that_follows_the_rules(personas):
    Client().post(reverse("accounts:password_reset"), {"email": personas.caseworker.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    path = link.split("testserver", 1)[1]
    client = Client()
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert "too short" in weak.content.decode()
    good = client.post(
        set_url,
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert good.status_code == 302
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.check_password("a brand new passphrase")
