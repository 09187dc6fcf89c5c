"""Job pages: each URL carries the job's public id, and answers only its owner."""

from __future__ import annotations

from django.urls import path

from pcm.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:public_id>/", views.job_detail, name="detail"),
    path("<uuid:public_id>/progress/", views.job_progress, name="progress"),
    path("<uuid:public_id>/download/", views.job_download, name="download"),
    path("<uuid:public_id>/cancel/", views.job_cancel, name="cancel"),
]
