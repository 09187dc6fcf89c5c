"""What every case-work page does first: find the case for the user, check they may write."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from pcm.access import policy
from pcm.accounts.models import User
from pcm.cases.models import Case
from pcm.casework.permissions import may_write_casework
from pcm.core.http import current_user


def case_for_writing(request: HttpRequest, public_id: str) -> tuple[User, Case]:
    """The case (404 for anyone outside it) and the user, who must be allowed to write (403)."""
    user = current_user(request)
    case = policy.get_case_for(user, public_id)
    if not may_write_casework(user, case):
        raise PermissionDenied
    return user, case


def back_to_case(case: Case) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("cases:detail", kwargs={"public_id": case.public_id}) + "#casework"
    )


def form_status(request: HttpRequest, conflict: bool = False) -> int:
    """200 for a fresh form; 400 for one sent back with errors; 409 for a conflicting save."""
    if request.method != "POST":
        return 200
    return 409 if conflict else 400


def form_page(
    request: HttpRequest, context: dict[str, object], *, conflict: bool = False
) -> HttpResponse:
    """The shared page of the simple case-work forms (title, intro, fields, one button)."""
    return render(
        request, "casework/form_page.html", context, status=form_status(request, conflict)
    )
