"""Every new agency starts with the default protection risk taxonomy, which its manager edits."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pcm.accounts.models import Agency
from pcm.cases.taxonomy import ensure_default_taxonomy


@receiver(post_save, sender=Agency)
def _give_new_agency_the_default_taxonomy(
    sender: type[Agency], instance: Agency, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        ensure_default_taxonomy(instance.pk)
