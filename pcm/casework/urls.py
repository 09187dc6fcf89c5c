"""URLs of pcm.casework (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.casework.views import conferences, follow_ups, notes, support, timeline

app_name = "casework"

CASE = "cases/<uuid:public_id>/casework/"

urlpatterns = [
    path(CASE, timeline.timeline, name="timeline"),
    path(f"{CASE}notes/new/", notes.note_create, name="note_create"),
    path(f"{CASE}notes/<int:note_id>/correct/", notes.note_correct, name="note_correct"),
    path(f"{CASE}support/new/", support.support_create, name="support_create"),
    path(
        f"{CASE}support/<int:support_id>/correct/", support.support_correct, name="support_correct"
    ),
    path(f"{CASE}conferences/new/", conferences.conference_create, name="conference_create"),
    path(f"{CASE}follow-ups/new/", follow_ups.follow_up_schedule, name="follow_up_schedule"),
    path(
        f"{CASE}follow-ups/<int:follow_up_id>/record/",
        follow_ups.follow_up_record,
        name="follow_up_record",
    ),
    path(f"{CASE}start-follow-up/", follow_ups.start_follow_up, name="start_follow_up"),
    path(
        f"{CASE}resume-implementation/",
        follow_ups.resume_implementation,
        name="resume_implementation",
    ),
]
