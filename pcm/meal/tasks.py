"""The background job that writes one MEAL table to XLSX or CSV, with its HXL row."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.jobs.actions import complete_job
from pcm.jobs.models import Job, JobMessage
from pcm.jobs.registry import JobFailed, ProgressReporter, job_kind, periodic
from pcm.meal.dashboard import dashboard_tables
from pcm.meal.exports import sheet_of, sheet_of_reach, to_csv, to_xlsx
from pcm.meal.forms import FilterForm, default_period
from pcm.meal.indicators import get_indicator
from pcm.meal.models import MealEvent
from pcm.meal.query import Filters, may_use_meal, scope_for
from pcm.meal.reach import REACH, reach
from pcm.meal.snapshots import forget_stale
from pcm.meal.tables import build

TABLE_EXPORT = "meal.table_export"
# Shorter than a snapshot's lifetime, so that the default dashboards are always ready.
COMPUTE_AHEAD_EVERY = timedelta(minutes=10)


@job_kind(
    TABLE_EXPORT,
    title=_("MEAL table export"),
    messages={
        "counting": _("Counting…"),
        "writing": _("Writing the file…"),
        "done": _("Ready: the table, with its HXL hashtags on the second row."),
    },
    back_url="meal:dashboard",
    back_label=_("Back to the dashboard"),
)
def export_table(job: Job, report_progress: ProgressReporter) -> None:
    user = job.owner
    if not may_use_meal(user):
        raise JobFailed(JobMessage.NOT_ALLOWED)
    code = job.params["indicator"]
    scope = scope_for(user)
    form = FilterForm(job.params.get("query", {}), scope=scope)
    if not form.is_valid():
        raise JobFailed(JobMessage.FAILED)
    report_progress(0, 3, "counting")
    period, filters = form.chosen_period(), form.filters()
    if code == REACH:
        sheet = sheet_of_reach(
            reach(scope, period, filters, form.location_level()),
            period,
            filters,
            scope.agency.name,
        )
    else:
        indicator = get_indicator(code)
        if indicator is None:
            raise JobFailed(JobMessage.FAILED)
        table = build(indicator, scope, period, filters, job.params["table"], form.location_level())
        if table is None:
            raise JobFailed(JobMessage.FAILED)
        sheet = sheet_of(table, period, filters, scope.agency.name)
    report_progress(2, 3, "writing")
    file_format = job.params["format"]
    content = to_xlsx(sheet) if file_format == "xlsx" else to_csv(sheet)
    stamp = timezone.localdate(timezone=scope.zone).isoformat()
    name = f"meal-{code}-{job.params['table']}-{stamp}.{file_format}"
    with transaction.atomic():
        complete_job(job, content, name)
        record_event(
            MealEvent.EXPORTED,
            actor=user,
            target=job,
            agency=user.agency,
            detail={
                "job": str(job.public_id),
                "indicator": code,
                "table": job.params["table"],
                "format": file_format,
                "rows": len(sheet.rows),
            },
        )


@periodic("meal.default_dashboards", every=COMPUTE_AHEAD_EVERY)
def compute_default_dashboards() -> None:
    """Compute every agency's dashboard and every supervisor's team dashboard for the default
    period ahead, so that they open at once; and forget snapshots past their lifetime."""
    forget_stale()
    for user in _one_reader_per_scope():
        scope = scope_for(user)
        today = timezone.localdate(timezone=scope.zone)
        dashboard_tables(scope, default_period(today, scope.zone), Filters(), 1)


def _one_reader_per_scope() -> list[User]:
    """A manager or MEAL officer of each active agency, and each supervisor with a team."""
    readers: dict[object, User] = {}
    users = User.objects.filter(
        is_active=True, agency__is_active=True, role__in=[Role.MANAGER, Role.MEAL_OFFICER]
    ).select_related("agency")
    for user in users.order_by("pk"):
        readers.setdefault(user.agency_id, user)
    supervisors = User.objects.filter(
        is_active=True,
        agency__is_active=True,
        role=Role.SUPERVISOR,
        supervised_teams__isnull=False,
    ).select_related("agency")
    return [*readers.values(), *supervisors.distinct().order_by("pk")]
