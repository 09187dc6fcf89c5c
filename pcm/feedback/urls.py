"""URLs of pcm.feedback (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.feedback import views

app_name = "feedback"

urlpatterns = [
    path("feedback/", views.register, name="register"),
    path("feedback/new/", views.new_entry, name="new"),
    path("feedback/<int:pk>/", views.detail, name="detail"),
    path("feedback/<int:pk>/edit/", views.edit_entry, name="edit"),
    path("feedback/<int:pk>/step/", views.take_step, name="step"),
    path("feedback/handlers/", views.handlers, name="handlers"),
    path("feedback/handlers/<int:pk>/remove/", views.remove_handler, name="remove_handler"),
]
