"""Computed MEAL tables kept for a few minutes (MealSnapshot), so that a dashboard over a large
caseload opens fast; the worker computes each agency's and team's default dashboard ahead.

A snapshot holds counts by group and which are hidden: what the page shows, nothing more.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pcm.meal.indicators import TOTAL, Figure
from pcm.meal.models import MealSnapshot

if TYPE_CHECKING:
    from pcm.meal.indicators import Indicator
    from pcm.meal.query import Filters, Period, Scope
    from pcm.meal.tables import Masked

# How long a computed table is shown before it is computed again.
LIFETIME = timedelta(minutes=15)


def _key_of(value: object) -> list[Any]:
    if value == TOTAL:
        return ["t"]
    if value is None:
        return ["n"]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, int):
        return ["i", value]
    return ["s", str(value)]


def _value_of(tagged: list[Any]) -> object:
    tag = tagged[0]
    if tag == "t":
        return TOTAL
    if tag == "n":
        return None
    if tag == "d":
        return date.fromisoformat(tagged[1])
    return tagged[1]


def snapshot_key(
    indicator: Indicator,
    scope: Scope,
    period: Period,
    filters: Filters,
    what: str,
    location_level: int,
) -> str:
    """A digest of everything the table depends on (ids and codes only)."""
    chosen = {
        name: getattr(getattr(filters, name), "pk", getattr(filters, name))
        for name in filters.active()
    }
    described = {
        "indicator": indicator.code,
        "teams": sorted(scope.team_ids) if scope.team_ids is not None else None,
        "threshold": scope.threshold,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "zone": period.zone.key,
        "grain": period.grain,
        "filters": chosen,
        "what": what,
        "level": location_level,
    }
    return digest(described)


def read_payload(scope: Scope, key: str) -> Any:
    """The JSON stored under KEY if it is fresh, else None."""
    return (
        MealSnapshot.objects.filter(
            agency=scope.agency, key=key, computed_at__gte=timezone.now() - LIFETIME
        )
        .values_list("payload", flat=True)
        .first()
    )


def digest(described: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(described, sort_keys=True, default=str).encode()).hexdigest()


def read(scope: Scope, key: str) -> Masked | None:
    """The table stored under KEY if it is fresh."""
    from pcm.meal.tables import Masked

    payload = read_payload(scope, key)
    if payload is None:
        return None
    figures = {
        _value_of(tagged): Figure(numerator, denominator)
        for tagged, numerator, denominator in payload["figures"]
    }
    return Masked(
        figures,
        frozenset(_value_of(tagged) for tagged in payload["hidden_numerators"]),
        frozenset(_value_of(tagged) for tagged in payload["hidden_denominators"]),
    )


def write(scope: Scope, key: str, table: Masked) -> None:
    """Keep TABLE under KEY (replacing an older one)."""
    write_payload(
        scope,
        key,
        {
            "figures": [
                [_key_of(key_), figure.numerator, figure.denominator]
                for key_, figure in table.figures.items()
            ],
            "hidden_numerators": [_key_of(value) for value in table.hidden_numerators],
            "hidden_denominators": [_key_of(value) for value in table.hidden_denominators],
        },
    )


def write_payload(scope: Scope, key: str, payload: Any) -> None:
    """Keep PAYLOAD (JSON) under KEY, replacing an older one."""
    now = timezone.now()
    try:
        with transaction.atomic():
            updated = MealSnapshot.objects.filter(agency=scope.agency, key=key).update(
                computed_at=now, payload=payload
            )
            if not updated:
                MealSnapshot.objects.create(
                    agency=scope.agency, key=key, computed_at=now, payload=payload
                )
    except IntegrityError:
        pass  # another request stored the same table meanwhile: theirs is as good


def forget_stale(now: datetime | None = None) -> int:
    """Delete snapshots past their lifetime; how many."""
    moment = now or timezone.now()
    deleted, _kinds = MealSnapshot.objects.filter(computed_at__lt=moment - LIFETIME).delete()
    return deleted
