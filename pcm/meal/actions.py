"""MEAL's writes: the agency's settings and export requests, each audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from pcm.accounts.models import Role, User
from pcm.audit.actions import record_event
from pcm.core.errors import ActionRefused, EditConflict
from pcm.jobs.actions import enqueue
from pcm.jobs.models import Job
from pcm.meal.models import MAX_THRESHOLD, MIN_THRESHOLD, MealEvent, MealSettings
from pcm.meal.query import may_use_meal

# The filter and period parameters an export carries (codes and ids only).
EXPORT_PARAMS = (
    "period",
    "sex",
    "age_group",
    "disability",
    "displacement",
    "location",
    "risk_type",
    "risk_level",
    "team",
    "level",
)


def may_change_settings(user: User) -> bool:
    return may_use_meal(user) and user.role == Role.MANAGER


def settings_of(user: User) -> MealSettings:
    """The MEAL settings of USER's agency (created with the defaults on first use)."""
    assert user.agency is not None  # noqa: S101 - callers check the role first
    found, _created = MealSettings.objects.get_or_create(agency=user.agency)
    return found


def do_change_meal_settings(
    settings: MealSettings, *, threshold: int, expected_version: int, acting_user: User
) -> MealSettings:
    """Set the agency's small-cell threshold (managers only)."""
    if not may_change_settings(acting_user) or settings.agency_id != acting_user.agency_id:
        raise ActionRefused(_("Only a manager of the agency may change its MEAL settings."))
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise ActionRefused(
            _("Choose a threshold from %(low)d to %(high)d.")
            % {"low": MIN_THRESHOLD, "high": MAX_THRESHOLD}
        )
    with transaction.atomic(durable=True):
        updated = MealSettings.objects.filter(pk=settings.pk, version=expected_version).update(
            small_cell_threshold=threshold, version=F("version") + 1
        )
        if not updated:
            raise EditConflict(
                _(
                    "Someone changed these settings since you opened them. "
                    "Check them and save again."
                )
            )
        record_event(
            MealEvent.SETTINGS_CHANGED,
            actor=acting_user,
            target=settings,
            agency=acting_user.agency,
            fields=["small_cell_threshold"],
            detail={"threshold": threshold},
        )
    settings.refresh_from_db()
    return settings


def do_request_meal_export(
    user: User, *, indicator: str, table: str, file_format: str, query: dict[str, Any]
) -> Job:
    """Queue the export of one dashboard table as FILE_FORMAT, with the page's period and
    filters (QUERY: codes and ids only)."""
    from pcm.meal.indicators import get_indicator
    from pcm.meal.tasks import TABLE_EXPORT

    if not may_use_meal(user):
        raise ActionRefused(
            _("Only MEAL officers, managers and supervisors may export MEAL tables.")
        )
    from pcm.meal.reach import REACH

    known = indicator == REACH or get_indicator(indicator) is not None
    if not known or file_format not in ("xlsx", "csv"):
        raise ActionRefused(_("Choose a table of the dashboard to export."))
    params = {
        "indicator": indicator,
        "table": table,
        "format": file_format,
        "query": {key: str(query[key]) for key in EXPORT_PARAMS if query.get(key)},
    }
    with transaction.atomic(durable=True):
        job = enqueue(TABLE_EXPORT, owner=user, params=params)
        record_event(
            MealEvent.EXPORT_REQUESTED,
            actor=user,
            target=job,
            agency=user.agency,
            detail={"job": str(job.public_id), "indicator": indicator, "table": table},
        )
    return job
