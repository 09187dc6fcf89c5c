"""Case list: a caseworker's and a supervisor's first page and a case-number search, vs raw SQL.

Server time of GET /cases/ (first page, as the caseworker and as the supervisor personas) and
of POST /cases/ searching one full case number the caseworker holds, each timed through
django.test.Client with the whole middleware stack: the session is signed in and past the
second factor (PCM_REQUIRE_2FA stays on), exactly as after the real sign-in. Beside each, the
same rows are fetched by one hand-written SELECT (joins to people_person and accounts_user,
ordered by opened_at) through django.db.connection; `ratio_to_raw_sql` is page p50 / SQL p50.
The data set is `manage.py seed --cases N` (200 000 by default) in var/bench/, made once.
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

BENCHMARK = "case_list"
DEFAULT_CASES = 200_000
CASEWORKER = "caseworker"
SUPERVISOR = "supervisor"
_CASE_NUMBER_CELL = re.compile(r'class="case-number" href="[^"]*">([^<]+)</a>')

# The columns the case table shows, for the rows the view shows (open cases, newest first),
# joined as the ORM joins them: the caseworker's own cases have an assignee (inner join), a
# team's may not (left join). The join conditions are written the ORM's way round
# (c.fk = other.id): without ANALYZE statistics SQLite's plan depends even on that.
_COLUMNS = """
    SELECT c.public_id, c.number, c.risk_level, c.status, c.opened_at,
           p.given_name, p.family_name, u.first_name, u.last_name, u.username
    FROM cases_case c
    JOIN people_person p ON c.person_id = p.id
"""
_ASSIGNEE = f"{_COLUMNS}    JOIN accounts_user u ON c.assigned_to_id = u.id"
_MAYBE_ASSIGNEE = f"{_COLUMNS}    LEFT JOIN accounts_user u ON c.assigned_to_id = u.id"
CASEWORKER_SQL = f"""{_ASSIGNEE}
    WHERE c.agency_id = %s AND c.assigned_to_id = %s AND c.status <> %s
    ORDER BY c.opened_at DESC, c.id DESC
    LIMIT %s
"""
SUPERVISOR_SQL = f"""{_MAYBE_ASSIGNEE}
    JOIN accounts_team t ON c.team_id = t.id
    WHERE c.agency_id = %s AND t.supervisor_id = %s AND c.status <> %s
    ORDER BY c.opened_at DESC, c.id DESC
    LIMIT %s
"""
CASE_NUMBER_SQL = f"""{_ASSIGNEE}
    WHERE c.agency_id = %s AND c.assigned_to_id = %s AND c.number = %s
    ORDER BY c.opened_at DESC
    LIMIT %s
"""


@dataclass(frozen=True)
class Scenario:
    name: str
    page: Callable[[], Response]
    sql: str
    params: tuple[common.SQLParam, ...]


def _user(username: str) -> User:
    from pcm.accounts.models import User

    return User.objects.select_related("agency").get(username=username)


def _number_to_search(caseworker: User) -> str:
    """A full case number the caseworker holds: the middle one of their cases, by opening."""
    from pcm.cases.models import Case

    numbers = list(
        Case.objects.filter(assigned_to=caseworker)
        .order_by("opened_at")
        .values_list("number", flat=True)
    )
    if not numbers:
        raise SystemExit(f"The {CASEWORKER!r} persona holds no case; the data set is not usable.")
    return numbers[len(numbers) // 2]


def scenarios() -> list[Scenario]:
    """The three requests measured, each with the raw SQL that fetches the same rows."""
    from django.conf import settings
    from django.urls import reverse

    from pcm.cases.models import CaseStatus
    from pcm.cases.views import SEARCH_RESULT_LIMIT

    url = reverse("cases:list")
    caseworker, supervisor = _user(CASEWORKER), _user(SUPERVISOR)
    as_caseworker = common.signed_in_client(CASEWORKER)
    as_supervisor = common.signed_in_client(SUPERVISOR)
    number = _number_to_search(caseworker)
    closed, per_page = CaseStatus.CLOSED.value, settings.CASES_PER_PAGE
    return [
        Scenario(
            "caseworker_list",
            lambda: as_caseworker.get(url),
            CASEWORKER_SQL,
            (caseworker.agency_id, caseworker.pk, closed, per_page),
        ),
        Scenario(
            "supervisor_list",
            lambda: as_supervisor.get(url),
            SUPERVISOR_SQL,
            (supervisor.agency_id, supervisor.pk, closed, per_page),
        ),
        Scenario(
            "case_number_search",
            lambda: as_caseworker.post(url, {"q": number}),
            CASE_NUMBER_SQL,
            (caseworker.agency_id, caseworker.pk, number, SEARCH_RESULT_LIMIT + 1),
        ),
    ]


def check_same_rows(scenario: Scenario) -> None:
    """Refuse to time a page that fails or does not show exactly the raw SQL's rows."""
    response = scenario.page()
    if response.status_code != 200:
        raise SystemExit(f"{scenario.name}: HTTP {response.status_code}, expected 200.")
    shown = _CASE_NUMBER_CELL.findall(response.content.decode())
    fetched = [str(row[1]) for row in common.raw_rows(scenario.sql, scenario.params)]
    if not fetched or shown != fetched:
        raise SystemExit(
            f"{scenario.name}: the page shows {len(shown)} cases, the raw SQL fetches "
            f"{len(fetched)}, not the same list; the baseline would be meaningless."
        )


def measure(scenario: Scenario, runs: int) -> list[common.Figure]:
    """Check SCENARIO, count its queries, then time it beside its raw SQL."""
    check_same_rows(scenario)
    queries = common.query_count(scenario.page)
    common.log(f"Timing {scenario.name}: {runs} requests and {runs} raw SELECTs")
    page_ms, raw_ms = common.time_side_by_side(
        scenario.page, lambda: common.raw_rows(scenario.sql, scenario.params), runs
    )
    return [
        *common.timing_figures(scenario.name, page_ms, raw_ms),
        common.Figure(f"{scenario.name}.queries", queries, "queries"),
    ]


def main() -> None:
    args = common.arguments(BENCHMARK, __doc__ or BENCHMARK, DEFAULT_CASES)
    sqlite_file = common.use_database(BENCHMARK, args.cases)
    data = common.ensure_caseload(args.cases, sqlite_file)
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
        "load_average": [round(load_before, 2), round(common.machine_load(), 2)],
    }
    common.report(BENCHMARK, figures, details)


if __name__ == "__main__":
    main()
