"""The provider portal: a service's focal point sees the referrals addressed to it, with only
the information shared, answers them and records the outcome. Nothing else of any case."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pcm.access import policy
from pcm.accounts.models import User
from pcm.core.http import current_user
from pcm.referrals import actions, rules
from pcm.referrals.models import AWAITING_RESPONSE, Referral, ReferralStatus
from pcm.referrals.payload import shared_values
from pcm.referrals.views import take_step

PER_PAGE = 25
FILTERS = {
    "waiting": AWAITING_RESPONSE,
    "accepted": (ReferralStatus.ACCEPTED,),
    "done": (
        ReferralStatus.PROVIDED,
        ReferralStatus.DECLINED,
        ReferralStatus.CLOSED,
        ReferralStatus.WITHDRAWN,
    ),
}


def _focal_point(request: HttpRequest) -> User:
    user = current_user(request)
    if not policy.is_focal_point(user):
        raise PermissionDenied
    return user


@never_cache
@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _focal_point(request)
    shown = request.GET.get("show", "waiting")
    if shown not in FILTERS:
        shown = "waiting"
    referrals = (
        policy.referrals_received_by(user)
        .filter(status__in=FILTERS[shown])
        .select_related("service", "service__provider", "agency")
        .order_by("respond_by", "id")
    )
    page = Paginator(referrals, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/portal_inbox.html",
        {"page": page, "shown": shown, "now": timezone.now()},
    )


def _detail_context(user: User, referral: Referral) -> dict[str, Any]:
    visible = policy.provider_sees_shared_fields(referral)
    return {
        "referral": referral,
        "shared": shared_values(referral) if visible else [],
        "withdrawn": not visible,
        "steps": referral.steps.select_related("by").order_by("at", "id"),
        "next_steps": rules.provider_next_steps(referral)
        if rules.may_answer(user, referral)
        else (),
        "now": timezone.now(),
    }


@never_cache
@login_required
@require_GET
def received(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _focal_point(request)
    referral = policy.get_received_referral_for(user, public_id)
    actions.record_portal_read(referral, user)
    return render(request, "referrals/portal_detail.html", _detail_context(user, referral))


@login_required
@require_POST
def answer(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = _focal_point(request)
    referral = policy.get_received_referral_for(user, public_id)
    return take_step(
        request,
        user,
        referral,
        page="referrals/portal_detail.html",
        context=_detail_context,
        back="referrals:received",
        done=_("Your answer is recorded; the referring caseworker sees it."),
    )
