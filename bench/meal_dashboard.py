"""MEAL dashboard: the manager's and a supervisor's dashboard over the seeded caseload.

Server time of GET /meal/ (the default period: this calendar year) as the manager (the agency's
figures), as the supervisor (their team's), as the manager with filters (female, aged 25–59,
high risk), with costlier ones (an area, a protection risk, no disability, by the finest
location level), and for the last whole quarter (its tables are slices of the year's, which
then have the month as an axis), each timed through django.test.Client with the whole
middleware stack, signed in past the second factor. `cold` is the first request, which computes
every table (no snapshot kept: as for a new selection of filters); p50/p95 are the requests
after it, served from the snapshots the first one kept for 15 minutes (the worker computes the
default dashboards ahead every 10 minutes, so their first request is a warm one too). The
baseline is the one hand-written GROUP BY that counts the agency's new cases of the period by
month (one of the ~60 queries of a cold dashboard), through django.db.connection;
`ratio_to_raw_sql` is page p50 / SQL p50.
The data set is `manage.py seed --cases N` (200 000 by default) in var/bench/, made once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING

from bench import common

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

BENCHMARK = "meal_dashboard"
DEFAULT_CASES = 200_000
# SQLite's strftime of the stored UTC moment: a close enough month for the baseline.
NEW_CASES_BY_MONTH_SQL = """
    SELECT strftime('%%Y-%%m', opened_at) AS month, COUNT(*)
    FROM cases_case
    WHERE agency_id = %s AND opened_at >= %s AND opened_at < %s
    GROUP BY month
"""
NEW_CASES_BY_MONTH_PG = """
    SELECT date_trunc('month', opened_at) AS month, COUNT(*)
    FROM cases_case
    WHERE agency_id = %s AND opened_at >= %s AND opened_at < %s
    GROUP BY month
"""


@dataclass(frozen=True)
class Scenario:
    name: str
    page: Callable[[], Response]


def scenarios() -> list[Scenario]:
    from django.urls import reverse

    url = reverse("meal:dashboard")
    as_manager = common.signed_in_client("manager")
    as_supervisor = common.signed_in_client("supervisor")
    filters = {"sex": "female", "age_group": "25-59", "risk_level": "high"}
    return [
        Scenario("manager", lambda: as_manager.get(url)),
        Scenario("supervisor", lambda: as_supervisor.get(url)),
        Scenario("manager_filtered", lambda: as_manager.get(url, filters)),
        Scenario("manager_place_risk", lambda: as_manager.get(url, place_and_risk())),
        Scenario("manager_quarter", lambda: as_manager.get(url, {"period": last_quarter()})),
    ]


def last_quarter() -> str:
    """The last whole quarter, as the period list names it (e.g. 2026-Q3)."""
    from django.utils import timezone

    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the current one's number less one: 0 is last year's Q4
    return f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"


def place_and_risk() -> dict[str, str | int]:
    """Filters of the costlier kinds: an area (every place inside it), a protection risk (a
    case may have several), disability (from the assessments), shown by the finest level."""
    from django.db.models import Max

    from pcm.accounts.models import User
    from pcm.cases.taxonomy import RiskType
    from pcm.locations.models import Location

    agency = User.objects.get(username="manager").agency
    finest = Location.objects.aggregate(level=Max("level"))["level"]
    area = Location.objects.filter(level=min(1, finest or 0)).order_by("pk").first()
    risk = RiskType.objects.filter(agency=agency, parent__isnull=True).order_by("pk").first()
    if area is None or risk is None or finest is None:
        raise SystemExit("The seeded data has no location or no protection risk type.")
    return {"location": area.pk, "risk_type": risk.pk, "disability": "no", "level": finest}


def baseline() -> Callable[[], object]:
    from django.db import connection
    from django.utils import timezone

    from pcm.accounts.models import User
    from pcm.meal.forms import default_period
    from pcm.meal.query import scope_for

    manager = User.objects.select_related("agency").get(username="manager")
    scope = scope_for(manager)
    period = default_period(timezone.localdate(timezone=scope.zone), scope.zone)
    sql = NEW_CASES_BY_MONTH_PG if connection.vendor == "postgresql" else NEW_CASES_BY_MONTH_SQL
    params: tuple[common.SQLParam, ...] = (
        scope.agency.pk,
        period.starts_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        period.ends_before.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
    )
    return lambda: common.raw_rows(sql, params)


def measure(scenario: Scenario, raw: Callable[[], object], runs: int) -> list[common.Figure]:
    """Time SCENARIO's first request with no snapshot (cold), check it, then time it warm."""
    import time

    from pcm.meal.models import MealSnapshot

    MealSnapshot.objects.all().delete()
    started = time.perf_counter()
    response = scenario.page()
    cold_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{scenario.name}: HTTP {response.status_code}, expected 200.")
    if b'id="meal-indicators"' not in response.content:
        raise SystemExit(f"{scenario.name}: the page shows no indicator table.")
    queries = common.query_count(scenario.page)
    common.log(f"Timing {scenario.name}: {runs} requests and {runs} raw SELECTs")
    page_ms, raw_ms = common.time_side_by_side(scenario.page, raw, runs)
    return [
        common.Figure(f"{scenario.name}.cold", cold_ms, "ms"),
        *common.timing_figures(scenario.name, page_ms, raw_ms),
        common.Figure(f"{scenario.name}.warm_queries", queries, "queries"),
    ]


def main() -> None:
    args = common.arguments(BENCHMARK, __doc__ or BENCHMARK, DEFAULT_CASES)
    sqlite_file = common.use_database(BENCHMARK, args.cases)
    data = common.ensure_caseload(args.cases, sqlite_file)
    figures = [common.Figure("cases", data.cases, "cases")]
    load_before = common.machine_load()
    raw = baseline()
    for scenario in scenarios():
        figures += measure(scenario, raw, args.runs)
    details: dict[str, object] = {
        "database": data.database,
        "sqlite_file": sqlite_file.name if sqlite_file else None,
        "runs": args.runs,
        "warm_up": common.WARM_UP,
        "seed_seconds": data.seed_seconds,
        "load_average": [round(load_before, 2), round(common.machine_load(), 2)],
    }
    common.report(BENCHMARK, figures, details)


if __name__ == "__main__":
    main()
