"""URLs of pcm.closure (included at the root: each pattern carries its full prefix)."""

from __future__ import annotations

from django.urls import path

from pcm.closure.views import closure, survey, transfers

app_name = "closure"

urlpatterns = [
    path(
        "cases/<uuid:public_id>/closure/request/",
        closure.request_closure,
        name="request_closure",
    ),
    path(
        "cases/<uuid:public_id>/closure/approve/",
        closure.approve_closure,
        name="approve_closure",
    ),
    path(
        "cases/<uuid:public_id>/closure/send-back/",
        closure.send_back_closure,
        name="send_back_closure",
    ),
    path("cases/<uuid:public_id>/closure/survey/", survey.record_survey, name="record_survey"),
    path("cases/<uuid:public_id>/reopen/", closure.reopen_case, name="reopen_case"),
    path("cases/<uuid:public_id>/transfer/", transfers.request_transfer, name="request_transfer"),
    path("transfers/incoming/", transfers.incoming_transfers, name="incoming_transfers"),
    path(
        "transfers/incoming/<uuid:public_id>/",
        transfers.incoming_transfer,
        name="incoming_transfer",
    ),
    path(
        "transfers/incoming/<uuid:public_id>/accept/",
        transfers.accept_transfer,
        name="accept_transfer",
    ),
    path(
        "transfers/incoming/<uuid:public_id>/decline/",
        transfers.decline_transfer,
        name="decline_transfer",
    ),
    path("transfers/out/", transfers.transferred_out, name="transferred_out"),
]
