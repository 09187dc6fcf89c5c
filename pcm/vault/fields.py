"""Model fields whose values are encrypted in the database.

Use `EncryptedCharField` for short identifying values (names, phone numbers, document numbers)
and `EncryptedTextField` for narratives. The database holds only ciphertext (an empty value stays
empty); Python code sees plaintext. Such a column cannot be searched, compared or ordered in SQL:
names and phone numbers are found through the blind indexes of `pcm.vault.blind`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact
from django.utils.translation import gettext

from pcm.vault import crypto


class _EmptyOnlyExact(Exact):  # type: ignore[type-arg]
    """`field=""` works on ciphertext (empty stays empty); `field="a name"` never could."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.target.model.__name__}.{self.lhs.target.name} is encrypted: it can "
                "only be compared with an empty value. Search through pcm.vault.blind instead."
            )
        return super().get_prep_lookup()


class UnreadableValue(str):
    """What a value reads as once its key is gone (emergency purge) or it was tampered with."""

    __slots__ = ()


def unreadable() -> UnreadableValue:
    return UnreadableValue(gettext("[unreadable]"))


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored encrypted with the keyring's active data key."""

    encrypted = True

    def context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, UnreadableValue):
            raise ValueError("An unreadable (purged) value cannot be saved again.")
        return crypto.encrypt_text(str(value), self.context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        if not crypto.is_encrypted(value):
            # Written before encryption was switched on: `manage.py rotate_keys` encrypts it.
            return value
        try:
            return crypto.decrypt_text(value, self.context())
        except crypto.Unreadable:
            return unreadable()

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted: it cannot be searched with "
                f"'{lookup_name}'. Search through pcm.vault.blind instead."
            )
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    """A short encrypted value: a one-line input limited to max_length characters."""

    @property
    def validators(self) -> list[Any]:
        found = [*self.default_validators, *getattr(self, "_validators", [])]
        if self.max_length is not None:
            found.append(validators.MaxLengthValidator(self.max_length))
        return found

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        defaults: dict[str, Any] = {"max_length": self.max_length, "widget": forms.TextInput}
        defaults.update(kwargs)
        return super().formfield(**defaults)


def encrypted_fields() -> list[EncryptedTextField]:
    """Every encrypted field of every installed model (for rotation, purge and tests)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.local_fields:
            if isinstance(model_field, EncryptedTextField):
                found.append(model_field)
    return found
