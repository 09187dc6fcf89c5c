"""URLs of pcm.supervision (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import URLPattern, path

from pcm.supervision import check_views, queue_views, session_views

app_name = "supervision"

urlpatterns: list[URLPattern] = [
    path("today/", queue_views.today, name="today"),
    path("team/", queue_views.team, name="team"),
    path("cases/<uuid:public_id>/file-checks/", check_views.file_checks, name="file_checks"),
    path(
        "cases/<uuid:public_id>/file-checks/new/",
        check_views.record_file_check,
        name="record_file_check",
    ),
    path(
        "cases/<uuid:public_id>/file-checks/<int:check_id>/action-done/",
        check_views.check_action_done,
        name="check_action_done",
    ),
    path("supervision/sessions/", session_views.my_sessions, name="my_sessions"),
    path(
        "team/caseworkers/<int:caseworker_id>/sessions/",
        session_views.caseworker_sessions,
        name="caseworker_sessions",
    ),
    path(
        "team/caseworkers/<int:caseworker_id>/sessions/new/",
        session_views.record_session,
        name="record_session",
    ),
    path(
        "supervision/actions/<int:action_id>/done/",
        session_views.agreed_action_done,
        name="agreed_action_done",
    ),
]
