"""The audit event types of case action plans and safety plans."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanEvent(models.TextChoices):
    DRAFT_SAVED = "plan_draft_saved", _("Plan draft saved")
    SUBMITTED = "plan_submitted", _("Plan submitted for approval")
    AGREED = "plan_agreed", _("Plan agreed with the service user")
    APPROVED = "plan_approved", _("Plan approved")
    SENT_BACK = "plan_sent_back", _("Plan sent back")
    SUPERSEDED = "plan_superseded", _("Plan superseded")
    ACTION_ADDED = "plan_action_added", _("Plan action added")
    ACTION_STATUS_CHANGED = "plan_action_status_changed", _("Plan action status changed")
    REVIEWED = "plan_reviewed", _("Plan reviewed")
    VIEWED = "plan_viewed", _("Plan viewed")
    SAFETY_PLAN_SAVED = "safety_plan_saved", _("Safety plan saved")
    SAFETY_PLAN_VIEWED = "safety_plan_viewed", _("Safety plan viewed")
    SAFETY_PLAN_PRINTED = "safety_plan_printed", _("Safety plan printed")
