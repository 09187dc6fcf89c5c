"""The service directory: providers and the services they offer, kept by an agency's managers.

Focal points are staff of the providers, not service users: their contact details are plain
fields. Nothing about any service user is stored here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    HEALTH = "health", _("Health")
    LEGAL = "legal", _("Legal aid")
    SHELTER = "shelter", _("Shelter")
    CASH = "cash", _("Cash assistance")
    MHPSS = "mhpss", _("Mental health and psychosocial support")
    LIVELIHOODS = "livelihoods", _("Livelihoods")
    EDUCATION = "education", _("Education")
    CHILD_PROTECTION = "child_protection", _("Specialised child protection")
    GBV = "gbv", _("GBV case management")
    OTHER = "other", _("Other")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    SUBSIDISED = "subsidised", _("Subsidised")
    PAID = "paid", _("Paid")


class Provider(models.Model):
    """An organisation offering services, as listed in one agency's directory."""

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("directory of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("organisation name"), max_length=200)
    pcm_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency in PCM"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Set when the provider uses PCM too."),
    )
    focal_point_name = models.CharField(_("focal point"), max_length=150, blank=True)
    focal_point_phone = models.CharField(_("focal point phone"), max_length=32, blank=True)
    focal_point_email = models.EmailField(_("focal point e-mail"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="provider_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("service name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    locations = models.ManyToManyField(
        "locations.Location",
        verbose_name=_("areas served"),
        related_name="+",
        help_text=_("A service in an area also serves the areas inside it."),
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    serves_female = models.BooleanField(_("serves women and girls"), default=True)
    serves_male = models.BooleanField(_("serves men and boys"), default=True)
    serves_other = models.BooleanField(_("serves people of other sexes"), default=True)
    eligibility_notes = models.TextField(
        _("nationality and documentation"),
        blank=True,
        help_text=_("Who qualifies, e.g. which nationalities or documents are needed."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    accessible = models.BooleanField(_("accessible for persons with disabilities"), default=False)
    accessibility_note = models.CharField(_("accessibility details"), max_length=300, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    cost = models.CharField(_("cost"), max_length=16, choices=Cost.choices, default=Cost.FREE)
    how_to_refer = models.TextField(_("how to refer"), blank=True)
    response_days = models.PositiveSmallIntegerField(
        _("expected response (days)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["sector", "name", "id"]
        indexes = [models.Index(fields=["sector", "is_active"], name="service_sector_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def language_labels(self) -> list[str]:
        from pcm.people.models import Language

        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class DirectoryEvent(models.TextChoices):
    """Audit events of the directory as a spreadsheet (one per file, not per row)."""

    EXPORTED = "service_directory_exported", _("Service directory exported")
    IMPORTED = "service_directory_imported", _("Service directory imported")
    IMPORT_REJECTED = "service_directory_import_rejected", _("Service directory import rejected")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    CSV = "csv", _("CSV (UTF-8)")


class DirectoryImport(models.Model):
    """A directory file uploaded by a manager, checked and imported by a background job.

    The file is kept encrypted only until the job ends. What came of it (the errors found, or
    how many providers and services were created, updated or left unchanged) stays for the
    page that reports it.
    """

    job = models.OneToOneField("jobs.Job", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    file_format = models.CharField(_("file type"), max_length=4, choices=FileFormat.choices)
    # The uploaded bytes, sealed with pcm.vault.crypto; emptied when the job ends.
    content = models.BinaryField(default=b"", editable=False)
    rows = models.PositiveIntegerField(default=0)
    # [row number, column title, message] in the language of the person who imported, at most
    # ERROR_CAP of them; error_count says how many there were in all.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    providers_created = models.PositiveIntegerField(default=0)
    providers_updated = models.PositiveIntegerField(default=0)
    services_created = models.PositiveIntegerField(default=0)
    services_updated = models.PositiveIntegerField(default=0)
    services_unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("service directory import")
        verbose_name_plural = _("service directory imports")

    def __str__(self) -> str:
        return f"directory import {self.job_id}"
