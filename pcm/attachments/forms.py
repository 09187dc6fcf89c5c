"""Forms of the attachments: the upload (kind, title, file) and the deletion (a reason)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcm.attachments import rules
from pcm.attachments.models import REASON_MAX_LENGTH, TITLE_MAX_LENGTH, AttachmentKind

# A hint for the browser's file picker only: the type is checked from the content.
ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.webp,application/pdf,image/*"


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Say what it is, e.g. “Signed consent form” — it is stored encrypted."),
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = rules.format_size(rules.max_bytes())
        self.fields["file"].help_text = _(
            "A PDF, or a JPEG, PNG, HEIC or WebP photo, up to %(limit)s."
        ) % {"limit": limit}


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it deleted?"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("E.g. “Attached to the wrong case”. The file is destroyed, the reason kept."),
    )
