"""The case page's attachments section: the files, who attached them, and the upload form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pcm.attachments import permissions
from pcm.attachments.forms import AttachmentForm
from pcm.attachments.models import Attachment
from pcm.cases.models import Case
from pcm.cases.page import Section

ORDER = 45


def CASE_SECTION(request: HttpRequest, case: Case) -> Section | None:
    """One query. Those who do not see documents see only how many there are."""
    user = request.user
    can_see = permissions.may_see_attachments(user, case)
    can_upload = permissions.may_upload(user, case)
    if can_see:
        attachments = list(
            Attachment.objects.filter(case=case)
            .select_related("uploaded_by", "deleted_by")
            .order_by("number")
        )
        count = sum(1 for attachment in attachments if not attachment.is_deleted)
    else:
        attachments = []
        count = Attachment.objects.filter(case=case, deleted_at__isnull=True).count()
    if not count and not attachments and not can_upload:
        return None
    context: dict[str, Any] = {
        "can_see": can_see,
        "can_upload": can_upload,
        "can_delete": permissions.may_delete(user, case),
        "attachments": [attachment for attachment in attachments if not attachment.is_deleted],
        "deleted": [attachment for attachment in attachments if attachment.is_deleted],
        "count": count,
    }
    if can_upload:
        # Prefixed ids: other sections' forms share the page.
        context["form"] = AttachmentForm(auto_id="attachment_%s")
    return Section(template="attachments/_case_section.html", context=context)
