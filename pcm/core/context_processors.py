"""Values every page template needs: demo flag, languages, what the menu may show."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pcm.access import policy


def pcm(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "PCM_DEMO": settings.DEMO,
        "PCM_LANGUAGES": settings.LANGUAGES,
        "menu": {
            "cases": policy.can_work_with_cases(user),
            "register": policy.can_register_people(user),
            "administration": policy.can_administer(user),
        },
    }
