"""Break-glass: emergency, time-limited, read-only, audited access to a case outside one's view."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from pcm.access import actions, policy
from pcm.access.events import AccessEvent
from pcm.access.models import BreakGlassGrant
from pcm.accounts.reauth import mark_confirmed
from pcm.audit.models import AuditEvent, AuditEventType
from pcm.cases.models import Case
from pcm.core.errors import ActionRefused
from pcm.notifications.models import Notification, NotificationKind
from pcm.people.models import Person

REQUEST = reverse("access:break_glass_request")
OVERVIEW = reverse("access:break_glass")
REASON = "Police ask about the child's safety tonight; the caseworker is away."
NO_SUCH_CASE = "No case with this number in your agency."


@pytest.fixture
def cases(personas, case_for):
    return {
        "mine": case_for(personas.caseworker),
        "colleague": case_for(personas.other_caseworker),
        "other_agency": case_for(personas.outsider),
    }


@pytest.fixture
def confirmed_client(client_for):
    """A client signed in as USER who has just confirmed their identity."""

    def make(user):
        client = client_for(user)
        session = client.session
        mark_confirmed(session)
        session.save()
        return client

    return make


def visible(user) -> set[int]:
    return set(Case.objects.visible_to(user).values_list("pk", flat=True))


def grant_for(user, case, *, minutes: int = 120, **fields) -> BreakGlassGrant:
    now = timezone.now()
    return BreakGlassGrant.objects.create(
        user=user,
        case=case,
        reason=REASON,
        granted_at=fields.pop("granted_at", now),
        expires_at=now + timedelta(minutes=minutes),
        **fields,
    )


def ask(client, number: str, reason: str = REASON):
    return client.post(REQUEST, {"case_number": number, "reason": reason})


# The access policy


def test_an_administrator_sees_a_case_only_under_a_live_grant(personas, cases):
    admin = personas.administrator
    assert visible(admin) == set()
    grant_for(admin, cases["mine"])
    assert visible(admin) == {cases["mine"].pk}
    assert policy.get_case_for(admin, cases["mine"].public_id) == cases["mine"]
    assert set(Person.objects.visible_to(admin)) == {cases["mine"].person}
    with pytest.raises(Http404):
        policy.get_case_for(admin, cases["colleague"].public_id)


def test_an_expired_grant_opens_nothing(personas, cases):
    grant_for(personas.administrator, cases["mine"], minutes=-1)
    assert visible(personas.administrator) == set()
    with pytest.raises(Http404):
        policy.get_case_for(personas.administrator, cases["mine"].public_id)
    assert policy.live_break_glass_grant(personas.administrator, cases["mine"]) is None


def test_a_revoked_grant_opens_nothing(personas, cases):
    grant_for(personas.administrator, cases["mine"], revoked_at=timezone.now())
    assert visible(personas.administrator) == set()


def test_a_grant_never_opens_another_agencys_case(personas, cases):
    # Even a grant written straight into the database, bypassing the checks.
    grant_for(personas.administrator, cases["other_agency"])
    grant_for(personas.manager, cases["other_agency"])
    assert visible(personas.administrator) == set()
    assert cases["other_agency"].pk not in visible(personas.manager)
    assert policy.live_break_glass_grant(personas.manager, cases["other_agency"]) is None


def test_a_grant_counts_only_for_managers_and_administrators(personas, cases):
    for user in (personas.caseworker, personas.meal_officer, personas.provider):
        grant_for(user, cases["colleague"])
        assert cases["colleague"].pk not in visible(user)


def test_a_grant_ends_when_its_holder_changes_role_or_leaves(personas, cases):
    admin = personas.administrator
    grant_for(admin, cases["mine"])
    admin.role = "meal_officer"
    admin.save()
    assert visible(admin) == set()
    admin.role = "administrator"
    admin.is_active = False
    admin.save()
    assert visible(admin) == set()


def test_under_a_grant_an_administrator_reads_and_never_writes(personas, cases):
    from pcm.assessments.rules import may_record_assessment
    from pcm.casework.permissions import may_move_between_follow_up_steps, may_write_casework
    from pcm.closure import permissions as closure
    from pcm.plans.permissions import can_decide_plan, can_edit_plan, can_edit_safety_plan
    from pcm.supervision.access import can_check_case_file

    admin, case = personas.administrator, cases["mine"]
    grant_for(admin, case)
    assert not policy.can_work_on_case(admin, case)
    assert not policy.can_reassign(admin, case)
    with pytest.raises(PermissionDenied):
        policy.get_case_to_work_on(admin, case.public_id)
    checks = [
        may_record_assessment,
        may_write_casework,
        may_move_between_follow_up_steps,
        can_edit_plan,
        can_decide_plan,
        can_edit_safety_plan,
        can_check_case_file,
        closure.may_request_closure,
        closure.may_decide_closure,
        closure.may_record_survey,
        closure.may_reopen,
        closure.may_request_transfer,
    ]
    assert [check.__name__ for check in checks if check(admin, case)] == []


def test_under_a_grant_a_write_is_refused(personas, cases, client_for):
    admin, case = personas.administrator, cases["mine"]
    grant_for(admin, case)
    version = case.version
    client = client_for(admin)
    for name in ("cases:complete_intake", "cases:withdraw_consent", "cases:reassign"):
        response = client.post(reverse(name, kwargs={"public_id": case.public_id}))
        assert response.status_code == 403, name
    case.refresh_from_db()
    assert case.version == version


# Asking for emergency access


def test_an_administrator_gets_two_hours_of_access_to_a_case_of_the_agency(
    personas, cases, confirmed_client
):
    admin, case = personas.administrator, cases["colleague"]
    client = confirmed_client(admin)
    before = timezone.now()
    response = ask(client, case.number)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"public_id": case.public_id})
    grant = BreakGlassGrant.objects.get()
    assert (grant.user, grant.case, grant.reason) == (admin, case, REASON)
    assert before <= grant.granted_at <= timezone.now()
    assert grant.expires_at - grant.granted_at == timedelta(hours=2)
    assert grant.revoked_at is None
    [event] = AuditEvent.objects.filter(event_type=AccessEvent.BREAK_GLASS)
    assert (event.actor, event.target_id, event.agency) == (admin, str(case.pk), case.agency)
    assert event.detail == {"grant": grant.pk}
    assert REASON not in str(event.detail)


def test_the_duration_is_a_setting(personas, cases, confirmed_client, settings):
    settings.PCM_BREAK_GLASS_MINUTES = 30
    ask(confirmed_client(personas.manager), cases["mine"].number)
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.granted_at == timedelta(minutes=30)


def test_the_number_must_be_exact_but_case_and_spaces_do_not_matter(
    personas, cases, confirmed_client
):
    client = confirmed_client(personas.administrator)
    number = cases["mine"].number
    partial = ask(client, number[:-1])
    assert partial.status_code == 400
    assert NO_SUCH_CASE in partial.content.decode()
    assert ask(client, f"  {number.lower()} ").status_code == 302
    assert BreakGlassGrant.objects.get().case == cases["mine"]


def test_an_unknown_number_and_another_agencys_case_get_the_same_answer(
    personas, cases, confirmed_client
):
    client = confirmed_client(personas.administrator)
    unknown = ask(client, "APN-IQ-2026-99999")
    foreign = ask(client, cases["other_agency"].number)
    assert unknown.status_code == foreign.status_code == 400
    for response in (unknown, foreign):
        body = response.content.decode()
        assert NO_SUCH_CASE in body
        assert cases["other_agency"].person.given_name not in body
    assert not BreakGlassGrant.objects.exists()
    assert visible(personas.administrator) == set()
    refused = AuditEvent.objects.filter(event_type=AccessEvent.BREAK_GLASS_REFUSED).order_by("id")
    assert [(e.actor, e.agency, e.detail) for e in refused] == [
        (personas.administrator, personas.agency, {"outcome": "not_found"}),
        (personas.administrator, personas.agency, {"outcome": "other_agency"}),
    ]
    assert refused[1].target_id == str(cases["other_agency"].pk)
    assert not Notification.objects.filter(kind=NotificationKind.BREAK_GLASS).exists()


def test_the_reason_is_required_and_at_least_20_characters(personas, cases, confirmed_client):
    client = confirmed_client(personas.manager)
    response = ask(client, cases["mine"].number, reason="   Urgent, sorry.   ")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write the reason in at least 20 characters" in body
    # What was typed is kept.
    assert cases["mine"].number in body and "Urgent, sorry." in body
    assert ask(client, cases["mine"].number, reason="").status_code == 400
    assert not BreakGlassGrant.objects.exists()
    with pytest.raises(ActionRefused):
        actions.do_request_break_glass(cases["mine"].number, "x" * 19, acting_user=personas.manager)


def test_only_managers_and_administrators_may_ask(personas, cases, confirmed_client):
    for user in (
        personas.caseworker,
        personas.supervisor,
        personas.meal_officer,
        personas.provider,
    ):
        client = confirmed_client(user)
        assert client.get(REQUEST).status_code == 403
        assert ask(client, cases["colleague"].number).status_code == 403
        with pytest.raises(ActionRefused):
            actions.do_request_break_glass(cases["colleague"].number, REASON, acting_user=user)
    assert not BreakGlassGrant.objects.exists()


def test_other_roles_are_refused_before_being_asked_to_confirm(personas, client_for):
    assert client_for(personas.caseworker).get(REQUEST).status_code == 403


def test_asking_needs_a_recent_confirmation(personas, cases, client_for):
    response = ask(client_for(personas.administrator), cases["mine"].number)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert not BreakGlassGrant.objects.exists()


def test_a_second_grant_for_the_same_case_is_refused_while_one_is_live(
    personas, cases, confirmed_client
):
    client = confirmed_client(personas.administrator)
    ask(client, cases["mine"].number)
    again = ask(client, cases["mine"].number)
    assert again.status_code == 400
    assert "You already have emergency access to case" in again.content.decode()
    assert BreakGlassGrant.objects.count() == 1


def test_the_supervisor_managers_and_administrators_are_told(personas, cases, confirmed_client):
    from tests.factories import UserFactory

    second_admin = UserFactory.create(role="administrator", agency=personas.agency)
    ask(confirmed_client(personas.administrator), cases["colleague"].number)
    told = Notification.objects.filter(kind=NotificationKind.BREAK_GLASS)
    assert {n.recipient for n in told} == {
        personas.other_supervisor,  # supervises the team of the case
        personas.manager,
        second_admin,
    }
    assert {(n.case, n.actor) for n in told} == {(cases["colleague"], personas.administrator)}


def test_a_manager_asking_is_not_told_of_their_own_access(personas, cases, confirmed_client):
    ask(confirmed_client(personas.manager), cases["mine"].number)
    told = {n.recipient for n in Notification.objects.filter(kind=NotificationKind.BREAK_GLASS)}
    assert told == {personas.supervisor, personas.administrator}


def test_the_reason_is_encrypted_in_the_database(personas, cases, confirmed_client):
    ask(confirmed_client(personas.manager), cases["mine"].number)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(BreakGlassGrant._meta.db_table)
        cursor.execute(f"SELECT reason FROM {table}")  # noqa: S608 - a model's own table name
        [(stored,)] = cursor.fetchall()
    assert "Police" not in stored and "caseworker" not in stored


# The case page under a grant


def test_the_case_page_shows_a_banner_and_records_the_view_as_emergency_access(
    personas, cases, confirmed_client
):
    client = confirmed_client(personas.administrator)
    response = ask(client, cases["mine"].number)
    page = client.get(response["Location"])
    assert page.status_code == 200
    grant = BreakGlassGrant.objects.get()
    # The time is shown in the agency's time zone.
    until = timezone.localtime(grant.expires_at, zoneinfo.ZoneInfo(personas.agency.time_zone))
    assert f"Emergency access until {until:%H:%M} — reason recorded" in page.content.decode()
    [view] = AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED)
    assert (view.actor, view.target_id) == (personas.administrator, str(cases["mine"].pk))
    assert view.detail == {"break_glass": grant.pk}


def test_usual_views_are_not_marked(personas, cases, client_for):
    client_for(personas.manager).get(
        reverse("cases:detail", kwargs={"public_id": cases["mine"].public_id})
    )
    [view] = AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED)
    assert view.detail == {}


def test_a_manager_under_a_grant_is_recorded_as_such(personas, cases, client_for):
    grant = grant_for(personas.manager, cases["mine"])
    page = client_for(personas.manager).get(
        reverse("cases:detail", kwargs={"public_id": cases["mine"].public_id})
    )
    assert "Emergency access until" in page.content.decode()
    [view] = AuditEvent.objects.filter(event_type=AuditEventType.CASE_VIEWED)
    assert view.detail == {"break_glass": grant.pk}


def test_after_expiry_the_case_is_closed_again(personas, cases, client_for):
    grant = grant_for(personas.administrator, cases["mine"])
    client = client_for(personas.administrator)
    url = reverse("cases:detail", kwargs={"public_id": cases["mine"].public_id})
    assert client.get(url).status_code == 200
    grant.expires_at = timezone.now() - timedelta(seconds=1)
    grant.save()
    response = client.get(url)
    assert response.status_code == 404
    assert cases["mine"].person.given_name not in response.content.decode()


# Seeing and ending grants


def test_the_holder_sees_their_grants_and_a_manager_reviews_the_agencys(
    personas, cases, client_for
):
    admin_grant = grant_for(personas.administrator, cases["mine"])
    past = grant_for(personas.administrator, cases["colleague"], minutes=-30)
    foreign = grant_for(personas.outsider_manager, cases["other_agency"])
    mine = client_for(personas.administrator).get(OVERVIEW)
    assert mine.status_code == 200
    body = mine.content.decode()
    assert cases["mine"].number in body and cases["colleague"].number in body
    assert cases["other_agency"].number not in body
    review = client_for(personas.manager).get(OVERVIEW).content.decode()
    assert "Recent emergency accesses in your agency" in review
    assert "Idris Salem" in review and REASON.replace("'", "&#x27;") in review
    assert cases["mine"].number in review
    assert cases["other_agency"].number not in review
    assert reverse("access:break_glass_revoke", kwargs={"pk": admin_grant.pk}) in review
    assert reverse("access:break_glass_revoke", kwargs={"pk": past.pk}) not in review
    assert reverse("access:break_glass_revoke", kwargs={"pk": foreign.pk}) not in review


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "meal_officer", "provider"])
def test_other_roles_have_no_emergency_access_page(personas, client_for, role):
    assert client_for(getattr(personas, role)).get(OVERVIEW).status_code == 403


def test_the_menu_links_to_emergency_access_for_managers_and_administrators(personas, client_for):
    home = reverse("administration:index")
    assert OVERVIEW in client_for(personas.administrator).get(home).content.decode()
    assert (
        OVERVIEW not in client_for(personas.caseworker).get(reverse("cases:list")).content.decode()
    )


def test_the_holder_ends_their_access_early(personas, cases, client_for):
    grant = grant_for(personas.administrator, cases["mine"])
    client = client_for(personas.administrator)
    response = client.post(reverse("access:break_glass_revoke", kwargs={"pk": grant.pk}))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == personas.administrator
    assert visible(personas.administrator) == set()
    [event] = AuditEvent.objects.filter(event_type=AccessEvent.BREAK_GLASS_REVOKED)
    assert (event.actor, event.detail) == (personas.administrator, {"grant": grant.pk})
    again = client.post(reverse("access:break_glass_revoke", kwargs={"pk": grant.pk}), follow=True)
    assert "This emergency access has already ended." in again.content.decode()


def test_a_manager_ends_someone_elses_access(personas, cases, client_for):
    grant = grant_for(personas.administrator, cases["mine"])
    client_for(personas.manager).post(reverse("access:break_glass_revoke", kwargs={"pk": grant.pk}))
    grant.refresh_from_db()
    assert grant.revoked_by == personas.manager
    assert visible(personas.administrator) == set()


def test_nobody_else_ends_a_grant(personas, cases, client_for):
    grant = grant_for(personas.manager, cases["mine"])
    for user in (personas.administrator, personas.outsider_manager, personas.supervisor):
        url = reverse("access:break_glass_revoke", kwargs={"pk": grant.pk})
        assert client_for(user).post(url).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None
    with pytest.raises(ActionRefused):
        actions.do_revoke_break_glass(grant, acting_user=personas.outsider_manager)
