"""The audit events of referrals (labels shown in the audit trail)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralEvent(models.TextChoices):
    SENT = "referral_sent", _("Referral sent")
    ACKNOWLEDGED = "referral_acknowledged", _("Referral acknowledged")
    ACCEPTED = "referral_accepted", _("Referral accepted")
    DECLINED = "referral_declined", _("Referral declined")
    PROVIDED = "referral_provided", _("Referral: service provided")
    CLOSED = "referral_closed", _("Referral closed")
    WITHDRAWN = "referral_withdrawn", _("Referral withdrawn")
    VIEWED = "referral_viewed", _("Referral viewed")
    VIEWED_BY_PROVIDER = "referral_viewed_by_provider", _("Referral read by the provider")
    FORM_PRINTED = "referral_form_printed", _("Referral form printed")
    FOCAL_POINT_ADDED = "referral_focal_point_added", _("Service focal point added")
    FOCAL_POINT_REMOVED = "referral_focal_point_removed", _("Service focal point removed")
