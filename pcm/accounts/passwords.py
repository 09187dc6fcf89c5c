"""Password rules beyond Django's: an upper bound, so hashing cannot exhaust the server."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pcm.accounts.models import User

MAX_PASSWORD_LENGTH = 128


class MaximumLengthValidator:
    """Accept passphrases up to 128 characters (ASVS asks for at least 64)."""

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValidationError(
                _("This password is too long: use at most %(max)d characters.")
                % {"max": MAX_PASSWORD_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("At most %(max)d characters.") % {"max": MAX_PASSWORD_LENGTH}
