"""Forms of supervision: the case file checklist, a supervision session and its actions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.cases.models import Case
from pcm.supervision.actions import ActionDetails, FileCheckDetails, SessionDetails
from pcm.supervision.models import CHECK_ITEMS, CheckAnswer, SessionType

ACTION_ROWS = 3
OLDEST_SESSION_DAYS = 366


class CaseFileCheckForm(forms.Form):
    """Each checklist item answered yes, no or not applicable, with a comment and an action."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action_needed = forms.CharField(
        label=_("Action needed from the caseworker"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty if the file needs nothing more. It appears in their queue."),
    )
    action_due_on = forms.DateField(
        label=_("Action needed by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The checklist first, in its order, then the comment and the action.
        items = {
            name: forms.ChoiceField(
                label=label, choices=CheckAnswer.choices, widget=forms.RadioSelect
            )
            for name, label in CHECK_ITEMS
        }
        self.fields = {**items, **self.fields}

    def item_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in CHECK_ITEMS]

    def clean_action_due_on(self) -> date | None:
        due: date | None = self.cleaned_data.get("action_due_on")
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return due

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action_due_on") and not (cleaned.get("action_needed") or "").strip():
            self.add_error(
                "action_needed", _("Say which action is needed, or leave its date empty.")
            )
        return cleaned

    def details(self) -> FileCheckDetails:
        data = self.cleaned_data
        return FileCheckDetails(
            consent_present=CheckAnswer(data["consent_present"]),
            assessment_done=CheckAnswer(data["assessment_done"]),
            plan_agreed=CheckAnswer(data["plan_agreed"]),
            notes_up_to_date=CheckAnswer(data["notes_up_to_date"]),
            deadlines_met=CheckAnswer(data["deadlines_met"]),
            comment=data["comment"],
            action_needed=data["action_needed"],
            action_due_on=data["action_due_on"],
        )


class CaseNumberChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Cases by number only: supervision notes are about staff, not the people they support."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.number)


def _names_in(text: str, names: Iterable[str]) -> bool:
    folded = " ".join(text.casefold().split())
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded) for name in names if len(name) > 2
    )


class SupervisionSessionForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the session"), widget=forms.DateInput(attrs={"type": "date"})
    )
    session_type = forms.ChoiceField(
        label=_("Type of session"), choices=SessionType.choices, widget=forms.RadioSelect
    )
    cases_discussed = CaseNumberChoiceField(
        label=_("Cases discussed"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("By case number only."),
    )
    wellbeing_note = forms.CharField(
        label=_("Well-being and self-care check"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "About the caseworker: workload, stress, rest, support they need. Never write a "
            "service user's name or details here; refer to cases by number."
        ),
    )

    def __init__(self, *args: Any, cases: list[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases
        field = self.fields["cases_discussed"]
        assert isinstance(field, CaseNumberChoiceField)  # noqa: S101 - declared above
        field.queryset = Case.objects.filter(pk__in=[case.pk for case in cases]).order_by("number")

    def clean_held_on(self) -> date:
        held_on: date = self.cleaned_data["held_on"]
        today = timezone.localdate()
        if held_on > today:
            raise forms.ValidationError(_("The session cannot be in the future."))
        if held_on < today - timedelta(days=OLDEST_SESSION_DAYS):
            raise forms.ValidationError(_("Choose a date within the last year."))
        return held_on

    def clean_wellbeing_note(self) -> str:
        note: str = self.cleaned_data["wellbeing_note"]
        if _names_in(note, self.service_user_names()):
            raise forms.ValidationError(
                _("Remove the service user's name: supervision notes refer to cases by number.")
            )
        return note

    def service_user_names(self) -> list[str]:
        """The full names of the people whose cases the caseworker holds (folded)."""
        if not hasattr(self, "_names"):
            people = Case.objects.filter(pk__in=[case.pk for case in self.cases]).values_list(
                "person__given_name", "person__family_name"
            )
            self._names = [
                " ".join(f"{given} {family}".casefold().split()) for given, family in people
            ]
        return self._names

    def details(self, actions: list[ActionDetails]) -> SessionDetails:
        data = self.cleaned_data
        return SessionDetails(
            held_on=data["held_on"],
            session_type=SessionType(data["session_type"]),
            cases_discussed=list(data["cases_discussed"]),
            wellbeing_note=data["wellbeing_note"],
            actions=actions,
        )


class AgreedActionForm(forms.Form):
    description = forms.CharField(label=_("Agreed action"), required=False, max_length=300)
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, names: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = names or []
        # Three rows of the same fields: number them so each label says which row it is.
        index = (self.prefix or "").rsplit("-", 1)[-1]
        number = int(index) + 1 if index.isdigit() else 0
        self.fields["description"].label = _("Agreed action %(number)s") % {"number": number}
        self.fields["due_on"].label = _("Due date of action %(number)s") % {"number": number}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        description = (cleaned.get("description") or "").strip()
        if cleaned.get("due_on") and not description:
            self.add_error("description", _("Say what was agreed, or leave its date empty."))
        if description and _names_in(description, self.names):
            self.add_error(
                "description",
                _("Remove the service user's name: supervision notes refer to cases by number."),
            )
        return cleaned


AgreedActionFormSet: type[forms.BaseFormSet[AgreedActionForm]] = forms.formset_factory(
    AgreedActionForm, extra=ACTION_ROWS, max_num=ACTION_ROWS, validate_max=True
)


def agreed_actions(formset: forms.BaseFormSet[AgreedActionForm]) -> list[ActionDetails]:
    return [
        ActionDetails(
            description=form.cleaned_data["description"], due_on=form.cleaned_data["due_on"]
        )
        for form in formset.forms
        if form.cleaned_data.get("description", "").strip()
    ]
