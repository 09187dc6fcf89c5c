"""The list of complaints handlers: kept by managers and administrators, audited, and the
only way to read restricted entries."""

from __future__ import annotations

from django.urls import reverse

from pcm.accounts.reauth import mark_confirmed
from pcm.audit.models import AuditEvent
from pcm.feedback.access import entries_visible_to
from pcm.feedback.models import ComplaintsHandler, FeedbackEvent


def test_a_manager_adds_and_removes_a_handler(personas, confirmed_client_for, entry_for):
    restricted = entry_for(personas.caseworker, sensitive=True)
    client = confirmed_client_for(personas.manager)
    page = client.get(reverse("feedback:handlers"))
    assert page.status_code == 200
    assert "Your agency has no complaints handler" in page.content.decode()
    response = client.post(reverse("feedback:handlers"), {"user": personas.other_supervisor.pk})
    assert response.status_code == 302
    handler = ComplaintsHandler.objects.get()
    assert (handler.user, handler.agency, handler.added_by) == (
        personas.other_supervisor,
        personas.agency,
        personas.manager,
    )
    assert entries_visible_to(personas.other_supervisor).filter(pk=restricted.pk).exists()
    assert "Huda Kareem" in client.get(reverse("feedback:handlers")).content.decode()
    response = client.post(reverse("feedback:remove_handler", args=[handler.pk]))
    assert response.status_code == 302
    assert not ComplaintsHandler.objects.exists()
    assert not entries_visible_to(personas.other_supervisor).filter(pk=restricted.pk).exists()
    events = AuditEvent.objects.filter(
        event_type__in=[FeedbackEvent.HANDLER_ADDED, FeedbackEvent.HANDLER_REMOVED]
    ).order_by("sequence")
    assert [(e.event_type, e.detail["user"], e.actor) for e in events] == [
        (FeedbackEvent.HANDLER_ADDED, personas.other_supervisor.pk, personas.manager),
        (FeedbackEvent.HANDLER_REMOVED, personas.other_supervisor.pk, personas.manager),
    ]


def test_only_staff_of_the_agency_who_may_read_cases_can_be_handlers(
    personas, confirmed_client_for
):
    client = confirmed_client_for(personas.administrator)
    page = client.get(reverse("feedback:handlers"))
    candidates = set(page.context["form"].fields["user"].queryset)
    assert candidates == {
        personas.caseworker,
        personas.other_caseworker,
        personas.supervisor,
        personas.other_supervisor,
        personas.manager,
    }
    for user in (personas.meal_officer, personas.auditor, personas.outsider):
        response = client.post(reverse("feedback:handlers"), {"user": user.pk})
        assert response.status_code == 400
    assert not ComplaintsHandler.objects.exists()


def test_the_handlers_page_asks_to_confirm_first(personas, client_for):
    response = client_for(personas.manager).get(reverse("feedback:handlers"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_others_cannot_keep_the_handlers(personas, client_for, make_handler):
    handler = make_handler(personas.supervisor)
    foreign = make_handler(personas.outsider_manager)
    for user in (personas.caseworker, personas.supervisor, personas.meal_officer):
        client = client_for(user)
        assert client.get(reverse("feedback:handlers")).status_code == 403
        response = client.post(reverse("feedback:remove_handler", args=[handler.pk]))
        assert response.status_code == 403
    # Another agency's manager: the handler of this agency does not exist for her.
    client = client_for(personas.outsider_manager)
    session = client.session
    mark_confirmed(session)
    session.save()
    response = client.post(reverse("feedback:remove_handler", args=[handler.pk]))
    assert response.status_code == 404
    assert ComplaintsHandler.objects.filter(pk__in=[handler.pk, foreign.pk]).count() == 2


def test_the_menu_shows_the_register_or_the_handlers(personas, client_for):
    register = reverse("feedback:register")
    handlers = reverse("feedback:handlers")
    for user in (personas.caseworker, personas.meal_officer, personas.manager):
        page = client_for(user).get(reverse("feedback:register")).content.decode()
        assert f'href="{register}"' in page
    admin_page = client_for(personas.administrator).get(reverse("accounts:security"))
    assert f'href="{handlers}"' in admin_page.content.decode()
    auditor_page = client_for(personas.auditor).get(reverse("accounts:security"))
    assert register not in auditor_page.content.decode()
