"""The case page's referrals: where each stands, which are late, and a way to refer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from pcm.cases.models import Case
from pcm.cases.page import Section
from pcm.referrals import rules
from pcm.referrals.models import Referral

ORDER = 37


def CASE_SECTION(request: HttpRequest, case: Case) -> Section:
    referrals = list(
        Referral.objects.filter(case=case)
        .select_related("service", "service__provider")
        .order_by("-sent_at", "-id")
    )
    return Section(
        template="referrals/_case_section.html",
        context={
            "referrals": referrals,
            "can_refer": rules.may_refer(request.user, case),
            "now": timezone.now(),
        },
    )
