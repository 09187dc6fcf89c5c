"""Menu links to the audit trail (for auditors, administrators and supervisors)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.accounts.models import User
from pcm.audit import access
from pcm.core.context_processors import MenuItem


def menu_items(user: User) -> list[MenuItem]:
    items = []
    if access.can_see_trail(user):
        items.append(MenuItem(_("Audit trail"), reverse("audit:trail")))
    if access.can_answer_subject_requests(user):
        items.append(MenuItem(_("Data access history"), reverse("audit:subject_lookup")))
    return items
