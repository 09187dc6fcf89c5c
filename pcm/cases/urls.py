"""Case URLs. Cases are addressed by an opaque id, never by anything about the person."""

from __future__ import annotations

from django.urls import path

from pcm.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("register/", views.register, name="register"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/reassign/", views.reassign, name="reassign"),
]
