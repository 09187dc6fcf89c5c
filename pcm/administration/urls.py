"""Administration URLs (administrators only; no case content anywhere here)."""

from __future__ import annotations

from django.urls import path

from pcm.administration import views, visibility_views
from pcm.vault import views as vault_views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("users/<int:pk>/reset-2fa/", views.reset_second_factor, name="reset_2fa"),
    path("users/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("field-visibility/", visibility_views.field_visibility, name="field_visibility"),
    # The emergency purge (pcm.vault), before the sections' patterns that would take "purge".
    path("purge/", vault_views.purge, name="purge"),
    path("purge/request/", vault_views.purge_request, name="purge_request"),
    path("purge/<uuid:public_id>/approve/", vault_views.purge_approve, name="purge_approve"),
    path("purge/<uuid:public_id>/cancel/", vault_views.purge_cancel, name="purge_cancel"),
    path("<slug:section>/", views.record_list, name="list"),
    path("<slug:section>/new/", views.record_create, name="create"),
    path("<slug:section>/<int:pk>/", views.record_edit, name="edit"),
]
