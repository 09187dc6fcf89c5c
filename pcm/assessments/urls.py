"""URLs of pcm.assessments (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.assessments import views

app_name = "assessments"

urlpatterns = [
    path(
        "cases/<uuid:public_id>/assessments/new/",
        views.record_assessment,
        name="record",
    ),
    path(
        "cases/<uuid:public_id>/assessments/<int:pk>/",
        views.assessment_detail,
        name="detail",
    ),
]
