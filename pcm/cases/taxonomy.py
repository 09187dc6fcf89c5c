"""The protection risk taxonomy: each agency's risk types, from the Protection Analytical
Framework's fifteen risks by default (shared/domain/protection-risks.md), editable by a manager.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskCategory(models.TextChoices):
    VIOLENCE = "violence", _("Violence")
    COERCION = "coercion", _("Coercion")
    DEPRIVATION = "deprivation", _("Deliberate deprivation")


class SpecialisedRoute(models.TextChoices):
    """Where a risk belongs first; PCM routes children and GBV survivors to specialised care."""

    NONE = "", _("None: PCM")
    CHILD_PROTECTION = "child_protection", _("Child protection (children)")
    GBV = "gbv", _("Gender-based violence case management")
    CHILD_PROTECTION_OR_GBV = "child_protection_gbv", _("Child protection or GBV")
    IN_COORDINATION = "coordination", _("PCM, in coordination with a specialised actor")


class RiskType(models.Model):
    """A protection risk type (or a local sub-type) an agency screens and assesses against."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.CASCADE, related_name="risk_types"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    specialised_route = models.CharField(
        _("specialised route"), max_length=30, choices=SpecialisedRoute.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("sub-type of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_types",
    )
    description = models.TextField(_("description and examples"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("protection risk type")
        verbose_name_plural = _("protection risk types")
        ordering = ["agency_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="risk_type_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def routes_to_gbv(self) -> bool:
        return self.specialised_route in (
            SpecialisedRoute.GBV,
            SpecialisedRoute.CHILD_PROTECTION_OR_GBV,
        )


C = RiskCategory
R = SpecialisedRoute
# (code, name, category, specialised route) — the Global Protection Cluster's fifteen risks.
DEFAULT_RISK_TYPES: tuple[tuple[str, str, RiskCategory, SpecialisedRoute], ...] = (
    (
        "PAF-01",
        "Abduction, kidnapping, enforced disappearance, arbitrary or unlawful arrest "
        "and/or detention",
        C.VIOLENCE,
        R.NONE,
    ),
    (
        "PAF-02",
        "Attacks on civilians and other unlawful killings, and attacks on civilian objects",
        C.VIOLENCE,
        R.NONE,
    ),
    ("PAF-03", "Child and forced family separation", C.DEPRIVATION, R.CHILD_PROTECTION),
    ("PAF-04", "Child, early or forced marriage", C.COERCION, R.CHILD_PROTECTION_OR_GBV),
    (
        "PAF-05",
        "Discrimination and stigmatization, denial of resources, opportunities, "
        "services and/or humanitarian access",
        C.DEPRIVATION,
        R.NONE,
    ),
    ("PAF-06", "Disinformation and denial of access to information", C.DEPRIVATION, R.NONE),
    (
        "PAF-07",
        "Forced recruitment and association of children in armed forces and groups",
        C.COERCION,
        R.CHILD_PROTECTION,
    ),
    ("PAF-08", "Gender-based violence", C.VIOLENCE, R.GBV),
    (
        "PAF-09",
        "Impediments and/or restrictions to access to legal identity, remedies and justice",
        C.DEPRIVATION,
        R.NONE,
    ),
    ("PAF-10", "Presence of mine and other explosive ordnance", C.VIOLENCE, R.IN_COORDINATION),
    ("PAF-11", "Psychological/emotional abuse or inflicted distress", C.VIOLENCE, R.NONE),
    (
        "PAF-12",
        "Theft, extortion, forced eviction or destruction of personal property",
        C.COERCION,
        R.IN_COORDINATION,
    ),
    ("PAF-13", "Torture or cruel, inhuman, degrading treatment or punishment", C.VIOLENCE, R.NONE),
    (
        "PAF-14",
        "Trafficking in persons, forced labour or slavery-like practices",
        C.COERCION,
        R.NONE,
    ),
    (
        "PAF-15",
        "Unlawful impediments or restrictions to freedom of movement, siege and forced "
        "displacement",
        C.DEPRIVATION,
        R.NONE,
    ),
)


def ensure_default_taxonomy(agency_id: int) -> None:
    """Give an agency the default risk types it does not have yet (by code)."""
    existing = set(RiskType.objects.filter(agency_id=agency_id).values_list("code", flat=True))
    RiskType.objects.bulk_create(
        RiskType(
            agency_id=agency_id, code=code, name=name, category=category, specialised_route=route
        )
        for code, name, category, route in DEFAULT_RISK_TYPES
        if code not in existing
    )
