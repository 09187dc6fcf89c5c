"""URLs of pcm.services (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.services import spreadsheet_views, views

app_name = "services"

urlpatterns = [
    path("services/", views.directory, name="directory"),
    path("services/providers/new/", views.edit_provider, name="new_provider"),
    path("services/providers/<int:pk>/", views.edit_provider, name="edit_provider"),
    path("services/new/", views.edit_service, name="new_service"),
    path("services/<int:pk>/", views.edit_service, name="edit_service"),
    path("services/<int:pk>/active/", views.set_active, name="set_active"),
    path(
        "services/export.xlsx",
        spreadsheet_views.export_directory,
        {"file_format": "xlsx"},
        name="export_xlsx",
    ),
    path(
        "services/export.csv",
        spreadsheet_views.export_directory,
        {"file_format": "csv"},
        name="export_csv",
    ),
    path("services/import/", spreadsheet_views.import_directory, name="import"),
    path(
        "services/import/template.xlsx", spreadsheet_views.import_template, name="import_template"
    ),
    path(
        "services/import/<uuid:public_id>/", spreadsheet_views.import_result, name="import_result"
    ),
    path(
        "services/import/<uuid:public_id>/progress/",
        spreadsheet_views.import_progress,
        name="import_progress",
    ),
]
