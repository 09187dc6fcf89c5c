"""What a dashboard holds: every indicator's line, the monthly trends and the breakdowns, and
the people-reached table — computed for a scope, a period and filters (the page and the
worker, which computes the default dashboards ahead, both use it)."""

from __future__ import annotations

from dataclasses import dataclass

from pcm.meal.extra_indicators import extra_breakdowns
from pcm.meal.indicators import indicators
from pcm.meal.query import Dim, Filters, Period, Scope
from pcm.meal.reach import Reach, reach
from pcm.meal.tables import Memo, Table, by_group, by_month, headline

# The dashboard's charts: monthly trends, and breakdowns (indicator code, dimension).
DASHBOARD_TRENDS = (
    "new_cases",
    "first_response",
    "plan_actions_on_time",
    "closures",
    "satisfaction",
    "wellbeing_improved",
    "referrals_made",
    "feedback_received",
)
DASHBOARD_BREAKDOWNS: tuple[tuple[str, Dim], ...] = (
    ("caseload", Dim.TEAM),
    ("new_cases", Dim.RISK_LEVEL),
    ("new_cases", Dim.RISK_TYPE),
    ("first_response", Dim.RISK_LEVEL),
    ("closures", Dim.CLOSURE_REASON),
)


@dataclass(frozen=True)
class Dashboard:
    headlines: list[Table]
    trends: list[Table]
    breakdowns: list[Table]
    reach: Reach


def dashboard_tables(scope: Scope, period: Period, filters: Filters, level: int) -> Dashboard:
    memo = Memo()  # tables computed once here, filtered or wider
    by_code = {indicator.code: indicator for indicator in indicators()}
    return Dashboard(
        headlines=[headline(i, scope, period, filters, memo) for i in by_code.values()],
        trends=[
            by_month(by_code[code], scope, period, filters, memo)
            for code in DASHBOARD_TRENDS
            if code in by_code
        ],
        breakdowns=[
            by_group(by_code[code], scope, period, filters, dim, level, memo)
            for code, dim in (*DASHBOARD_BREAKDOWNS, *extra_breakdowns())
            if code in by_code
        ],
        reach=reach(scope, period, filters, level),
    )
