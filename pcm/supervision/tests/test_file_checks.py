"""Case file checks: the supervisor's checklist per case, kept as a history, and its action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.cases.consent import Consent, ConsentMethod, GivenBy
from pcm.cases.models import Case
from pcm.cases.queue import due_items
from pcm.core.errors import ActionRefused, EditConflict
from pcm.supervision import actions
from pcm.supervision.models import CaseFileCheck, CheckAnswer, SupervisionEvent
from pcm.supervision.queue import CHECK_ACTION, file_check_actions

ITEMS = ["consent_present", "assessment_done", "plan_agreed", "notes_up_to_date", "deadlines_met"]


def new_url(case) -> str:
    return reverse("supervision:record_file_check", args=[case.public_id])


def history_url(case) -> str:
    return reverse("supervision:file_checks", args=[case.public_id])


def answers(**overrides: str) -> dict[str, str]:
    return {**dict.fromkeys(ITEMS, CheckAnswer.YES.value), **overrides}


def details(**overrides: object) -> actions.FileCheckDetails:
    fields: dict[str, object] = dict.fromkeys(ITEMS, CheckAnswer.YES)
    fields.update(overrides)
    return actions.FileCheckDetails(**fields)  # type: ignore[arg-type]


@pytest.fixture
def case(personas, case_for) -> Case:
    made: Case = case_for(personas.caseworker)
    return made


def test_it_records_a_check_from_the_form(personas, case, client_for):
    due = timezone.localdate() + timedelta(days=5)
    response = client_for(personas.supervisor).post(
        new_url(case),
        {
            **answers(plan_agreed="no", deadlines_met="not_applicable"),
            "comment": "Plan not signed yet.",
            "action_needed": "Agree the plan with the service user at the next visit.",
            "action_due_on": due.isoformat(),
            "based_on": "0",
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("#case-file-checks")
    check = CaseFileCheck.objects.get(case=case)
    assert check.version == 1 and check.checked_by == personas.supervisor
    assert check.plan_agreed == "no" and check.deadlines_met == "not_applicable"
    assert check.action_due_on == due and check.action_pending
    event = AuditEvent.objects.get(event_type=SupervisionEvent.CASE_FILE_CHECKED)
    assert event.actor == personas.supervisor and event.detail["version"] == 1
    assert "Plan not signed" not in str(event.detail)  # no free text in the audit trail


def test_each_check_is_a_new_version_and_all_are_kept(personas, case, client_for):
    client = client_for(personas.supervisor)
    client.post(new_url(case), {**answers(consent_present="no"), "based_on": "0"})
    client.post(new_url(case), {**answers(), "based_on": "1"})
    versions = list(
        CaseFileCheck.objects.filter(case=case)
        .order_by("version")
        .values_list("version", "consent_present")
    )
    assert versions == [(1, "no"), (2, "yes")]
    page = client_for(personas.caseworker).get(history_url(case)).content.decode()
    assert "Check 1" in page and "Check 2" in page
    read = AuditEvent.objects.get(event_type=SupervisionEvent.FILE_CHECKS_VIEWED)
    assert read.actor == personas.caseworker and read.target_id == str(case.pk)


def test_a_check_from_a_stale_page_is_refused_with_what_changed(personas, case, client_for):
    actions.do_record_case_file_check(
        case, details(), based_on_version=0, acting_user=personas.supervisor
    )
    response = client_for(personas.supervisor).post(
        new_url(case), {**answers(notes_up_to_date="no"), "based_on": "0"}
    )
    assert response.status_code == 200
    assert "recorded another check of this case file" in response.content.decode()
    assert CaseFileCheck.objects.filter(case=case).count() == 1


def test_the_action_refuses_a_stale_version(personas, case):
    actions.do_record_case_file_check(
        case, details(), based_on_version=0, acting_user=personas.supervisor
    )
    with pytest.raises(EditConflict):
        actions.do_record_case_file_check(
            case, details(), based_on_version=0, acting_user=personas.supervisor
        )


@pytest.mark.parametrize(
    "who", ["caseworker", "other_supervisor", "manager", "outsider_supervisor"]
)
def test_only_the_teams_supervisor_may_record_a_check(personas, case, who):
    with pytest.raises(ActionRefused):
        actions.do_record_case_file_check(
            case, details(), based_on_version=0, acting_user=getattr(personas, who)
        )
    assert not CaseFileCheck.objects.exists()


def test_the_caseworker_and_manager_get_no_form(personas, case, client_for):
    assert client_for(personas.caseworker).get(new_url(case)).status_code == 403
    assert client_for(personas.manager).get(new_url(case)).status_code == 403
    assert client_for(personas.caseworker).post(new_url(case), answers()).status_code == 403


def test_outsiders_get_404_for_the_case(personas, case, client_for):
    for who in ("other_supervisor", "other_caseworker", "outsider", "outsider_supervisor"):
        client = client_for(getattr(personas, who))
        assert client.get(new_url(case)).status_code == 404, who
        assert client.get(history_url(case)).status_code == 404, who


def test_bad_input_shows_errors_next_to_fields(personas, case, client_for):
    response = client_for(personas.supervisor).post(
        new_url(case),
        {
            "consent_present": "maybe",
            "action_due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "based_on": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page and "Choose today or a later date." in page
    assert 'aria-invalid="true"' in page
    assert not CaseFileCheck.objects.exists()


def test_a_date_without_an_action_is_refused(personas, case, client_for):
    response = client_for(personas.supervisor).post(
        new_url(case),
        {**answers(), "action_due_on": timezone.localdate().isoformat(), "based_on": "0"},
    )
    assert "Say which action is needed" in response.content.decode()
    assert not CaseFileCheck.objects.exists()


def test_the_form_shows_the_systems_facts(personas, case, client_for):
    case.first_response_due_at = timezone.now() - timedelta(hours=5)
    case.save()
    page = client_for(personas.supervisor).get(new_url(case)).content.decode()
    assert "No consent is recorded for this case." in page
    assert "No first response yet: it was due" in page
    assert "Overdue now: First response" in page
    Consent.objects.create(
        case=case,
        version=1,
        given_by=GivenBy.SERVICE_USER,
        method=ConsentMethod.VERBAL,
        case_management=True,
        recorded_by=personas.caseworker,
    )
    case.first_response_at = timezone.now() - timedelta(hours=6)
    case.save()
    page = client_for(personas.supervisor).get(new_url(case)).content.decode()
    assert "Consent version 1" in page and "covers: Case management." in page
    assert "within its deadline" in page


def test_the_case_page_shows_the_latest_check_to_the_caseworker(personas, case, client_for):
    actions.do_record_case_file_check(
        case,
        details(notes_up_to_date=CheckAnswer.NO, action_needed="Write up the home visit."),
        based_on_version=0,
        acting_user=personas.supervisor,
    )
    page = (
        client_for(personas.caseworker)
        .get(reverse("cases:detail", args=[case.public_id]))
        .content.decode()
    )
    assert 'id="case-file-checks"' in page
    assert "Write up the home visit." in page
    assert "Report the action done" in page
    assert "Check the case file" not in page
    page = (
        client_for(personas.supervisor)
        .get(reverse("cases:detail", args=[case.public_id]))
        .content.decode()
    )
    assert "Check the case file" in page


def test_the_caseworker_reports_the_action_done(personas, case, client_for):
    check = actions.do_record_case_file_check(
        case,
        details(action_needed="Add the signed consent form."),
        based_on_version=0,
        acting_user=personas.supervisor,
    )
    url = reverse("supervision:check_action_done", args=[case.public_id, check.pk])
    response = client_for(personas.caseworker).post(url)
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.action_done_by == personas.caseworker and not check.action_pending
    assert AuditEvent.objects.filter(event_type=SupervisionEvent.FILE_CHECK_ACTION_DONE).exists()
    # Twice is refused with a message, nothing changes.
    response = client_for(personas.caseworker).post(url, follow=True)
    assert "already reported this action done" in response.content.decode()


def test_reporting_done_is_refused_without_an_action_or_for_others(personas, case, client_for):
    check = actions.do_record_case_file_check(
        case, details(), based_on_version=0, acting_user=personas.supervisor
    )
    with pytest.raises(ActionRefused):
        actions.do_report_check_action_done(check, acting_user=personas.caseworker)
    url = reverse("supervision:check_action_done", args=[case.public_id, check.pk])
    assert client_for(personas.manager).post(url).status_code == 403
    assert client_for(personas.other_caseworker).post(url).status_code == 404


def test_a_pending_action_is_in_the_caseworkers_queue_until_done(personas, case):
    check = actions.do_record_case_file_check(
        case,
        details(action_needed="Update the notes.", action_due_on=timezone.localdate()),
        based_on_version=0,
        acting_user=personas.supervisor,
    )
    mine = Case.objects.visible_to(personas.caseworker)
    items = file_check_actions(mine, timezone.now())
    assert [(item.case, item.kind) for item in items] == [(case, CHECK_ACTION)]
    assert CHECK_ACTION in {item.kind for item in due_items(mine, timezone.now())}
    assert not file_check_actions(
        Case.objects.visible_to(personas.other_caseworker), timezone.now()
    )
    actions.do_report_check_action_done(check, acting_user=personas.caseworker)
    assert not file_check_actions(mine, timezone.now())
