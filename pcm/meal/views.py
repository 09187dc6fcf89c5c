"""MEAL pages: the dashboard (a manager's or a supervisor's team's), each indicator's page with
its disaggregations, export requests and the agency's settings. Aggregates only: no page here
shows a name, a case number or anything about one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pcm.accounts.models import Role, User
from pcm.core.errors import ActionRefused, EditConflict
from pcm.core.http import current_user
from pcm.meal import actions
from pcm.meal.charts import chart_spec
from pcm.meal.dashboard import dashboard_tables
from pcm.meal.forms import ExportForm, FilterForm, SettingsForm
from pcm.meal.indicators import Indicator, get_indicator
from pcm.meal.query import may_use_meal, scope_for
from pcm.meal.tables import Memo, Table, by_group, by_month, describe, headline


@dataclass(frozen=True)
class Panel:
    """A table, its chart's JSON and its text alternative, as a page shows them."""

    table: Table
    chart: dict[str, Any]
    summary: str
    chart_id: str

    @property
    def data_id(self) -> str:
        return f"{self.chart_id}-data"


def _panel(table: Table, show_chart: bool = True) -> Panel:
    chart = chart_spec(table) if show_chart and table.available and table.rows else {}
    return Panel(table, chart, describe(table), f"chart-{table.slug}")


def _meal_user(request: HttpRequest) -> User:
    user = current_user(request)
    if not may_use_meal(user):
        raise PermissionDenied
    return user


def _export_query(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, request.GET[key]) for key in actions.EXPORT_PARAMS if request.GET.get(key)]


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _meal_user(request)
    scope = scope_for(user)
    form = FilterForm(request.GET or None, scope=scope)
    form.is_valid()
    period, filters, level = form.chosen_period(), form.filters(), form.location_level()
    tables = dashboard_tables(scope, period, filters, level)
    return render(
        request,
        "meal/dashboard.html",
        {
            "form": form,
            "period": period,
            "headlines": tables.headlines,
            "trends": [_panel(table) for table in tables.trends],
            "breakdowns": [_panel(table) for table in tables.breakdowns],
            "reach": tables.reach,
            "query": request.GET.urlencode(),
            "export_query": _export_query(request),
            "team_view": user.role == Role.SUPERVISOR,
            "threshold": scope.threshold,
            "can_change_settings": actions.may_change_settings(user),
        },
        status=200 if not form.errors else 400,
    )


@login_required
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _meal_user(request)
    indicator: Indicator | None = get_indicator(code)
    if indicator is None:
        raise Http404
    scope = scope_for(user)
    form = FilterForm(request.GET or None, scope=scope)
    form.is_valid()
    period, filters, level = form.chosen_period(), form.filters(), form.location_level()
    memo = Memo()
    panels = [_panel(by_month(indicator, scope, period, filters, memo))]
    panels += [
        _panel(by_group(indicator, scope, period, filters, dim, level, memo))
        for dim in indicator.dims
    ]
    return render(
        request,
        "meal/indicator.html",
        {
            "form": form,
            "period": period,
            "indicator": indicator,
            "total": headline(indicator, scope, period, filters, memo),
            "panels": panels,
            "query": request.GET.urlencode(),
            "export_query": _export_query(request),
            "threshold": scope.threshold,
        },
        status=200 if not form.errors else 400,
    )


@login_required
@require_POST
def request_export(request: HttpRequest) -> HttpResponse:
    user = _meal_user(request)
    form = ExportForm(request.POST)
    filters = FilterForm(request.POST, scope=scope_for(user))
    if form.is_valid() and filters.is_valid():
        try:
            job = actions.do_request_meal_export(
                user,
                indicator=form.cleaned_data["indicator"],
                table=form.cleaned_data["table"],
                file_format=form.cleaned_data["file_format"],
                query=request.POST.dict(),
            )
        except ActionRefused as refusal:
            messages.error(request, str(refusal.message))
        else:
            messages.success(
                request,
                _("Export started. This page shows its progress and the file when it is ready."),
            )
            return redirect("jobs:detail", public_id=job.public_id)
    return render(request, "meal/export_refused.html", status=400)


@login_required
@require_http_methods(["GET", "POST"])
def meal_settings(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not actions.may_change_settings(user):
        raise PermissionDenied
    current = actions.settings_of(user)
    form = SettingsForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.do_change_meal_settings(
                    current,
                    threshold=form.cleaned_data["small_cell_threshold"],
                    expected_version=form.cleaned_data.get("version") or 0,
                    acting_user=user,
                )
            except ActionRefused as refusal:
                status = 409 if isinstance(refusal, EditConflict) else 400
                form.add_error(None, str(refusal.message))
            else:
                messages.success(request, _("MEAL settings saved."))
                return redirect("meal:dashboard")
    return render(request, "meal/settings.html", {"form": form}, status=status)
