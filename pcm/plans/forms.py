"""Forms for preparing a plan draft (goals and actions), deciding on it, and reviewing it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.plans.drafts import ActionInput, GoalInput, PlanDraft
from pcm.plans.models import ActionOwner, ActionStatus, PlanVersion

MAX_ROWS = 30
EXTRA_GOALS = 2
EXTRA_ACTIONS = 3
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FAR_FUTURE = timedelta(days=5 * 366)


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RowForm(forms.Form):
    """A row of a formset that may be left empty (then ignored)."""

    def is_blank(self) -> bool:
        raise NotImplementedError


class GoalForm(RowForm):
    """One goal; an empty row is ignored, so extra rows add goals without JavaScript."""

    description = forms.CharField(
        label=_("Goal"), max_length=2000, required=False, widget=_textarea()
    )

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("description", "").strip()


class ActionForm(RowForm):
    """One action; an untouched extra row is ignored."""

    key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("Action"), max_length=2000, required=False, widget=_textarea()
    )
    owner = forms.ChoiceField(
        label=_("Who does it"), choices=ActionOwner.choices, initial=ActionOwner.CASEWORKER
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.TO_DO
    )
    goal = forms.TypedChoiceField(label=_("For goal"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, goal_count: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field: forms.TypedChoiceField = self.fields["goal"]  # type: ignore[assignment]
        choice_field.choices = [("", _("No goal in particular"))] + [
            (str(number), _("Goal %(number)s") % {"number": number})
            for number in range(1, goal_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.has_changed() and not data.get("description", "").strip():
            self.add_error("description", _("Describe the action, or mark the row to be removed."))
        due_on = data.get("due_on")
        if due_on is not None and due_on > timezone.localdate() + FAR_FUTURE:
            self.add_error("due_on", _("Choose a due date within the next five years."))
        return data

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("description", "").strip()


class BaseRowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")


def kept_forms(formset: forms.BaseFormSet[Any]) -> list[Any]:
    """The rows that hold something and are not marked for removal."""
    return [
        form
        for form in formset.forms
        if isinstance(form, RowForm)
        and form.is_valid()
        and not (formset.can_delete and form.cleaned_data.get("DELETE"))
        and not form.is_blank()
    ]


GoalFormSet = forms.formset_factory(
    GoalForm,
    formset=BaseRowFormSet,
    extra=EXTRA_GOALS,
    can_delete=True,
    max_num=MAX_ROWS,
    validate_max=True,
)
ActionFormSet = forms.formset_factory(
    ActionForm,
    formset=BaseRowFormSet,
    extra=EXTRA_ACTIONS,
    can_delete=True,
    max_num=MAX_ROWS,
    validate_max=True,
)


class PlanDraftForm(forms.Form):
    """The draft's own fields, and which version it was filled from (optimistic locking)."""

    review_on = forms.DateField(
        label=_("Review the plan by"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("When you will sit down with the service user to review progress."),
    )
    based_on_number = forms.IntegerField(required=False, widget=forms.HiddenInput)
    based_on_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_review_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("review_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The review date cannot be in the past."))
        return value


class PlanEditor:
    """The draft form and its two formsets, read and validated together."""

    def __init__(self, data: Any | None = None, *, base: PlanVersion | None = None) -> None:
        goals = list(base.goals.all()) if base else []
        actions = list(base.actions.select_related("goal")) if base else []
        self.form = PlanDraftForm(
            data,
            initial={
                "review_on": base.review_on if base else None,
                "based_on_number": base.number if base else None,
                "based_on_version": base.version if base else None,
            },
        )
        self.goals = GoalFormSet(
            data, prefix="goals", initial=[{"description": g.description} for g in goals]
        )
        goal_rows = _row_count(data, "goals", len(goals) + EXTRA_GOALS)
        goal_numbers = {goal.pk: index + 1 for index, goal in enumerate(goals)}
        self.actions = ActionFormSet(
            data,
            prefix="actions",
            initial=[
                {
                    "key": action.key,
                    "description": action.description,
                    "owner": action.owner,
                    "due_on": action.due_on,
                    "status": action.status,
                    "goal": goal_numbers.get(action.goal_id or 0),
                }
                for action in actions
            ],
            form_kwargs={"goal_count": goal_rows},
        )

    def is_valid(self) -> bool:
        valid = all([self.form.is_valid(), self.goals.is_valid(), self.actions.is_valid()])
        if not valid:
            return False
        if not kept_forms(self.goals):
            self.form.add_error(None, _("Write at least one goal agreed with the service user."))
            return False
        return self._link_goals()

    def _link_goals(self) -> bool:
        """Actions point at goal rows by number; removed or empty goal rows cannot be chosen."""
        kept = kept_forms(self.goals)
        self._goal_index = {
            self.goals.forms.index(form) + 1: index for index, form in enumerate(kept)
        }
        ok = True
        for form in kept_forms(self.actions):
            number = form.cleaned_data.get("goal")
            if number is not None and number not in self._goal_index:
                form.add_error("goal", _("That goal is empty or removed; choose another goal."))
                ok = False
        return ok

    def draft(self) -> PlanDraft:
        """The validated content (call after is_valid)."""
        goals = [
            GoalInput(form.cleaned_data["description"].strip()) for form in kept_forms(self.goals)
        ]
        actions = []
        for form in kept_forms(self.actions):
            data = form.cleaned_data
            number = data.get("goal")
            key = data.get("key")
            actions.append(
                ActionInput(
                    description=data["description"].strip(),
                    owner=ActionOwner(data["owner"]),
                    due_on=data.get("due_on"),
                    status=ActionStatus(data["status"]),
                    goal_index=self._goal_index[number] if number is not None else None,
                    key=key if isinstance(key, uuid.UUID) else None,
                )
            )
        return PlanDraft(
            goals=goals, actions=actions, review_on=self.form.cleaned_data["review_on"]
        )


def _row_count(data: Any | None, prefix: str, default: int) -> int:
    """How many goal rows the page has, so actions can point at any of them."""
    if data is None:
        return min(default, MAX_ROWS)
    try:
        return min(int(data.get(f"{prefix}-TOTAL_FORMS", default)), MAX_ROWS)
    except (TypeError, ValueError):
        return min(default, MAX_ROWS)


class SubmitPlanForm(forms.Form):
    agreed_with_service_user = forms.BooleanField(
        label=_("I went through these goals and actions with the service user and they agree."),
        required=True,
        error_messages={
            "required": _("Confirm that the service user agrees with the plan before submitting.")
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApprovePlanForm(forms.Form):
    # Shown beside the send-back form: its own ids keep each label on its own field.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "approve_%s")
        super().__init__(*args, **kwargs)

    comment = forms.CharField(
        label=_("Comment for the caseworker (optional)"),
        max_length=4000,
        required=False,
        widget=_textarea(3),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SendBackPlanForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "send_back_%s")
        super().__init__(*args, **kwargs)

    comment = forms.CharField(
        label=_("What should the caseworker change?"),
        max_length=4000,
        widget=_textarea(3),
        error_messages={"required": _("Say in a comment what the caseworker should change.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanReviewForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome of the review"),
        max_length=4000,
        widget=_textarea(4),
        help_text=_("What has changed for the service user, and what happens next."),
    )
    next_review_on = forms.DateField(label=_("Next review by"), required=False, widget=DATE_INPUT)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_next_review_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("next_review_on")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("The next review must be after today."))
        return value
