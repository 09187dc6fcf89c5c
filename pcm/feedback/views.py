"""Pages of the feedback register: the list, a new entry, an entry and its steps, handlers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.accounts.models import User
from pcm.accounts.reauth import require_recent_confirmation
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user
from pcm.feedback import access, actions
from pcm.feedback.forms import EntryForm, FilterForm, HandlerForm, StepForm
from pcm.feedback.models import (
    ComplaintsHandler,
    FeedbackEntry,
    Kind,
    Status,
    restricted_q,
)
from pcm.meal.models import threshold_of
from pcm.meal.suppression import suppress

PER_PAGE = 25


def _status(refusal: ActionRefused) -> int:
    return 409 if isinstance(refusal, EditConflict) else 400


def _filtered(entries: QuerySet[FeedbackEntry], data: dict[str, Any]) -> QuerySet[FeedbackEntry]:
    for name in ("status", "kind", "category"):
        if data.get(name):
            entries = entries.filter(**{name: data[name]})
    if data.get("received_from"):
        entries = entries.filter(received_on__gte=data["received_from"])
    if data.get("received_to"):
        entries = entries.filter(received_on__lte=data["received_to"])
    return entries


def _counts(entries: QuerySet[FeedbackEntry]) -> dict[str, Any]:
    """Totals of ENTRIES by status and kind, and how many are restricted: one query."""
    aggregates: dict[str, Any] = {
        "total": Count("pk"),
        "restricted": Count("pk", filter=restricted_q()),
    }
    aggregates.update(
        {f"status_{value}": Count("pk", filter=Q(status=value)) for value in Status.values}
    )
    aggregates.update({f"kind_{value}": Count("pk", filter=Q(kind=value)) for value in Kind.values})
    numbers = entries.order_by().aggregate(**aggregates)
    return {
        "total": numbers["total"],
        "restricted": numbers["restricted"],
        "by_status": [(label, numbers[f"status_{value}"]) for value, label in Status.choices],
        "by_kind": [(label, numbers[f"kind_{value}"]) for value, label in Kind.choices],
    }


def _suppressed(counts: dict[str, Any], threshold: int) -> dict[str, Any]:
    """The counts as a MEAL officer reads them: small cells as "<5", with the secondary
    suppression of pcm.meal (a column and its total)."""

    def column(pairs: list[tuple[str, int]]) -> list[tuple[str, str]]:
        table = suppress(
            [[number] for _label, number in pairs], threshold=threshold, grand=counts["total"]
        )
        return [(label, row[0].text) for (label, _n), row in zip(pairs, table.cells, strict=True)]

    total = suppress([[counts["restricted"]]], threshold=threshold, grand=counts["total"])
    assert total.grand is not None  # noqa: S101 - a grand total was given
    return {
        "total": total.grand.text,
        "restricted": total.cells[0][0].text,
        "by_status": column(counts["by_status"]),
        "by_kind": column(counts["by_kind"]),
        "suppressed": True,
    }


@login_required
@never_cache
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not access.can_see_register(user):
        raise PermissionDenied
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    handler = access.is_handler(user)
    rows = access.register_rows_for(user, handler=handler)
    if form.errors:
        rows = rows.none()
    rows = _filtered(rows, data).select_related("location")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    entries = list(page.object_list)
    for entry in entries:
        entry.open_days = entry.days_open(today)  # shown on the page
    counts = None
    own_restricted = 0
    if access.can_see_agency_counts(user):
        counts = _counts(_filtered(access.agency_entries(user), data))
        if access.is_deidentified_reader(user):
            counts = _suppressed(counts, threshold_of(user.agency_id or 0))
    elif not handler:
        own_restricted = (
            access.agency_entries(user).filter(restricted_q(), recorded_by=user).count()
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/register.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "query": query.urlencode(),
            "deidentified": access.is_deidentified_reader(user),
            "handler": handler,
            "can_record": access.can_record(user),
            "can_keep_handlers": access.can_keep_handlers(user),
            "counts": counts,
            "own_restricted": own_restricted,
        },
    )


def _case_from(form: EntryForm, user: User) -> tuple[bool, Case | None]:
    """(valid, case) from the form's case number: a number must name a case USER sees."""
    number = (form.cleaned_data.get("case_number") or "").strip()
    if not number:
        return True, None
    case = access.find_case(user, number)
    if case is None:
        form.add_error(
            "case_number", _("No case you can see has this number. Check it, or leave it empty.")
        )
        return False, None
    return True, case


def _after_save(request: HttpRequest, user: User, entry: FeedbackEntry, saved: str) -> HttpResponse:
    if access.entries_visible_to(user).filter(pk=entry.pk).exists():
        messages.success(request, saved)
        return redirect("feedback:detail", pk=entry.pk)
    if ComplaintsHandler.objects.filter(agency_id=entry.agency_id).exists():
        messages.success(
            request,
            _(
                "%(saved)s As it is sensitive or about staff, only the complaints handlers see "
                "it from now on: it is no longer shown to you."
            )
            % {"saved": saved},
        )
    else:
        messages.warning(
            request,
            _(
                "%(saved)s As it is sensitive or about staff, only the complaints handlers may "
                "see it, and your agency has none yet: ask your manager to name them now."
            )
            % {"saved": saved},
        )
    return redirect("feedback:register")


