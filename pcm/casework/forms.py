"""Forms of case work. Each checks its fields with `rules`, so messages sit beside the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Agency
from pcm.cases.models import Case
from pcm.casework import rules
from pcm.casework.details import (
    ActionDetails,
    ConferenceDetails,
    FollowUpDetails,
    FollowUpOutcome,
    NoteDetails,
    SupportDetails,
)
from pcm.casework.models import ContactMode, SupportType
from pcm.plans.models import ActionOwner

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)


def _now_minute() -> str:
    return timezone.localtime().strftime(DATETIME_INPUT)


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CorrectionMixin(forms.Form):
    """The reason field a correction of a note or a support record adds."""

    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        help_text=_("What was wrong in the earlier record, e.g. “wrong date”."),
    )


class NoteForm(forms.Form):
    contact_at = forms.DateTimeField(
        label=_("Date and time of the contact"), widget=_datetime_widget()
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=[("", "—"), *ContactMode.choices])
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Where it happened, e.g. “office in Mosul” — not a home address."),
    )
    duration_minutes = forms.IntegerField(label=_("Duration in minutes"), min_value=1)
    narrative = forms.CharField(
        label=_("Narrative"),
        widget=_text(8),
        help_text=_("What happened and what was agreed. Write only what the case needs."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["contact_at"].initial = _now_minute

    def clean_contact_at(self) -> Any:
        at = self.cleaned_data["contact_at"]
        problem = rules.contact_time_problem(self.case, at)
        if problem:
            raise forms.ValidationError(problem)
        return at

    def clean_duration_minutes(self) -> int:
        minutes: int = self.cleaned_data["duration_minutes"]
        problem = rules.duration_problem(minutes)
        if problem:
            raise forms.ValidationError(problem)
        return minutes

    def details(self) -> NoteDetails:
        data = self.cleaned_data
        return NoteDetails(
            contact_at=data["contact_at"],
            mode=ContactMode(data["mode"]),
            place=data["place"],
            duration_minutes=data["duration_minutes"],
            narrative=data["narrative"],
        )


class NoteCorrectionForm(CorrectionMixin, NoteForm):
    field_order = ["contact_at", "mode", "place", "duration_minutes", "narrative"]


class SupportForm(forms.Form):
    given_on = forms.DateField(label=_("Date given"), widget=_date_widget())
    support_type = forms.ChoiceField(
        label=_("Type of support"), choices=[("", "—"), *SupportType.choices]
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Required for cash assistance; leave empty for goods that were not valued."),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 4}),
        help_text=_("Three-letter ISO 4217 code, e.g. IQD, UAH, XOF, USD."),
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    notes = forms.CharField(label=_("Notes"), widget=_text(3), required=False)

    def __init__(self, *args: Any, currency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate
        self.fields["currency"].initial = currency

    def clean_given_on(self) -> Any:
        day = self.cleaned_data["given_on"]
        problem = rules.past_date_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount: Decimal | None = data.get("amount")
        if "amount" in data and "support_type" in data:
            problem = rules.amount_problem(data["support_type"], amount)
            if problem:
                self.add_error("amount", problem)
        if amount is not None and amount > 0 and "currency" in data:
            problem = rules.currency_problem(amount, data["currency"])
            if problem:
                self.add_error("currency", problem)
        return data

    def details(self) -> SupportDetails:
        data = self.cleaned_data
        return SupportDetails(
            given_on=data["given_on"],
            support_type=SupportType(data["support_type"]),
            amount=data["amount"],
            currency=data["currency"],
            purpose=data["purpose"],
            notes=data["notes"],
        )


class SupportCorrectionForm(CorrectionMixin, SupportForm):
    field_order = ["given_on", "support_type", "amount", "currency", "purpose", "notes"]


class ConferenceForm(forms.Form):
    held_on = forms.DateField(label=_("Date held"), widget=_date_widget())
    participants = forms.CharField(
        label=_("Participants"),
        widget=_text(3),
        help_text=_("Names and roles, e.g. “Layla Hassan (caseworker), clinic social worker”."),
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies using PCM that took part"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_agencies = forms.CharField(
        label=_("Other agencies"),
        max_length=300,
        required=False,
        help_text=_("Agencies not in the list, separated by commas."),
    )
    discussion = forms.CharField(label=_("Discussion"), widget=_text(4), required=False)
    decisions = forms.CharField(label=_("Decisions"), widget=_text(4))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate
        agencies = self.fields["agencies"]
        assert isinstance(agencies, forms.ModelMultipleChoiceField)  # noqa: S101 - declared above
        agencies.queryset = Agency.objects.filter(is_active=True).order_by("name")

    def clean_held_on(self) -> Any:
        day = self.cleaned_data["held_on"]
        problem = rules.past_date_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def details(self, actions: list[ActionDetails]) -> ConferenceDetails:
        data = self.cleaned_data
        return ConferenceDetails(
            held_on=data["held_on"],
            participants=data["participants"],
            agencies=list(data["agencies"]),
            other_agencies=data["other_agencies"],
            discussion=data["discussion"],
            decisions=data["decisions"],
            actions=actions,
        )


class ConferenceActionForm(forms.Form):
    """One follow-up action row. Rows are optional; a started row must be complete."""

    description = forms.CharField(label=_("Action"), max_length=300, required=False)
    owner = forms.ChoiceField(
        label=_("Who does it"), choices=[("", "—"), *ActionOwner.choices], required=False
    )
    due_on = forms.DateField(label=_("Due date"), widget=_date_widget(), required=False)

    def clean_due_on(self) -> Any:
        day = self.cleaned_data["due_on"]
        problem = rules.follow_up_due_problem(day) if day is not None else None
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started = any(data.get(name) for name in self.fields) or bool(self.errors)
        if started:
            for name in self.fields:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Fill this in too, or leave the whole row empty."))
        return data

    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("description"))

    def details(self) -> ActionDetails:
        data = self.cleaned_data
        return ActionDetails(
            description=data["description"],
            owner=ActionOwner(data["owner"]),
            due_on=data["due_on"],
        )


class ConferenceActionRows(forms.BaseFormSet):  # type: ignore[type-arg]
    """Every row counts as an extra row, so rows carried over by "add a row" may stay empty."""

    def initial_form_count(self) -> int:
        return 0

    def action_details(self) -> list[ActionDetails]:
        return [
            form.details()
            for form in self.forms
            if isinstance(form, ConferenceActionForm) and form.is_filled()
        ]


ACTION_ROWS = 3


def conference_action_rows(rows: int = ACTION_ROWS) -> type[ConferenceActionRows]:
    made = forms.formset_factory(
        ConferenceActionForm, formset=ConferenceActionRows, extra=rows, max_num=20
    )
    assert issubclass(made, ConferenceActionRows)  # noqa: S101 - built from it just above
    return made


class FollowUpForm(forms.Form):
    due_on = forms.DateField(label=_("Due date"), widget=_date_widget())
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("What to check, e.g. “whether the legal aid appointment took place”."),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=[("", "—"), *ContactMode.choices])

    def clean_due_on(self) -> Any:
        day = self.cleaned_data["due_on"]
        problem = rules.follow_up_due_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def details(self) -> FollowUpDetails:
        data = self.cleaned_data
        return FollowUpDetails(
            due_on=data["due_on"], purpose=data["purpose"], mode=ContactMode(data["mode"])
        )


class FollowUpRecordForm(forms.Form):
    """What happened at a follow-up, and when the next one is due (if there is one)."""

    done_at = forms.DateTimeField(label=_("Done at"), widget=_datetime_widget())
    outcome = forms.CharField(label=_("Outcome"), widget=_text(5))
    next_due_on = forms.DateField(
        label=_("Next follow-up on"),
        required=False,
        widget=_date_widget(),
        help_text=_("Leave empty if no further follow-up is planned yet."),
    )
    next_purpose = forms.CharField(
        label=_("Purpose of the next follow-up"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to keep the same purpose."),
    )
    next_mode = forms.ChoiceField(
        label=_("Mode of the next follow-up"),
        choices=[("", _("Same as this one")), *ContactMode.choices],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, purpose: str, mode: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purpose = purpose
        self.mode = mode
        self.fields["done_at"].initial = _now_minute

    def clean_done_at(self) -> Any:
        at = self.cleaned_data["done_at"]
        problem = rules.done_time_problem(at)
        if problem:
            raise forms.ValidationError(problem)
        return at

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        next_due = data.get("next_due_on")
        done_at = data.get("done_at")
        if next_due is not None and done_at is not None:
            problem = rules.follow_up_due_problem(next_due, not_before=timezone.localdate(done_at))
            if problem:
                self.add_error("next_due_on", problem)
        return data

    def recorded_outcome(self) -> FollowUpOutcome:
        data = self.cleaned_data
        following = None
        if data["next_due_on"] is not None:
            following = FollowUpDetails(
                due_on=data["next_due_on"],
                purpose=data["next_purpose"] or self.purpose,
                mode=ContactMode(data["next_mode"] or self.mode),
            )
        return FollowUpOutcome(
            done_at=data["done_at"], outcome=data["outcome"], next_follow_up=following
        )


class StartFollowUpForm(FollowUpForm):
    """Moving to follow-up; the first follow-up is asked for only when none is scheduled."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, needs_first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_first:
            for name in ("due_on", "purpose", "mode"):
                del self.fields[name]

    def first_follow_up(self) -> FollowUpDetails | None:
        return self.details() if "due_on" in self.fields else None


class ResumeImplementationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the case goes back to implementation"),
        widget=_text(3),
        help_text=_("E.g. a new need came up at the follow-up, or the situation changed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
