"""Direct support: cash and other support given, with amounts in a valid currency."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pcm.audit.models import AuditEvent
from pcm.casework import actions
from pcm.casework.details import SupportDetails
from pcm.casework.models import CaseworkEvent, DirectSupport, SupportType
from pcm.casework.tests.conftest import OUTSIDERS, url
from pcm.casework.tests.factories import make_support
from pcm.core.errors import ActionRefused, EditConflict


def support_form(**overrides):
    data = {
        "given_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "support_type": SupportType.CASH,
        "amount": "250000",
        "currency": "IQD",
        "purpose": "Rent for two months",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_it_records_cash_assistance(personas, case, client_for):
    response = client_for(personas.caseworker).post(url("support_create", case), support_form())
    assert response.status_code == 302
    support = DirectSupport.objects.get(case=case)
    assert support.amount == Decimal("250000")
    assert support.currency == "IQD"
    assert support.recorded_by == personas.caseworker
    event = AuditEvent.objects.get(event_type=CaseworkEvent.SUPPORT_RECORDED)
    assert event.detail == {"case": case.pk, "type": "cash"}


def test_it_suggests_the_currency_of_the_agencys_country(personas, case, client_for):
    page = client_for(personas.caseworker).get(url("support_create", case)).content.decode()
    assert 'name="currency" value="IQD"' in page


def test_it_accepts_a_currency_code_in_small_letters(personas, case, client_for):
    client_for(personas.caseworker).post(url("support_create", case), support_form(currency="usd"))
    assert DirectSupport.objects.get(case=case).currency == "USD"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"currency": "XYZ"}, "currency", "“XYZ” is not an ISO 4217 currency code"),
        ({"currency": "US$"}, "currency", "is not an ISO 4217 currency code"),
        ({"currency": ""}, "currency", "Enter the currency of the amount"),
        ({"amount": ""}, "amount", "Enter the amount of cash given."),
        ({"amount": "0"}, "amount", "Enter an amount greater than zero."),
        ({"amount": "-50"}, "amount", "Enter an amount greater than zero."),
        ({"amount": "ten"}, "amount", "Enter a number."),
        ({"given_on": "2999-01-01"}, "given_on", "This date is in the future"),
        ({"purpose": ""}, "purpose", "This field is required."),
    ],
)
def test_it_shows_each_mistake_next_to_its_field(
    personas, case, client_for, overrides, field, message
):
    response = client_for(personas.caseworker).post(
        url("support_create", case), support_form(**overrides)
    )
    assert response.status_code == 400
    page = response.content.decode()
    errors = page.split(f'id="id_{field}_errors"', 1)
    assert len(errors) == 2, f"no errors shown beside {field}"
    assert message in errors[1].split("</div>", 1)[0]
    # What was typed is still there to correct.
    assert "Rent for two months" in page or field == "purpose"
    assert not DirectSupport.objects.exists()


def test_it_records_support_without_an_amount_and_drops_the_currency(personas, case, client_for):
    response = client_for(personas.caseworker).post(
        url("support_create", case),
        support_form(support_type=SupportType.IN_KIND, amount="", purpose="Blankets"),
    )
    assert response.status_code == 302
    support = DirectSupport.objects.get(case=case)
    assert support.amount is None
    assert support.currency == ""


def test_the_action_refuses_cash_without_a_valid_amount_and_currency(personas, case):
    day = timezone.localdate()
    for amount, currency in ((None, "USD"), (Decimal("0"), "USD"), (Decimal("10"), "DOLLARS")):
        details = SupportDetails(day, SupportType.CASH, "Rent", amount=amount, currency=currency)
        with pytest.raises(ActionRefused):
            actions.do_record_support(case, details, acting_user=personas.caseworker)
    assert not DirectSupport.objects.exists()


def test_the_case_page_shows_totals_per_currency_counting_corrections_once(
    personas, case, client_for
):
    wrong = make_support(case, amount=Decimal("100000"), currency="IQD")
    make_support(case, amount=Decimal("50000"), currency="IQD")
    make_support(case, amount=Decimal("120"), currency="USD")
    make_support(case, support_type=SupportType.IN_KIND, amount=None, currency="")
    details = SupportDetails(
        wrong.given_on, SupportType.CASH, "Rent", amount=Decimal("150000"), currency="IQD"
    )
    actions.do_correct_support(wrong, details, reason="Typo", acting_user=personas.caseworker)
    page = client_for(personas.caseworker).get(reverse("cases:detail", args=[case.public_id]))
    text = page.content.decode()
    assert "200,000 IQD" in text
    assert "120 USD" in text


def test_it_corrects_a_support_record_once(personas, case, client_for):
    original = make_support(case)
    client = client_for(personas.caseworker)
    response = client.post(
        url("support_correct", case, support_id=original.pk),
        support_form(amount="175000", correction_reason="Wrong amount"),
    )
    assert response.status_code == 302
    assert DirectSupport.objects.get(corrects=original).amount == Decimal("175000")
    again = client.post(
        url("support_correct", case, support_id=original.pk),
        support_form(amount="180000", correction_reason="Wrong again"),
    )
    assert again.status_code == 409
    assert DirectSupport.objects.count() == 2
    details = SupportDetails(original.given_on, SupportType.CASH, "Rent", Decimal(1), "IQD")
    with pytest.raises(EditConflict):
        actions.do_correct_support(original, details, reason="x", acting_user=personas.supervisor)


def test_it_lets_the_manager_read_but_not_record(personas, case, client_for):
    client = client_for(personas.manager)
    assert client.get(url("support_create", case)).status_code == 403
    assert client.post(url("support_create", case), support_form()).status_code == 403
    assert not DirectSupport.objects.exists()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_it_answers_404_to_anyone_outside_the_case(personas, case, client_for, role):
    client = client_for(getattr(personas, role))
    assert client.post(url("support_create", case), support_form()).status_code == 404
    record = make_support(case)
    assert client.get(url("support_correct", case, support_id=record.pk)).status_code == 404
