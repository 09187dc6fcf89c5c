"""Template helpers for field-level visibility (pcm.access.fields).

A page loads what the signed-in user sees of a case once, then asks it field by field:

    {% load visibility %}
    {% field_visibility case as see %}
    {% if see.identity %}{{ person.full_name }}{% else %}{% hidden "identity" %}{% endif %}
    {{ note.narrative|linebreaksbr|narrative:see }}

Lists name the service user with `{% service_user case %}`: the name, or "Identity hidden" with
the age group and sex for a role that does not see names, or "Identity protected" for a case
whose identity its supervisor hid in lists. A template that forgot `field_visibility` fails
(the filter's argument is undefined) rather than show the text.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from pcm.access.fields import FieldGroup, FieldVisibility, shown_in_lists
from pcm.access.fields import field_visibility as visibility_of
from pcm.cases.intake import AgeGroup, age_group
from pcm.cases.models import Case
from pcm.people.models import Person

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


def _placeholders() -> dict[str, str]:
    return {
        FieldGroup.IDENTITY: _("Identity hidden"),
        FieldGroup.CONTACT: _("Contact details hidden"),
        FieldGroup.DOCUMENTS: _("Document number hidden"),
        FieldGroup.RISK: _("Risk hidden"),
        FieldGroup.NARRATIVE: _("Free text hidden for your role"),
    }


def _hidden_html(group: str) -> SafeString:
    text = _placeholders().get(group, _("Hidden for your role"))
    return format_html('<span class="field-hidden text-body-secondary fst-italic">{}</span>', text)


@register.simple_tag(takes_context=True)
def field_visibility(context: template.Context, case: Case | None = None) -> FieldVisibility:
    """What the signed-in user sees of CASE: `see.identity`, `see.contact`, `see.narrative`..."""
    return visibility_of(_user(context), case if isinstance(case, Case) else None)


@register.simple_tag
def hidden(group: str) -> SafeString:
    """The placeholder shown instead of a field of GROUP the user may not see."""
    return _hidden_html(group)


@register.filter
def narrative(value: Any, see: Any) -> Any:
    """VALUE (free text) if SEE lets the user read narratives, else the placeholder."""
    if isinstance(see, FieldVisibility) and see.narrative:
        return value
    return _hidden_html(FieldGroup.NARRATIVE)


@register.simple_tag
def age_group_of(person: Person) -> str:
    """The person's age band (e.g. "25 to 59"), or "—" without a date of birth."""
    age = person.age
    return str(AgeGroup(age_group(age)).label) if age is not None else "—"


def profile_text(person: Person) -> str:
    """Sex and age group: never identifying on their own."""
    return _("%(sex)s, %(age_group)s") % {
        "sex": person.get_sex_display(),
        "age_group": age_group_of(person),
    }


@register.simple_tag(takes_context=True)
def service_user(context: template.Context, case: Case) -> SafeString:
    """Who CASE is about, as a list shows it to the signed-in user."""
    user = _user(context)
    if case.identity_hidden:
        return format_html(
            '<span class="identity-protected text-body-secondary">{}</span>',
            _("Identity protected"),
        )
    if shown_in_lists(user, case):
        return format_html("{}", case.person.full_name)
    return format_html(
        '{} <span class="small">· {}</span>',
        _hidden_html(FieldGroup.IDENTITY),
        profile_text(case.person),
    )
