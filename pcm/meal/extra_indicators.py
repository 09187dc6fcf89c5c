"""Indicators of the referrals and of the feedback register, declared like the others and
counted with the same aggregate SQL (pcm.meal.indicators), once those apps are installed.

Their definitions follow the apps' own: a referral is late when it is still waiting for an
answer after `respond_by`, or was answered after it (pcm.referrals.models.Referral); feedback
figures count entries *received in the period* (pcm.feedback.figures).
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.meal.indicators import Indicator, Source, Unit, in_period, within_scope
from pcm.meal.query import CASE_DIMS, Dim, Filters, Period, Scope, descendants, location_tree

REFERRAL_DIMS = (*CASE_DIMS, Dim.REFERRAL_STATUS, Dim.SECTOR)
REFERRAL_OWN = ((Dim.REFERRAL_STATUS, "status"), (Dim.SECTOR, "service__sector"))
FEEDBACK_DIMS = (
    Dim.FEEDBACK_KIND,
    Dim.FEEDBACK_CHANNEL,
    Dim.FEEDBACK_CATEGORY,
    Dim.FEEDBACK_STATUS,
    Dim.LOCATION,
)
FEEDBACK_OWN = (
    (Dim.FEEDBACK_KIND, "kind"),
    (Dim.FEEDBACK_CHANNEL, "channel"),
    (Dim.FEEDBACK_CATEGORY, "category"),
    (Dim.FEEDBACK_STATUS, "status"),
    (Dim.LOCATION, "location"),
)


# --- Referrals -------------------------------------------------------------------------------


def _referrals(scope: Scope, period: Period, filters: Filters) -> QuerySet[Any]:
    from pcm.referrals.models import Referral

    rows = Referral.objects.filter(agency=scope.agency).filter(in_period("sent_at", period))
    return within_scope(rows, scope, filters, period.end, "case__", own_agency=True)


def _reached(status: str) -> Q:
    """The referral reached STATUS at some point (its steps keep the history)."""
    from pcm.referrals.models import ReferralStep

    return Q(Exists(ReferralStep.objects.filter(referral=OuterRef("pk"), status=status)))


def referrals_made_source(scope: Scope, period: Period, filters: Filters) -> Source:
    return Source(
        _referrals(scope, period, filters), "case__", month_field="sent_at", own_dims=REFERRAL_OWN
    )


def referrals_accepted_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.referrals.models import ReferralStatus

    answered = _referrals(scope, period, filters).filter(
        _reached(ReferralStatus.ACCEPTED) | _reached(ReferralStatus.DECLINED)
    )
    return Source(
        answered,
        "case__",
        numerator=_reached(ReferralStatus.ACCEPTED),
        month_field="sent_at",
        own_dims=REFERRAL_OWN,
    )


def referrals_completed_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.referrals.models import ReferralStatus

    accepted = _referrals(scope, period, filters).filter(_reached(ReferralStatus.ACCEPTED))
    return Source(
        accepted,
        "case__",
        numerator=Q(provided_at__isnull=False),
        month_field="sent_at",
        own_dims=REFERRAL_OWN,
    )


def referrals_delayed_source(scope: Scope, period: Period, filters: Filters) -> Source:
    from pcm.referrals.models import AWAITING_RESPONSE

    now = timezone.now()
    late = Q(status__in=AWAITING_RESPONSE, respond_by__lt=now) | Q(
        responded_at__isnull=False, responded_at__gt=F("respond_by")
    )
    return Source(
        _referrals(scope, period, filters),
        "case__",
        numerator=late,
        month_field="sent_at",
        own_dims=REFERRAL_OWN,
    )


# --- Feedback and complaints ------------------------------------------------------------------


def _feedback(scope: Scope, period: Period, filters: Filters) -> QuerySet[Any] | None:
    """Entries received in the period (restricted ones included: counts reveal no content).
    The register knows a location and nothing about people or teams: other filters, and a
    supervisor's team view, cannot apply."""
    from pcm.feedback.models import FeedbackEntry

    if set(filters.active()) - {"location"} or scope.team_ids is not None:
        return None
    rows = FeedbackEntry.objects.filter(
        agency=scope.agency, received_on__gte=period.start, received_on__lte=period.end
    )
    if filters.location is not None:
        tree = scope.locations or location_tree()
        rows = rows.filter(location__in=descendants(tree, filters.location.pk))
    return rows


def feedback_received_source(scope: Scope, period: Period, filters: Filters) -> Source | None:
    rows = _feedback(scope, period, filters)
    if rows is None:
        return None
    return Source(rows, None, month_field="received_on", own_dims=FEEDBACK_OWN)


