"""Home page and language choice."""

from __future__ import annotations

from django.urls import path

from pcm.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
]
