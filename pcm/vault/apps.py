"""App configuration for pcm.vault."""

from __future__ import annotations

from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "pcm.vault"
    label = "vault"
    verbose_name = "Vault"
