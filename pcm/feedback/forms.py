"""Forms of the feedback register: an entry, the register's filters, a step, a handler."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import User
from pcm.feedback.actions import EntryDetails, Step
from pcm.feedback.models import Category, Channel, Kind, Status
from pcm.locations.models import Location

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A posted version beyond the column's range would overflow the database query.
MAX_VERSION = 2**31 - 1


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE_INPUT)
    location = forms.ModelChoiceField(
        label=_("Location"),
        required=False,
        queryset=Location.objects.order_by("level", "name"),
        empty_label=_("Not known or not given"),
    )
    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=40,
        help_text=_("Only if the person has a case you work on, e.g. APN-IQ-2026-00012."),
    )
    description = forms.CharField(
        label=_("What was said"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("In the person's words where possible. Names are not needed."),
    )
    wants_reply = forms.BooleanField(label=_("The person wants a reply"), required=False)
    reply_by = forms.CharField(
        label=_("How to reply"),
        required=False,
        max_length=300,
        help_text=_("Only a way the person chose as safe, e.g. 'call back after 5 pm'."),
    )
    sensitive = forms.BooleanField(
        label=_("Sensitive"),
        required=False,
        help_text=_(
            "E.g. sexual exploitation or abuse, fraud, a risk to someone's safety. Only the "
            "complaints handlers will see it, not you."
        ),
    )
    about_staff = forms.BooleanField(
        label=_("About a staff member"),
        required=False,
        help_text=_("Only the complaints handlers will see it, not you."),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=MAX_VERSION
    )

    def __init__(self, *args: Any, case_kept: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if case_kept:
            # The entry is linked to a case this user cannot see: the link stays as it is.
            del self.fields["case_number"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("reply_by") or "").strip() and not data.get("wants_reply"):
            self.add_error(
                "reply_by", _("Tick 'the person wants a reply', or leave how to reply empty.")
            )
        return data

    def details(self) -> EntryDetails:
        data = self.cleaned_data
        return EntryDetails(
            kind=Kind(data["kind"]),
            channel=Channel(data["channel"]),
            category=Category(data["category"]),
            received_on=data["received_on"],
            description=data["description"],
            location=data["location"],
            wants_reply=data["wants_reply"],
            reply_by=data["reply_by"],
            sensitive=data["sensitive"],
            about_staff=data["about_staff"],
        )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *Category.choices]
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DATE_INPUT)
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("received_from")
        end: date | None = data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("The end of the period is before its start."))
        return data


class StepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[(step, step) for step in (Step.ACKNOWLEDGE, Step.START, Step.RESPOND, Step.CLOSE)],
        widget=forms.HiddenInput,
    )
    on = forms.DateField(label=_("On"), widget=DATE_INPUT)
    response = forms.CharField(
        label=_("Response given"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)


class HandlerForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = candidates
