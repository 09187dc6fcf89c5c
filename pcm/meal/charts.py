"""The JSON each chart is drawn from (rendered into the page with json_script)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pcm.meal.indicators import Unit
from pcm.meal.tables import Table


def chart_spec(table: Table) -> dict[str, Any]:
    """Labels and series of TABLE; suppressed or hidden values are null (not drawn)."""
    indicator = table.indicator
    series: list[dict[str, Any]] = [
        {"label": str(indicator.title), "data": [row.value for row in table.rows]}
    ]
    if indicator.target is not None:
        series.append(
            {
                "label": _("Target (%(target)s)") % {"target": indicator.target.text},
                "data": [indicator.target.value for _row in table.rows],
                "type": "line",
            }
        )
    return {
        "type": "line" if table.by_month else "bar",
        "unit": indicator.unit.value if isinstance(indicator.unit, Unit) else str(indicator.unit),
        "labels": [row.label for row in table.rows],
        "series": series,
    }
