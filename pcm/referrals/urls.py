"""URLs of pcm.referrals (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.referrals import focal_views, portal_views, views

app_name = "referrals"

urlpatterns = [
    path("cases/<uuid:public_id>/referrals/new/", views.new_referral, name="new"),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="detail"),
    path("referrals/<uuid:public_id>/step/", views.referral_step, name="step"),
    path("referrals/<uuid:public_id>/form/", views.printable_form, name="form_page"),
    path("referrals/<uuid:public_id>/form.pdf", views.pdf_form, name="form_pdf"),
    path("portal/", portal_views.inbox, name="inbox"),
    path("portal/referrals/<uuid:public_id>/", portal_views.received, name="received"),
    path("portal/referrals/<uuid:public_id>/answer/", portal_views.answer, name="answer"),
    path("services/<int:pk>/focal-points/", focal_views.focal_points, name="focal_points"),
]
