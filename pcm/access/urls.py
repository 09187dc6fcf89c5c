"""URLs of emergency (break-glass) access."""

from __future__ import annotations

from django.urls import path

from pcm.access import views

app_name = "access"

urlpatterns = [
    path("emergency-access/", views.overview, name="break_glass"),
    path("emergency-access/new/", views.request_access, name="break_glass_request"),
    path("emergency-access/<int:pk>/end/", views.revoke, name="break_glass_revoke"),
]
