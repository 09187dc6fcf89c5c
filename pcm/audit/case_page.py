"""The case page's access history: who read or changed this case, for its team's supervisor.

The section holds a button; the history itself loads on demand (audit:case_history), so the
case page costs no audit query and reading the history is recorded as such.
"""

from __future__ import annotations

from django.http import HttpRequest

from pcm.audit import access
from pcm.cases.models import Case
from pcm.cases.page import Section

ORDER = 95


def CASE_SECTION(request: HttpRequest, case: Case) -> Section | None:
    if not access.can_see_case_history(request.user, case):
        return None
    return Section("audit/_case_section.html")
