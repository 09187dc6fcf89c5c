"""People URLs: possible duplicates, addressed by an opaque id."""

from __future__ import annotations

from django.urls import path

from pcm.people import views

app_name = "people"

urlpatterns = [
    path("duplicates/", views.duplicates, name="duplicates"),
    path(
        "duplicates/<uuid:public_id>/resolve/",
        views.resolve_duplicate,
        name="resolve_duplicate",
    ),
]
