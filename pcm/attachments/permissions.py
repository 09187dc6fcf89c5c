"""Who may do what with a case's attachments (on top of the case access policy).

- Upload: the caseworker holding the open case, or the supervisor of its team.
- Download and see the list (titles): whoever may see the case and the documents field group
  (a manager, by default, sees neither the titles nor the files).
- Delete: those who may upload and see the documents (they must see which one they delete).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.http import Http404

from pcm.access import policy
from pcm.access.fields import FieldGroup, may_see
from pcm.attachments.models import Attachment
from pcm.cases.models import Case

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pcm.accounts.models import User


def may_see_attachments(user: User | AnonymousUser, case: Case) -> bool:
    return may_see(user, FieldGroup.DOCUMENTS, case)


def may_upload(user: User | AnonymousUser, case: Case) -> bool:
    return policy.can_work_on_case(user, case)


def may_delete(user: User | AnonymousUser, case: Case) -> bool:
    return may_upload(user, case) and may_see_attachments(user, case)


def get_attachment_for(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Attachment:
    """The attachment with PUBLIC_ID if USER may see its case; 404 otherwise, as if absent."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    attachment = (
        Attachment.objects.filter(public_id=key, case__in=policy.cases_visible_to(user))
        .select_related("case", "case__agency", "case__team", "uploaded_by", "deleted_by")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment
