"""Administration URLs (administrators only; no case content anywhere here)."""

from __future__ import annotations

from django.urls import path

from pcm.administration import views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("users/<int:pk>/reset-2fa/", views.reset_second_factor, name="reset_2fa"),
    path("users/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("<slug:section>/", views.record_list, name="list"),
    path("<slug:section>/new/", views.record_create, name="create"),
    path("<slug:section>/<int:pk>/", views.record_edit, name="edit"),
]
