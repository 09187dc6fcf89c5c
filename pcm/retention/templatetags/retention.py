"""`{% anonymised_notice case %}`: what the page of an anonymised case says first."""

from __future__ import annotations

from typing import Any

from django import template

from pcm.cases.models import Case
from pcm.retention.statistics import kept_statistics

register = template.Library()


@register.inclusion_tag("retention/_anonymised_notice.html")
def anonymised_notice(case: Case) -> dict[str, Any]:
    return {"case": case, "stats": kept_statistics(case)}