def feedback_responded_source(scope: Scope, period: Period, filters: Filters) -> Source | None:
    rows = _feedback(scope, period, filters)
    if rows is None:
        return None
    return Source(
        rows,
        None,
        numerator=Q(responded_on__isnull=False),
        month_field="received_on",
        own_dims=FEEDBACK_OWN,
    )


def feedback_closed_in_time_source(scope: Scope, period: Period, filters: Filters) -> Source | None:
    from pcm.feedback.models import CLOSE_TARGET_DAYS

    rows = _feedback(scope, period, filters)
    if rows is None:
        return None
    within = Q(
        closed_on__isnull=False,
        closed_on__lte=F("received_on") + timedelta(days=CLOSE_TARGET_DAYS),
    )
    return Source(rows, None, numerator=within, month_field="received_on", own_dims=FEEDBACK_OWN)


@cache
def _referral_indicators() -> tuple[Indicator, ...]:
    return (
        Indicator(
            code="referrals_made",
            title=_("Referrals made"),
            numerator=_("Referrals sent to a service in the period."),
            denominator=_("None: a count."),
            period_rule=_("By the date the referral was sent."),
            unit=Unit.COUNT,
            source=referrals_made_source,
            dims=REFERRAL_DIMS,
        ),
        Indicator(
            code="referrals_accepted",
            title=_("Referrals accepted"),
            numerator=_("Referrals the service accepted."),
            denominator=_("Referrals sent in the period that the service accepted or declined."),
            period_rule=_("By the date the referral was sent."),
            unit=Unit.PERCENT,
            source=referrals_accepted_source,
            dims=REFERRAL_DIMS,
            standard=_("Clients are successfully referred to relevant services."),
        ),
        Indicator(
            code="referrals_completed",
            title=_("Referrals completed"),
            numerator=_("Accepted referrals whose service was provided."),
            denominator=_("Referrals sent in the period that the service accepted."),
            period_rule=_("By the date the referral was sent."),
            unit=Unit.PERCENT,
            source=referrals_completed_source,
            dims=REFERRAL_DIMS,
        ),
        Indicator(
            code="referrals_delayed",
            title=_("Referrals delayed"),
            numerator=_(
                "Referrals still waiting for an answer after the expected response time, or "
                "answered after it."
            ),
            denominator=_("Referrals sent in the period."),
            period_rule=_("By the date the referral was sent."),
            unit=Unit.PERCENT,
            source=referrals_delayed_source,
            dims=REFERRAL_DIMS,
            standard=_(
                "Referral system is functional, and any service delays are proactively "
                "addressed appropriate to risk level."
            ),
        ),
    )


@cache
def _feedback_indicators() -> tuple[Indicator, ...]:
    return (
        Indicator(
            code="feedback_received",
            title=_("Feedback and complaints received"),
            numerator=_("Entries of the feedback and complaints register received in the period."),
            denominator=_("None: a count."),
            period_rule=_(
                "By the day received. The register keeps a location only: other filters "
                "and team views do not apply."
            ),
            unit=Unit.COUNT,
            source=feedback_received_source,
            dims=FEEDBACK_DIMS,
        ),
        Indicator(
            code="feedback_responded",
            title=_("Feedback and complaints responded to"),
            numerator=_("Entries with a response recorded."),
            denominator=_("Entries received in the period."),
            period_rule=_("By the day received."),
            unit=Unit.PERCENT,
            source=feedback_responded_source,
            dims=FEEDBACK_DIMS,
            standard=_(
                "Service user complaints and trends in feedback are discussed and addressed "
                "regularly."
            ),
        ),
        Indicator(
            code="feedback_closed_in_time",
            title=_("Feedback and complaints closed within 30 days"),
            numerator=_("Entries closed at most 30 days after they were received."),
            denominator=_("Entries received in the period (those still open included)."),
            period_rule=_("By the day received."),
            unit=Unit.PERCENT,
            source=feedback_closed_in_time_source,
            dims=FEEDBACK_DIMS,
        ),
    )


def extra_indicators() -> tuple[Indicator, ...]:
    found: tuple[Indicator, ...] = ()
    if apps.is_installed("pcm.referrals"):
        found += _referral_indicators()
    if apps.is_installed("pcm.feedback"):
        found += _feedback_indicators()
    return found


def extra_breakdowns() -> tuple[tuple[str, Dim], ...]:
    """Breakdowns of those indicators the dashboard shows (indicator code, dimension)."""
    found: tuple[tuple[str, Dim], ...] = ()
    if apps.is_installed("pcm.referrals"):
        found += (("referrals_made", Dim.REFERRAL_STATUS), ("referrals_delayed", Dim.SECTOR))
    if apps.is_installed("pcm.feedback"):
        found += (
            ("feedback_received", Dim.FEEDBACK_KIND),
            ("feedback_responded", Dim.FEEDBACK_CATEGORY),
        )
    return found
