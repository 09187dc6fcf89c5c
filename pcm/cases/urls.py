"""Case URLs. Cases are addressed by an opaque id, never by anything about the person."""

from __future__ import annotations

from django.urls import path

from pcm.cases import views, views_case_intake, views_identity, views_intake, views_taxonomy

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("register/", views_intake.register, name="register"),
    path("risk-types/", views_taxonomy.risk_types, name="risk_types"),
    path("risk-types/new/", views_taxonomy.risk_type_edit, name="risk_type_create"),
    path("risk-types/<int:pk>/", views_taxonomy.risk_type_edit, name="risk_type_edit"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/reassign/", views.reassign, name="reassign"),
    path(
        "<uuid:public_id>/identity-in-lists/",
        views_identity.identity_in_lists,
        name="identity_in_lists",
    ),
    path("<uuid:public_id>/person/", views_intake.edit_person, name="edit_person"),
    path("<uuid:public_id>/consent/", views_case_intake.consent, name="consent"),
    path(
        "<uuid:public_id>/consent/withdraw/",
        views_case_intake.withdraw_consent,
        name="withdraw_consent",
    ),
    path("<uuid:public_id>/exception/", views_case_intake.decide_exception, name="exception"),
    path(
        "<uuid:public_id>/complete-intake/",
        views_case_intake.complete_intake,
        name="complete_intake",
    ),
    path("<uuid:public_id>/household/", views_case_intake.household, name="household"),
    path(
        "<uuid:public_id>/household/<int:member_id>/remove/",
        views_case_intake.remove_household_member,
        name="remove_household_member",
    ),
]
