"""Forms of step 6: closure request and decision, survey, reopening, transfer and its decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pcm.accounts.models import Agency, Role, Team, User
from pcm.cases.forms import CaseworkerChoiceField
from pcm.closure.actions import SurveyAnswers
from pcm.closure.models import (
    MIN_CONTACT_ATTEMPTS,
    ClosureCriterion,
    SurveyOutcome,
    WouldRecommend,
)


class ClosureRequestForm(forms.Form):
    criterion = forms.ChoiceField(
        label=_("Closure criterion"),
        choices=ClosureCriterion.choices,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("Closing summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What was done, how the risk and needs stand now, and why the case can close. For "
            "“unreachable”, list the date and means of every contact attempt."
        ),
    )
    contact_attempts = forms.IntegerField(
        label=_("Number of contact attempts"),
        required=False,
        min_value=0,
        max_value=99,
        help_text=_("Only for “unreachable”: at least %(minimum)d attempts.")
        % {"minimum": MIN_CONTACT_ATTEMPTS},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        attempts = data.get("contact_attempts")
        if data.get("criterion") == ClosureCriterion.UNREACHABLE and (
            attempts is None or attempts < MIN_CONTACT_ATTEMPTS
        ):
            self.add_error(
                "contact_attempts",
                _(
                    "A case closes as unreachable only after at least %(minimum)d contact "
                    "attempts: give their number, and their dates in the summary."
                )
                % {"minimum": MIN_CONTACT_ATTEMPTS},
            )
        return data


class DecisionForm(forms.Form):
    """Approve: the version of the request the supervisor read."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the caseworker"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should be done before the case can close."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


SCALE = [
    (1, _("1 — not at all")),
    (2, _("2 — a little")),
    (3, _("3 — somewhat")),
    (4, _("4 — mostly")),
    (5, _("5 — completely")),
]
QUESTIONS = {
    "overall_satisfaction": _("Overall, are you satisfied with the support you received?"),
    "treated_with_respect": _("Were you treated with dignity and respect?"),
    "felt_safe": _("Did you feel safe, and was your information kept confidential?"),
    "involved_in_decisions": _("Were you involved in the decisions about your case?"),
    "situation_improved": _("Has your situation improved because of the support?"),
}


class SurveyForm(forms.Form):
    """Whether the survey was offered and accepted, and the answers when it was."""

    outcome = forms.ChoiceField(
        label=_("Was the satisfaction survey offered?"),
        choices=SurveyOutcome.choices,
        widget=forms.RadioSelect,
    )
    overall_satisfaction = forms.TypedChoiceField(
        label=QUESTIONS["overall_satisfaction"],
        choices=SCALE,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    treated_with_respect = forms.TypedChoiceField(
        label=QUESTIONS["treated_with_respect"],
        choices=SCALE,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    felt_safe = forms.TypedChoiceField(
        label=QUESTIONS["felt_safe"],
        choices=SCALE,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    involved_in_decisions = forms.TypedChoiceField(
        label=QUESTIONS["involved_in_decisions"],
        choices=SCALE,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    situation_improved = forms.TypedChoiceField(
        label=QUESTIONS["situation_improved"],
        choices=SCALE,
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    would_recommend = forms.ChoiceField(
        label=_("Would you recommend this service to someone in a situation like yours?"),
        choices=WouldRecommend.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you would like to tell us?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The service user's own words, without names or anything that identifies anyone."
        ),
    )

    ANSWER_FIELDS = (*QUESTIONS, "would_recommend")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answered = data.get("outcome") == SurveyOutcome.ANSWERED
        for name in self.ANSWER_FIELDS:
            if answered and data.get(name) in (None, ""):
                self.add_error(name, _("Record the service user's answer to this question."))
        return data

    def answers(self) -> SurveyAnswers | None:
        data = self.cleaned_data
        if data["outcome"] != SurveyOutcome.ANSWERED:
            return None
        return SurveyAnswers(
            overall_satisfaction=data["overall_satisfaction"],
            treated_with_respect=data["treated_with_respect"],
            felt_safe=data["felt_safe"],
            involved_in_decisions=data["involved_in_decisions"],
            situation_improved=data["situation_improved"],
            would_recommend=WouldRecommend(data["would_recommend"]),
            comment=data["comment"],
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What has changed since the case closed. A new assessment starts."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransferRequestForm(forms.Form):
    to_agency = forms.ModelChoiceField(
        label=_("Receiving agency"),
        queryset=Agency.objects.none(),
        help_text=_("The service user's consent must name this agency for sharing."),
    )
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The receiving agency's supervisors read this before they accept: say why the case "
            "should move, without names or details that identify the service user."
        ),
    )

    def __init__(self, *args: Any, from_agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agency"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Agency.objects.filter(is_active=True).exclude(pk=from_agency_id)


class AcceptTransferForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    caseworker = CaseworkerChoiceField(label=_("Caseworker"), queryset=User.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        caseworker = self.fields["caseworker"]
        assert isinstance(team, forms.ModelChoiceField)  # noqa: S101 - declared above
        assert isinstance(caseworker, forms.ModelChoiceField)  # noqa: S101 - declared above
        team.queryset = Team.objects.filter(agency_id=agency_id).order_by("name")
        caseworker.queryset = (
            User.objects.filter(agency_id=agency_id, role=Role.CASEWORKER, is_active=True)
            .exclude(team=None)
            .select_related("team")
            .order_by("first_name", "last_name", "username")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, caseworker = data.get("team"), data.get("caseworker")
        if team is not None and caseworker is not None and caseworker.team_id != team.pk:
            self.add_error("caseworker", _("Choose a caseworker of the chosen team."))
        return data


class DeclineTransferForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The sending agency reads this to find another way to help."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
