"""URLs of pcm.retention (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.retention import views

app_name = "retention"

ERASURE = "retention/erasure/<uuid:public_id>/"

urlpatterns = [
    path("retention/", views.retention_settings, name="settings"),
    path("retention/erasure/", views.erasure_requests, name="erasure_requests"),
    path(ERASURE, views.erasure_review, name="erasure_review"),
    path(ERASURE + "confirm/", views.confirm_erasure, name="confirm_erasure"),
    path(ERASURE + "decline/", views.decline_erasure, name="decline_erasure"),
    path(ERASURE + "cancel/", views.cancel_erasure, name="cancel_erasure"),
    path("cases/<uuid:public_id>/service-user-data/", views.subject_export, name="subject_export"),
    path("cases/<uuid:public_id>/erasure/", views.request_erasure, name="request_erasure"),
]
