"""The household of a case: a risk to one member is often a risk to others."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedCharField


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NOT_RELATED = "not_related", _("Not related")


class HouseholdMember(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="household")
    name = EncryptedCharField(_("name"), max_length=200)
    relationship = models.CharField(
        _("relationship to the service user"), max_length=20, choices=Relationship.choices
    )
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=16)
    # When the member has a case of their own, the link (only ever shown to someone who may
    # see that case too).
    own_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("their own case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at_risk = models.BooleanField(_("also at risk"), default=False)
    note = EncryptedCharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.name)
