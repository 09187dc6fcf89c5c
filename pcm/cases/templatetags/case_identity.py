"""The case page's control to hide the case's identity in lists (pcm.cases.identity)."""

from __future__ import annotations

from typing import Any

from django import template

from pcm.cases.identity import may_hide_identity
from pcm.cases.models import Case
from pcm.cases.views_identity import IdentityInListsForm

register = template.Library()


@register.inclusion_tag("cases/_identity_in_lists.html", takes_context=True)
def identity_in_lists(context: template.Context, case: Case) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = user is not None and may_hide_identity(user, case)
    return {
        "case": case,
        "form": IdentityInListsForm(auto_id="identity_%s") if allowed else None,
        "csrf_token": context.get("csrf_token"),
    }
