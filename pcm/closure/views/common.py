"""Helpers the step 6 views share: the way back to the case page."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse

from pcm.cases.models import Case


def back_to_case(case: Case) -> HttpResponseRedirect:
    """Redirect to the case page, at its closure section."""
    url = reverse("cases:detail", kwargs={"public_id": case.public_id})
    return HttpResponseRedirect(f"{url}#closure")
