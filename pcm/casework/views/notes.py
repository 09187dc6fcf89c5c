"""Writing a case note of a contact, and correcting one with a new note."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pcm.casework import actions
from pcm.casework.forms import DATETIME_INPUT, NoteCorrectionForm, NoteForm
from pcm.casework.models import CaseNote
from pcm.casework.views.common import back_to_case, case_for_writing, form_page
from pcm.core.errors import ActionRefused, EditConflict


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a contact with (or about) the service user."""
    user, case = case_for_writing(request, public_id)
    form = NoteForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_write_note(case, form.details(), acting_user=user)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The case note is saved."))
            return back_to_case(case)
    context = {
        "case": case,
        "form": form,
        "title": _("Add a case note"),
        "submit": _("Save the case note"),
    }
    return form_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def note_correct(request: HttpRequest, public_id: str, note_id: int) -> HttpResponse:
    """Correct a note: a new note replaces it and the original stays in the history."""
    user, case = case_for_writing(request, public_id)
    original = get_object_or_404(
        CaseNote.objects.select_related("written_by", "correction"), pk=note_id, case=case
    )
    initial = {
        "contact_at": timezone.localtime(original.contact_at).strftime(DATETIME_INPUT),
        "mode": original.mode,
        "place": original.place,
        "duration_minutes": original.duration_minutes,
        "narrative": original.narrative,
    }
    form = NoteCorrectionForm(request.POST or None, case=case, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_correct_note(
                original,
                form.details(),
                reason=form.cleaned_data["correction_reason"],
                acting_user=user,
            )
        except ActionRefused as refusal:
            conflict = isinstance(refusal, EditConflict)
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("The correction is saved; the earlier note is kept."))
            return back_to_case(case)
    context = {
        "case": case,
        "form": form,
        "title": _("Correct a case note"),
        "intro": _(
            "The corrected note replaces this one on the case page; both stay in the "
            "case-work history."
        ),
        "submit": _("Save the correction"),
        "original_note": original,
    }
    return form_page(request, context, conflict=conflict)
