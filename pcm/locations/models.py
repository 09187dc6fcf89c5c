"""Administrative areas: a hierarchy (country > governorate > district > ...) keyed by P-code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Location(models.Model):
    """An administrative area as the humanitarian common operational datasets name it."""

    pcode = models.CharField(
        _("P-code"),
        max_length=32,
        unique=True,
        help_text=_("The place code from the common operational dataset, e.g. IQ01."),
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(
        _("administrative level"), help_text=_("0 for a country, 1 for its first subdivision…")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.pcode})"
