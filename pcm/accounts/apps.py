"""App configuration for pcm.accounts."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pcm.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from pcm.accounts import signals  # noqa: F401  (connects the receivers)
