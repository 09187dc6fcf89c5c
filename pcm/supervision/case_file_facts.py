"""Facts for the case file check that pcm.cases knows: consent, step, deadlines."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from pcm.cases.consent import Purpose, current_consent
from pcm.cases.models import Case, CaseStatus
from pcm.cases.queue import due_items
from pcm.supervision.facts import Fact, FactSource


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def consent_facts(case: Case, now: datetime) -> list[Fact]:
    consent = current_consent(case)
    if consent is None:
        return [Fact("consent_present", _("No consent is recorded for this case."), True)]
    if consent.withdrawn:
        text = _("Consent was withdrawn (version %(version)s, recorded %(when)s).")
        return [
            Fact(
                "consent_present",
                text % {"version": consent.version, "when": _when(consent.given_at)},
                True,
            )
        ]
    scope = [str(purpose.label) for purpose in Purpose if consent.allows(purpose)]
    text = _("Consent version %(version)s, given %(when)s (%(how)s), covers: %(scope)s.") % {
        "version": consent.version,
        "when": _when(consent.given_at),
        "how": consent.get_method_display(),
        "scope": ", ".join(scope) or _("nothing"),
    }
    return [Fact("consent_present", text, not consent.allows(Purpose.CASE_MANAGEMENT))]


def step_facts(case: Case, now: datetime) -> list[Fact]:
    step = CaseStatus(case.status)
    text = _("The case is in the step “%(step)s”.") % {"step": step.label}
    facts = [Fact("assessment_done", text)]
    if step == CaseStatus.INTAKE:
        facts[0] = Fact("assessment_done", text + " " + _("No assessment step yet."))
    return facts


def deadline_facts(case: Case, now: datetime) -> list[Fact]:
    facts: list[Fact] = []
    due, answered = case.first_response_due_at, case.first_response_at
    if answered is not None and due is not None:
        if answered <= due:
            text = _("First response on %(when)s, within its deadline (%(due)s).")
            facts.append(Fact("deadlines_met", text % {"when": _when(answered), "due": _when(due)}))
        else:
            text = _("First response on %(when)s, %(late)s after its deadline (%(due)s).")
            values = {"when": _when(answered), "late": timesince(due, answered), "due": _when(due)}
            facts.append(Fact("deadlines_met", text % values, True))
    elif due is not None and case.is_open:
        late = due < now
        text = (
            _("No first response yet: it was due %(due)s.")
            if late
            else _("No first response yet: it is due %(due)s.")
        )
        facts.append(Fact("deadlines_met", text % {"due": _when(due)}, late))
    overdue = [
        item for item in due_items(Case.objects.filter(pk=case.pk), now) if item.is_overdue(now)
    ]
    if overdue:
        listed = "; ".join(
            f"{item.label} ({_when(item.due_at)})" for item in overdue if item.due_at is not None
        )
        text = _("Overdue now: %(items)s.") % {"items": listed}
        facts.append(Fact("deadlines_met", text, True))
    elif case.is_open:
        facts.append(Fact("deadlines_met", _("Nothing on this case is overdue now.")))
    return facts


CASE_FILE_FACTS: list[FactSource] = [consent_facts, step_facts, deadline_facts]
