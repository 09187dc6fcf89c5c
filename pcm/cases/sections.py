"""The sections of the case page, one per step's module, in the order of the six steps.

Each entry is the dotted path of a function `(request, case) -> Section | None` that returns
the template to include and its context (None: nothing to show for this case). Each function
reads only what belongs to CASE, which the access policy has already let the user see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string

from pcm.cases.models import Case


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionFunction = Callable[[HttpRequest, Case], Section | None]

CASE_SECTIONS: list[str] = []


def case_sections(request: HttpRequest, case: Case) -> list[Section]:
    sections = []
    for path in CASE_SECTIONS:
        function: SectionFunction = import_string(path)
        section = function(request, case)
        if section is not None:
            sections.append(section)
    return sections
