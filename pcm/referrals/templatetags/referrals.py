"""`{% action_referrals case as by_action %}`: the referrals of a case's plan actions, by key."""

from __future__ import annotations

from collections import defaultdict

from django import template

from pcm.cases.models import Case
from pcm.referrals.models import Referral

register = template.Library()


@register.simple_tag
def action_referrals(case: Case) -> dict[str, list[Referral]]:
    """The case's referrals grouped by the plan action they carry out (one query)."""
    grouped: dict[str, list[Referral]] = defaultdict(list)
    for referral in (
        Referral.objects.filter(case=case, plan_action_key__isnull=False)
        .select_related("service")
        .order_by("sent_at", "id")
    ):
        grouped[str(referral.plan_action_key)].append(referral)
    return dict(grouped)


@register.filter
def referrals_for(by_action: dict[str, list[Referral]], key: object) -> list[Referral]:
    return by_action.get(str(key), [])
