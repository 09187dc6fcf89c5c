"""URLs of pcm.services (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.services import views

app_name = "services"

urlpatterns = [
    path("services/", views.directory, name="directory"),
    path("services/providers/new/", views.edit_provider, name="new_provider"),
    path("services/providers/<int:pk>/", views.edit_provider, name="edit_provider"),
    path("services/new/", views.edit_service, name="new_service"),
    path("services/<int:pk>/", views.edit_service, name="edit_service"),
    path("services/<int:pk>/active/", views.set_active, name="set_active"),
]
