"""URLs of pcm.meal (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.meal import views

app_name = "meal"

urlpatterns = [
    path("meal/", views.dashboard, name="dashboard"),
    path("meal/indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("meal/export/", views.request_export, name="export"),
    path("meal/settings/", views.meal_settings, name="settings"),
]
