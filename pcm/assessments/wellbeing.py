"""Well-being change: the first assessment's PHQ-9 total against the latest, for pages and MEAL."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery

from pcm.assessments.models import Assessment, phq9_total_expression
from pcm.cases.models import Case, CaseQuerySet

COMPARABLE = 2  # a change needs a first and a later assessment


def _phq9_total_of(*order: str) -> Subquery:
    one = (
        Assessment.objects.filter(case=OuterRef("pk"))
        .order_by(*order)
        .annotate(total=phq9_total_expression())
        .values("total")[:1]
    )
    return Subquery(one, output_field=IntegerField())


def with_wellbeing(cases: CaseQuerySet) -> CaseQuerySet:
    """CASES annotated with `assessment_count`, `first_phq9_total` and `latest_phq9_total`.

    One query whatever the number of cases, so MEAL can aggregate it over a caseload.
    """
    count = (
        Assessment.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return cases.annotate(
        assessment_count=Subquery(count, output_field=IntegerField()),
        first_phq9_total=_phq9_total_of("recorded_at", "id"),
        latest_phq9_total=_phq9_total_of("-recorded_at", "-id"),
    )


@dataclass(frozen=True)
class Wellbeing:
    """A case's assessments counted, and its first and latest PHQ-9 totals."""

    assessments: int
    first_total: int | None
    latest_total: int | None

    @property
    def change(self) -> int | None:
        """First minus latest total (positive: improved); None below two assessments."""
        if self.assessments < COMPARABLE or self.first_total is None:
            return None
        if self.latest_total is None:
            return None
        return self.first_total - self.latest_total


def wellbeing_of(case: Case) -> Wellbeing:
    """CASE's well-being figures, in one query."""
    names = ("assessment_count", "first_phq9_total", "latest_phq9_total")
    row = with_wellbeing(Case.objects.filter(pk=case.pk)).values_list(*names).first()
    if row is None:
        return Wellbeing(0, None, None)
    count, first, latest = row
    return Wellbeing(int(count or 0), first, latest)


def wellbeing_change(case: Case) -> int | None:
    """First minus latest PHQ-9 total of CASE (positive: improved); None below two assessments."""
    return wellbeing_of(case).change
