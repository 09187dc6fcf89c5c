"""People reached, for cluster 5W reporting: service users with a case open at any time in
the period, by location (one administrative level) and by sex and age group, as one wide
table with the HXL hashtags 5W and ActivityInfo-style imports expect (#affected +f +adults).

The whole grid — cells, row totals, column totals and the grand total — is suppressed
together (pcm.meal.suppression), so no hidden cell can be worked out from its row or column.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pcm.cases.intake import AgeGroup
from pcm.cases.models import Case, CaseStatus
from pcm.meal.indicators import within_scope
from pcm.meal.query import (
    Dim,
    Filters,
    Period,
    Scope,
    age_group_expression,
    ancestor_at,
    label_keys,
    location_pcodes,
    location_tree,
)
from pcm.meal.suppression import Cell, suppress
from pcm.people.models import Sex

# What exports call this table (in place of an indicator's code).
REACH = "reach"
TITLE = gettext_lazy("People reached by location, sex and age (5W)")
# Columns: (sex values, HXL attribute), then age groups with theirs.
SEXES: tuple[tuple[tuple[str, ...], str, object], ...] = (
    ((Sex.FEMALE,), "+f", Sex.FEMALE.label),
    ((Sex.MALE,), "+m", Sex.MALE.label),
    ((Sex.OTHER, Sex.UNKNOWN), "+x", gettext_lazy("Other or not said")),
)
AGES: tuple[tuple[str, str], ...] = (
    (AgeGroup.CHILD, "+children"),
    (AgeGroup.YOUTH, "+youth"),
    (AgeGroup.ADULT, "+adults"),
    (AgeGroup.OLDER, "+elderly"),
)


@dataclass(frozen=True)
class ReachRow:
    label: str
    code: str
    cells: list[Cell]
    total: Cell


@dataclass(frozen=True)
class Reach:
    title: str
    columns: list[str]
    hashtags: list[str]
    rows: list[ReachRow]
    totals: ReachRow
    location_level: int

    @property
    def slug(self) -> str:
        return "reach"


def _column_of(sex: str, age: str) -> int | None:
    for s_index, (values, _tag, _label) in enumerate(SEXES):
        if sex in values:
            for a_index, (group, _age_tag) in enumerate(AGES):
                if age == group:
                    return s_index * len(AGES) + a_index
    return None


def reach(scope: Scope, period: Period, filters: Filters, location_level: int = 1) -> Reach:
    """The table of people reached (one per case open at some time in the period)."""
    grid = _grid(scope, period, filters, location_level)
    keys = list(grid)
    labels = label_keys(Dim.LOCATION, keys, scope)
    codes = location_pcodes(keys)
    keys.sort(key=lambda key: (key is None, labels[key]))
    cells = [grid[key] for key in keys]
    column_totals = [sum(row[j] for row in cells) for j in range(len(SEXES) * len(AGES))]
    table = suppress(
        cells,
        threshold=scope.threshold,
        row_totals=[sum(row) for row in cells],
        col_totals=column_totals,
        grand=sum(column_totals),
    )
    assert table.row_totals is not None and table.col_totals is not None  # noqa: S101
    assert table.grand is not None  # noqa: S101 - built with every margin
    out_rows = [
        ReachRow(labels[key], str(codes.get(key, "")), table.cells[i], table.row_totals[i])
        for i, key in enumerate(keys)
    ]
    columns = [f"{sex_label} {age}" for _v, _t, sex_label in SEXES for age, _a in AGES]
    hashtags = [f"#affected {tag} {age_tag}" for _v, tag, _l in SEXES for _g, age_tag in AGES]
    return Reach(
        title=str(TITLE),
        columns=columns,
        hashtags=hashtags,
        rows=out_rows,
        totals=ReachRow(_("Total"), "", table.col_totals, table.grand),
        location_level=location_level,
    )


def _grid(
    scope: Scope, period: Period, filters: Filters, location_level: int
) -> dict[object, list[int]]:
    """Counts by location (the area of LOCATION_LEVEL) and column, kept a while as a snapshot."""
    from pcm.meal import snapshots
    from pcm.meal.tables import snapshots_enabled

    key = ""
    if snapshots_enabled():
        key = snapshots.digest(
            {
                "table": REACH,
                "teams": sorted(scope.team_ids) if scope.team_ids is not None else None,
                "threshold": scope.threshold,
                "period": [period.start.isoformat(), period.end.isoformat(), period.zone.key],
                "filters": {
                    name: getattr(getattr(filters, name), "pk", getattr(filters, name))
                    for name in filters.active()
                },
                "level": location_level,
            }
        )
        kept = snapshots.read_payload(scope, key)
        if kept is not None:
            return dict(kept)
    open_in_period = Case.objects.filter(
        Q(opened_at__lt=period.ends_before)
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=period.starts_at))
        & ~Q(status=CaseStatus.TRANSFERRED)
    )
    rows = within_scope(open_in_period, scope, filters, period.end, "")
    counts = (
        rows.annotate(meal_age=age_group_expression("", period.end))
        .order_by()
        .values("person__location", "person__sex", "meal_age")
        .annotate(n=Count("pk"))
    )
    tree = location_tree()
    width = len(SEXES) * len(AGES)
    grid: dict[object, list[int]] = {}
    for row in counts:
        column = _column_of(row["person__sex"], row["meal_age"])
        if column is None:
            continue  # no date of birth: not in a 5W age group
        place = ancestor_at(tree, row["person__location"], location_level)
        grid.setdefault(place, [0] * width)[column] += int(row["n"])
    if key:
        snapshots.write_payload(scope, key, list(grid.items()))
    return grid
