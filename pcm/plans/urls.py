"""URLs of pcm.plans (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import URLPattern, path

from pcm.plans.views import decisions, edit, plan, progress, safety

app_name = "plans"

CASE = "cases/<uuid:public_id>/"
VERSION = CASE + "plan/versions/<int:number>/"

urlpatterns: list[URLPattern] = [
    path(CASE + "plan/", plan.plan_page, name="plan"),
    path(CASE + "plan/edit/", edit.edit_draft, name="edit"),
    path(VERSION, plan.version_page, name="version"),
    path(VERSION + "submit/", decisions.submit, name="submit"),
    path(VERSION + "approve/", decisions.approve, name="approve"),
    path(VERSION + "send-back/", decisions.send_back, name="send_back"),
    path(
        CASE + "plan/actions/<int:action_id>/status/",
        progress.action_status,
        name="action_status",
    ),
    path(CASE + "plan/review/", progress.review, name="review"),
    path(CASE + "safety-plan/", safety.safety_plan, name="safety"),
    path(CASE + "safety-plan/edit/", safety.edit_safety_plan, name="safety_edit"),
    path(CASE + "safety-plan/print/", safety.print_safety_plan, name="safety_print"),
]
