"""Root URL configuration. Every pattern here is covered by the role matrix test."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("pcm.core.urls")),
    path("accounts/", include("pcm.accounts.urls")),
    path("cases/", include("pcm.cases.urls")),
    path("people/", include("pcm.people.urls")),
    path("administration/", include("pcm.administration.urls")),
    path("notifications/", include("pcm.notifications.urls")),
    path("access/", include("pcm.access.urls")),
    path("jobs/", include("pcm.jobs.urls")),
    path("exports/", include("pcm.exports.urls")),
    # The six steps' modules: each of their URL patterns carries its full prefix.
    path("", include("pcm.assessments.urls")),
    path("", include("pcm.plans.urls")),
    path("", include("pcm.casework.urls")),
    path("", include("pcm.closure.urls")),
    path("", include("pcm.supervision.urls")),
    path("", include("pcm.audit.urls")),
    path("", include("pcm.attachments.urls")),
    path("", include("pcm.retention.urls")),
    path("", include("pcm.services.urls")),
    path("", include("pcm.referrals.urls")),
    path("", include("pcm.feedback.urls")),
    path("", include("pcm.meal.urls")),
]

handler400 = "pcm.core.views.bad_request"
handler403 = "pcm.core.views.permission_denied"
handler404 = "pcm.core.views.page_not_found"
handler500 = "pcm.core.views.server_error"
