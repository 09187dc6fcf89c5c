"""Today queue: the caseworker's today page and the supervisor's team page, vs the bare queue.

Server time of GET /today/ (as the caseworker persona) and GET /team/ (as the supervisor
persona), each timed through django.test.Client with the whole middleware stack: the session
is signed in and past the second factor (PCM_REQUIRE_2FA stays on), exactly as after the real
sign-in. Both pages read every app's queue providers (pcm.cases.queue.due_items, one query
each) and one caseload aggregate. Beside each, the same data is computed by calling
pcm.supervision.overview directly (the providers' queries and the grouping, without the
view, middleware and template); `ratio_to_queue_only` is page p50 / queue p50. The data set
is `manage.py seed --cases N` (200 000 by default) in var/bench/, made once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench import common

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

    from pcm.accounts.models import User

BENCHMARK = "today_queue"
DEFAULT_CASES = 200_000
CASEWORKER = "caseworker"
SUPERVISOR = "supervisor"
_QUEUE_ROW = re.compile(r'<tr class="queue-item')


@dataclass(frozen=True)
class Scenario:
    name: str
    page: Callable[[], Response]
    # The same data without view, middleware or template; returns how many rows the page shows.
    queue: Callable[[], int]


def _user(username: str) -> User:
    from pcm.accounts.models import User

    return User.objects.select_related("agency", "team").get(username=username)


def _in_agency_time(user: User, work: Callable[[], int]) -> Callable[[], int]:
    """WORK in the user's agency time zone, as the middleware runs the page."""
    import zoneinfo

    from django.utils import timezone

    zone = zoneinfo.ZoneInfo(user.agency.time_zone if user.agency else "UTC")

    def run() -> int:
        with timezone.override(zone):
            return work()

    return run


def scenarios() -> list[Scenario]:
    """The two pages measured, each with the bare queue computation behind it."""
    from django.urls import reverse
    from django.utils import timezone

    from pcm.supervision import overview

    caseworker, supervisor = _user(CASEWORKER), _user(SUPERVISOR)
    as_caseworker = common.signed_in_client(CASEWORKER)
    as_supervisor = common.signed_in_client(SUPERVISOR)
    today_url, team_url = reverse("supervision:today"), reverse("supervision:team")

    def caseworker_queue() -> int:
        now = timezone.now()
        queue = overview.caseworker_queue(caseworker, now)
        overview.caseworker_caseload(caseworker)
        overview.open_agreed_actions(caseworker)
        groups = (queue.overdue, queue.due_today, queue.coming_up, queue.waiting_for_supervisor)
        return sum(len(group) for group in groups)

    def supervisor_queue() -> int:
        team = overview.team_overview(supervisor, timezone.now())
        return len(team.approvals) + len(team.overdue)

    return [
        Scenario(
            "caseworker_today",
            lambda: as_caseworker.get(today_url),
            _in_agency_time(caseworker, caseworker_queue),
        ),
        Scenario(
            "supervisor_team",
            lambda: as_supervisor.get(team_url),
            _in_agency_time(supervisor, supervisor_queue),
        ),
    ]


def check_same_rows(scenario: Scenario) -> int:
    """Refuse to time a page that fails or does not show exactly the queue's rows."""
    response = scenario.page()
    if response.status_code != 200:
        raise SystemExit(f"{scenario.name}: HTTP {response.status_code}, expected 200.")
    shown = len(_QUEUE_ROW.findall(response.content.decode()))
    computed = scenario.queue()
    if shown != computed:
        raise SystemExit(
            f"{scenario.name}: the page shows {shown} queue rows, the queue computes "
            f"{computed}; the baseline would be meaningless."
        )
    if not shown:
        common.log(f"{scenario.name}: the queue is empty in this data set (still timed)")
    return shown


def measure(scenario: Scenario, runs: int) -> list[common.Figure]:
    """Check SCENARIO, count its queries, then time it beside the bare queue."""
    rows = check_same_rows(scenario)
    queries = common.query_count(scenario.page)
    queue_queries = common.query_count(scenario.queue)
    common.log(f"Timing {scenario.name}: {runs} requests and {runs} bare queue computations")
    page_ms, queue_ms = common.time_side_by_side(scenario.page, scenario.queue, runs)
    page_p50 = common.percentile(page_ms, 50)
    queue_p50 = common.percentile(queue_ms, 50)
    name = scenario.name
    return [
        common.Figure(f"{name}.p50", page_p50, "ms"),
        common.Figure(f"{name}.p95", common.percentile(page_ms, 95), "ms"),
        common.Figure(f"{name}_queue_only.p50", queue_p50, "ms"),
        common.Figure(f"{name}_queue_only.p95", common.percentile(queue_ms, 95), "ms"),
        common.Figure(f"{name}.ratio_to_queue_only", page_p50 / queue_p50, "x"),
        common.Figure(f"{name}.queries", queries, "queries"),
        common.Figure(f"{name}_queue_only.queries", queue_queries, "queries"),
        common.Figure(f"{name}.rows", rows, "rows"),
    ]


def main() -> None:
    args = common.arguments(BENCHMARK, __doc__ or BENCHMARK, DEFAULT_CASES)
    sqlite_file = common.use_database(BENCHMARK, args.cases)
    data = common.ensure_caseload(args.cases, sqlite_file)
    from pcm.cases.queue import all_providers

    providers = [f"{provider.__module__}.{provider.__name__}" for provider in all_providers()]
    common.log(f"Queue providers: {', '.join(providers)}")
    figures = [common.Figure("cases", data.cases, "cases")]
    load_before = common.machine_load()
    for scenario in scenarios():
        figures += measure(scenario, args.runs)
    details: dict[str, object] = {
        "database": data.database,
        "sqlite_file": sqlite_file.name if sqlite_file else None,
        "runs": args.runs,
        "warm_up": common.WARM_UP,
        "seed_seconds": data.seed_seconds,
        "providers": providers,
        "load_average": [round(load_before, 2), round(common.machine_load(), 2)],
    }
    common.report(BENCHMARK, figures, details)


if __name__ == "__main__":
    main()