@login_required
@require_http_methods(["GET", "POST"])
def new_entry(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not access.can_record(user):
        raise PermissionDenied
    form = EntryForm(request.POST or None, initial={"received_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            valid, case = _case_from(form, user)
            if valid:
                try:
                    entry = actions.do_record_entry(form.details(), case=case, acting_user=user)
                except ActionRefused as refusal:
                    form.add_error(None, str(refusal.message))
                else:
                    return _after_save(request, user, entry, _("The entry is recorded."))
    return render(request, "feedback/entry_form.html", {"form": form, "entry": None}, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def edit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    entry = access.get_entry_for(user, pk)
    case = access.case_visible_to(user, entry)
    case_kept = entry.linked_case_id is not None and case is None
    initial = {
        "kind": entry.kind,
        "channel": entry.channel,
        "category": entry.category,
        "received_on": entry.received_on,
        "location": entry.location_id,
        "case_number": case.number if case else "",
        "description": entry.description,
        "wants_reply": entry.wants_reply,
        "reply_by": entry.reply_by,
        "sensitive": entry.sensitive,
        "about_staff": entry.about_staff,
        "version": entry.version,
    }
    form = EntryForm(request.POST or None, initial=initial, case_kept=case_kept)
    if request.method == "GET":
        actions.do_record_read(entry, acting_user=user)  # the form shows the whole entry
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            valid, new_case = (True, None) if case_kept else _case_from(form, user)
            if valid:
                try:
                    actions.do_change_entry(
                        entry,
                        form.details(),
                        case=new_case,
                        keep_case=case_kept,
                        based_on_version=form.cleaned_data["version"] or 0,
                        acting_user=user,
                    )
                except ActionRefused as refusal:
                    form.add_error(None, str(refusal.message))
                    status = _status(refusal)
                else:
                    return _after_save(request, user, entry, _("The entry is saved."))
    return render(
        request,
        "feedback/entry_form.html",
        {"form": form, "entry": entry, "case_kept": case_kept},
        status=status,
    )


def _render_detail(
    request: HttpRequest,
    user: User,
    entry: FeedbackEntry,
    *,
    step_form: StepForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions.do_record_read(entry, acting_user=user)
    today = timezone.localdate()
    possible = [step for step, sources in actions.STEP_FROM.items() if entry.status in sources]
    return render(
        request,
        "feedback/detail.html",
        {
            "entry": entry,
            "case": access.case_visible_to(user, entry),
            "steps": possible,
            "step_form": step_form,
            "today": today,
            "days_open": entry.days_open(today),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return _render_detail(request, user, access.get_entry_for(user, pk))


@login_required
@require_POST
def take_step(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    entry = access.get_entry_for(user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, user, entry, step_form=form, status=400)
    data = form.cleaned_data
    try:
        entry = actions.do_take_step(
            entry,
            data["step"],
            on=data["on"],
            based_on_version=data["version"],
            acting_user=user,
            response=data["response"],
        )
    except ActionRefused as refusal:
        form.add_error(None, str(refusal.message))
        return _render_detail(request, user, entry, step_form=form, status=_status(refusal))
    messages.success(
        request, _("The entry is now %(status)s.") % {"status": entry.get_status_display().lower()}
    )
    return redirect("feedback:detail", pk=pk)


def _refuse_non_keepers(request: HttpRequest) -> None:
    if not access.can_keep_handlers(request.user):
        raise PermissionDenied


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def handlers(request: HttpRequest) -> HttpResponse:
    # The role is checked before the confirmation, so that nobody is asked to confirm for a
    # page they may not use.
    _refuse_non_keepers(request)
    return _handlers_page(request)


@require_recent_confirmation
def _handlers_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    current = ComplaintsHandler.objects.filter(agency_id=user.agency_id or 0).select_related("user")
    candidates = (
        User.objects.filter(
            agency_id=user.agency_id or 0, is_active=True, role__in=access.HANDLER_ROLES
        )
        .exclude(pk__in=current.values("user_id"))
        .order_by("first_name", "last_name", "username")
    )
    form = HandlerForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.do_add_handler(form.cleaned_data["user"], acting_user=user)
            except ActionRefused as refusal:
                form.add_error(None, str(refusal.message))
            else:
                messages.success(request, _("The staff member is now a complaints handler."))
                return redirect("feedback:handlers")
    return render(
        request,
        "feedback/handlers.html",
        {"form": form, "handlers": current.order_by("user__first_name", "user__last_name")},
        status=status,
    )


@login_required
@require_POST
def remove_handler(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_non_keepers(request)
    return _remove_handler(request, pk)


@require_recent_confirmation
def _remove_handler(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    handler = get_object_or_404(
        ComplaintsHandler.objects.filter(agency_id=user.agency_id or 0), pk=pk
    )
    try:
        actions.do_remove_handler(handler, acting_user=user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("The staff member is no longer a complaints handler."))
    return redirect("feedback:handlers")
