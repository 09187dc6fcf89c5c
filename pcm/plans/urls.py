"""URLs of pcm.plans (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "plans"

urlpatterns: list[URLPattern] = []
