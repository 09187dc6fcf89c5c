"""Export URLs."""

from __future__ import annotations

from django.urls import path

from pcm.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.export_index, name="index"),
]
