"""The system's facts beside each item of a case file check, from every app that knows some.

An app adds facts with a module `<app>.case_file_facts` whose `CASE_FILE_FACTS` lists
functions `(case, now) -> list[Fact]`, each reading only that case (a query or two). The
supervisor still answers each item: facts inform the check, they do not replace it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from pcm.cases.models import Case
from pcm.core.discovery import app_modules


@dataclass(frozen=True)
class Fact:
    item: str  # the checklist field it informs, e.g. "consent_present"
    text: str
    # True when the system sees a gap the supervisor should look at
    concern: bool = False


FactSource = Callable[[Case, datetime], list[Fact]]


def facts_by_item(case: Case, now: datetime) -> dict[str, list[Fact]]:
    """Every app's facts about CASE, grouped by checklist item."""
    grouped: dict[str, list[Fact]] = {}
    for module in app_modules("case_file_facts"):
        source: FactSource
        for source in module.CASE_FILE_FACTS:
            for fact in source(case, now):
                grouped.setdefault(fact.item, []).append(fact)
    return grouped
