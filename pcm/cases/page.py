"""The case page's sections: each step's app adds its own, in the order of the steps.

An app takes part with a module `<app>.case_page` defining `CASE_SECTION`, a function
`(request, case) -> Section | None` returning the template to include and its context (None:
nothing to show for this case), and `ORDER`, its place on the page (10 intake, 20 assessment,
30 planning, 40 implementation, 50 follow-up, 60 closure, 90 supervision). It reads only what
belongs to CASE, which the access policy has already let the user see. The template is
included with `case` and `s` (the section's context) — e.g. `{{ s.assessments }}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from pcm.cases.models import Case
from pcm.core.discovery import app_modules


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionFunction = Callable[[HttpRequest, Case], Section | None]


def case_sections(request: HttpRequest, case: Case) -> list[Section]:
    modules = sorted(app_modules("case_page"), key=lambda module: int(module.ORDER))
    sections = []
    for module in modules:
        function: SectionFunction = module.CASE_SECTION
        section = function(request, case)
        if section is not None:
            sections.append(section)
    return sections
