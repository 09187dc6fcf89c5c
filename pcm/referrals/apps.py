"""App configuration for pcm.referrals."""

from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "pcm.referrals"
    label = "referrals"
