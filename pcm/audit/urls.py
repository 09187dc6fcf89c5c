"""URLs of the audit trail's pages."""

from __future__ import annotations

from django.urls import path

from pcm.audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.trail, name="trail"),
    path("audit/cases/<uuid:public_id>/", views.case_history, name="case_history"),
    path("audit/access-history/", views.subject_lookup, name="subject_lookup"),
    path("audit/access-history/<uuid:public_id>/", views.subject, name="subject"),
    path("audit/access-history/<uuid:public_id>/csv/", views.subject_csv, name="subject_csv"),
]
