"""What referrals put in the queue: answers awaited from providers, and answers to act on."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from pcm.cases.models import CaseQuerySet
from pcm.cases.queue import DueItem, Provider
from pcm.referrals.models import AWAITING_RESPONSE, Referral, ReferralStatus


def referrals_due(cases: CaseQuerySet, now: datetime) -> list[DueItem]:
    """Referrals of the open CASES still waiting for the provider's answer (late once their
    expected response time has passed), and declined or provided ones to follow up, in one
    query."""
    referrals = (
        Referral.objects.filter(
            case__in=cases.open(),
            status__in=[*AWAITING_RESPONSE, ReferralStatus.DECLINED, ReferralStatus.PROVIDED],
        )
        .select_related("case", "case__person", "service")
        .order_by("respond_by", "id")
    )
    items = []
    for referral in referrals:
        url = reverse("referrals:detail", kwargs={"public_id": referral.public_id})
        if referral.awaiting_response:
            label = _("Referral %(reference)s: answer awaited from %(service)s") % {
                "reference": referral.reference,
                "service": referral.service.name,
            }
            due_at: datetime | None = referral.respond_by
        elif referral.status == ReferralStatus.DECLINED:
            label = _("Referral %(reference)s declined: find another service") % {
                "reference": referral.reference
            }
            due_at = None
        else:
            label = _("Referral %(reference)s: service provided, review and close") % {
                "reference": referral.reference
            }
            due_at = None
        items.append(
            DueItem(case=referral.case, kind="referral", label=label, due_at=due_at, url=url)
        )
    return items


QUEUE_PROVIDERS: list[Provider] = [referrals_due]
