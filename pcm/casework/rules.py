"""The rules entries must follow, shared by forms (message beside the field) and actions.

Each function returns the message to show, or None when the value is fine.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pcm.cases.models import Case
from pcm.casework.currencies import is_currency
from pcm.casework.models import SupportType

# Clocks of phones and laptops in the field drift; a contact "now" must not be refused.
CLOCK_TOLERANCE = timedelta(minutes=10)
LONGEST_CONTACT_MINUTES = 24 * 60


def contact_time_problem(case: Case, at: datetime) -> str | None:
    if at > timezone.now() + CLOCK_TOLERANCE:
        return _("The contact cannot be in the future: enter when it took place.")
    opened_on = timezone.localdate(case.opened_at)
    if timezone.localdate(at) < opened_on:
        return _("The contact cannot be before the day the case was opened (%(date)s).") % {
            "date": date_format(opened_on, "SHORT_DATE_FORMAT")
        }
    return None


def duration_problem(minutes: int) -> str | None:
    if not 1 <= minutes <= LONGEST_CONTACT_MINUTES:
        return _("Enter the duration in minutes, from 1 to 1440 (a whole day).")
    return None


def past_date_problem(day: date) -> str | None:
    """Support given and conferences held are recorded afterwards, never ahead."""
    if day > timezone.localdate():
        return _("This date is in the future: record it once it has happened.")
    return None


def amount_problem(support_type: str, amount: Decimal | None) -> str | None:
    if amount is None:
        if support_type == SupportType.CASH:
            return _("Enter the amount of cash given.")
        return None
    if amount <= 0:
        return _("Enter an amount greater than zero.")
    return None


def currency_problem(amount: Decimal | None, currency: str) -> str | None:
    if amount is None:
        return None
    if not currency:
        return _("Enter the currency of the amount, as a three-letter ISO 4217 code such as USD.")
    if not is_currency(currency):
        return _(
            "“%(code)s” is not an ISO 4217 currency code. Use three letters such as IQD, UAH, "
            "XOF or USD."
        ) % {"code": currency}
    return None


def follow_up_due_problem(due_on: date, *, not_before: date | None = None) -> str | None:
    earliest = not_before or timezone.localdate()
    if due_on < earliest:
        return _("Choose a due date on or after %(date)s.") % {
            "date": date_format(earliest, "SHORT_DATE_FORMAT")
        }
    return None


def done_time_problem(at: datetime) -> str | None:
    if at > timezone.now() + CLOCK_TOLERANCE:
        return _("The follow-up cannot be done in the future: enter when it took place.")
    return None
