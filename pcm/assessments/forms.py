"""The assessment form: risks and who poses them, needs, safety, PHQ-9, WG-SS, risk level."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pcm.assessments.actions import AssessmentData
from pcm.assessments.models import (
    PHQ9_FIELDS,
    ImmediateSafety,
    NeedSector,
    PerpetratorType,
)
from pcm.assessments.scoring import PHQ9_ITEMS, WG_DOMAINS, Difficulty, Phq9Answer
from pcm.cases.models import RiskLevel
from pcm.cases.taxonomy import RiskType

TEXT_LIMIT = 5000


def _text(label: str | Any, *, rows: int = 3, help_text: str | Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AssessmentForm(forms.Form):
    """One assessment. The risk fields are the agency's risk types in use, one select each."""

    needs = forms.MultipleChoiceField(
        label=_("Needs by sector"),
        choices=NeedSector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_note = _text(_("About the needs"), rows=2)
    strengths = _text(_("Strengths and coping"))
    support_network = _text(
        _("Support network"),
        help_text=_("Family, friends and community the person can rely on, and how."),
    )
    immediate_safety = forms.ChoiceField(
        label=_("Is the person safe now?"),
        choices=ImmediateSafety.choices,
        widget=forms.RadioSelect,
    )
    safety_note = _text(
        _("About immediate safety"),
        rows=2,
        help_text=_("Required when the person is not safe now: what threatens them, and where."),
    )
    risk_level = forms.ChoiceField(
        label=_("Overall risk level"),
        choices=[("", "—"), *RiskLevel.choices],
        help_text=_("It becomes the case's risk level."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the assessment found, in a few sentences, in the person's own terms."),
    )

    def __init__(self, *args: Any, risk_types: Sequence[RiskType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.risk_types = list(risk_types)
        for risk_type in self.risk_types:
            self.fields[self._risk_field(risk_type)] = forms.ChoiceField(
                label=risk_type.name,
                required=False,
                choices=[("", _("Not identified")), *PerpetratorType.choices],
            )
        for number, (name, item) in enumerate(zip(PHQ9_FIELDS, PHQ9_ITEMS, strict=True), 1):
            self.fields[name] = forms.TypedChoiceField(
                label=format_lazy("{number}. {item}", number=number, item=item),
                choices=Phq9Answer.choices,
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.fields[PHQ9_FIELDS[-1]].help_text = _(
            "Any answer other than “Not at all” raises an immediate safety alert to the "
            "caseworker and the supervisor."
        )
        for name, _domain, question in WG_DOMAINS:
            self.fields[name] = forms.ChoiceField(
                label=question, choices=Difficulty.choices, widget=forms.RadioSelect
            )

    @staticmethod
    def _risk_field(risk_type: RiskType) -> str:
        return f"risk_{risk_type.pk}"

    def risk_fields(self) -> list[forms.BoundField]:
        return [self[self._risk_field(risk_type)] for risk_type in self.risk_types]

    def phq9_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PHQ9_FIELDS]

    def wg_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _domain, _question in WG_DOMAINS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        not_safe = data.get("immediate_safety") == ImmediateSafety.NOT_SAFE
        if not_safe and not data.get("safety_note", "").strip():
            self.add_error("safety_note", _("Say what makes the person unsafe now."))
        return data

    def assessment_data(self) -> AssessmentData:
        data = self.cleaned_data
        return AssessmentData(
            risks=[
                (risk_type, PerpetratorType(data[self._risk_field(risk_type)]))
                for risk_type in self.risk_types
                if data.get(self._risk_field(risk_type))
            ],
            needs=[NeedSector(need) for need in data["needs"]],
            needs_note=data["needs_note"],
            strengths=data["strengths"],
            support_network=data["support_network"],
            immediate_safety=ImmediateSafety(data["immediate_safety"]),
            safety_note=data["safety_note"],
            phq9=[int(data[name]) for name in PHQ9_FIELDS],
            wg=[Difficulty(data[name]) for name, _domain, _question in WG_DOMAINS],
            risk_level=RiskLevel(data["risk_level"]),
            summary=data["summary"],
        )
