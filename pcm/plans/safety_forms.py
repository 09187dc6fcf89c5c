"""Forms for the safety plan and its emergency contacts (extra empty rows add contacts)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.plans.drafts import ContactInput, SafetyPlanInput
from pcm.plans.forms import DATE_INPUT, MAX_ROWS, BaseRowFormSet, RowForm, kept_forms
from pcm.plans.safety import SafetyPlan

EXTRA_CONTACTS = 2
_PHONE = re.compile(r"^\+?[0-9 ()\-]{3,30}$")


def _textarea() -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 3})


class SafetyPlanForm(forms.Form):
    warning_signs = forms.CharField(
        label=_("Warning signs"),
        max_length=4000,
        required=False,
        widget=_textarea(),
        help_text=_("What tells the service user that danger is coming."),
    )
    safe_places = forms.CharField(
        label=_("Safe places"),
        max_length=4000,
        required=False,
        widget=_textarea(),
        help_text=_("Where they can go to be safe."),
    )
    safe_people = forms.CharField(
        label=_("Safe people"),
        max_length=4000,
        required=False,
        widget=_textarea(),
        help_text=_("Whom they trust and can turn to."),
    )
    emergency_steps = forms.CharField(
        label=_("What to do in an emergency"),
        max_length=4000,
        required=False,
        widget=_textarea(),
        help_text=_("The steps to take, in order, when they are in danger."),
    )
    reviewed_on = forms.DateField(
        label=_("Reviewed with the service user on"), required=False, widget=DATE_INPUT
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_reviewed_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("reviewed_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The review date cannot be in the future."))
        return value


class ContactForm(RowForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    relationship = forms.CharField(
        label=_("Relationship or service"), max_length=200, required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_changed():
            return data
        if not data.get("name", "").strip():
            self.add_error("name", _("Give the contact's name, or mark the row to be removed."))
        phone = data.get("phone", "").strip()
        if not phone:
            self.add_error("phone", _("Give a phone number to call."))
        elif not _PHONE.match(phone):
            self.add_error("phone", _("Use digits, spaces and an optional leading +."))
        return data

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("name", "").strip()


ContactFormSet = forms.formset_factory(
    ContactForm,
    formset=BaseRowFormSet,
    extra=EXTRA_CONTACTS,
    can_delete=True,
    max_num=MAX_ROWS,
    validate_max=True,
)


class SafetyPlanEditor:
    """The safety plan form and its contacts, read and validated together."""

    def __init__(self, data: Any | None = None, *, plan: SafetyPlan | None = None) -> None:
        initial: dict[str, Any] = {"version": plan.version if plan else None}
        if plan is not None:
            for name in ("warning_signs", "safe_places", "safe_people", "emergency_steps"):
                initial[name] = getattr(plan, name)
            initial["reviewed_on"] = plan.reviewed_on
        self.form = SafetyPlanForm(data, initial=initial)
        self.contacts = ContactFormSet(
            data,
            prefix="contacts",
            initial=[
                {"name": c.name, "relationship": c.relationship, "phone": c.phone}
                for c in (plan.emergency_contacts.all() if plan else [])
            ],
        )

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.contacts.is_valid()])

    def data(self) -> SafetyPlanInput:
        cleaned = self.form.cleaned_data
        return SafetyPlanInput(
            warning_signs=cleaned["warning_signs"],
            safe_places=cleaned["safe_places"],
            safe_people=cleaned["safe_people"],
            emergency_steps=cleaned["emergency_steps"],
            reviewed_on=cleaned["reviewed_on"],
            contacts=[
                ContactInput(
                    name=form.cleaned_data["name"].strip(),
                    phone=form.cleaned_data["phone"].strip(),
                    relationship=form.cleaned_data["relationship"].strip(),
                )
                for form in kept_forms(self.contacts)
            ],
        )

    @property
    def expected_version(self) -> int | None:
        value: int | None = self.form.cleaned_data.get("version")
        return value
