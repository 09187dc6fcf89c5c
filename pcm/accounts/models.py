"""Agencies, offices, teams and the users who work in them, each with one role."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    MEAL_OFFICER = "meal_officer", _("MEAL officer")
    PROVIDER_FOCAL_POINT = "provider_focal_point", _("Service-provider focal point")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Reviews the agency's audit trail; sees no case content.
    AUDITOR = "auditor", _("Auditor")


class Agency(models.Model):
    """An organisation running PCM; its code and country prefix every case number."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]{1,7}$",
                _("Use 2 to 8 capital letters or digits, starting with a letter, e.g. NRC."),
            )
        ],
        help_text=_("Short code that starts every case number, e.g. NRC."),
    )
    country_code = models.CharField(
        _("country code"),
        max_length=2,
        validators=[
            RegexValidator(r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166, e.g. IQ."))
        ],
        help_text=_("ISO 3166 country of operation, e.g. IQ; it follows the agency code."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    is_active = models.BooleanField(_("active"), default=True)
    # First-response deadlines by risk level (guide, module 4: high 24 h, medium 3 d, low 7 d).
    response_hours_high = models.PositiveIntegerField(
        _("first response for high risk (hours)"), default=24
    )
    response_hours_medium = models.PositiveIntegerField(
        _("first response for medium risk (hours)"), default=72
    )
    response_hours_low = models.PositiveIntegerField(
        _("first response for low risk (hours)"), default=168
    )
    # Closed cases are anonymised this long after closure (identifying fields erased).
    retention_months = models.PositiveIntegerField(
        _("anonymise closed cases after (months)"), default=24
    )
    # Which groups of fields each role sees, where the agency differs from the defaults of
    # pcm.access.fields: {"manager": ["identity", ...], ...}.
    field_visibility = models.JSONField(_("fields each role sees"), default=dict, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def case_number_prefix(self) -> str:
        return f"{self.code}-{self.country_code}"

    def response_time(self, risk_level: str) -> timedelta:
        """How soon the first response is due for a case of RISK_LEVEL in this agency."""
        hours = {
            "high": self.response_hours_high,
            "medium": self.response_hours_medium,
            "low": self.response_hours_low,
        }[risk_level]
        return timedelta(hours=hours)


class Office(models.Model):
    """A place an agency works from; teams belong to an office."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="offices"
    )
    name = models.CharField(_("name"), max_length=200)
    location = models.ForeignKey(
        "locations.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="office_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A supervisor and the caseworkers they back (about one supervisor to six caseworkers)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="teams"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    name = models.CharField(_("name"), max_length=200)
    supervisor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_teams",
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_name_unique_in_agency")
        ]

    def __str__(self) -> str:
        return self.name


class PCMUserManager(UserManager["User"]):
    """`manage.py createsuperuser` makes an administrator: the first account of an install."""

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who signs in to PCM: one agency, one role, and for caseworkers one team."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text=_("The team a caseworker works in."),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    email_notifications = models.BooleanField(
        _("e-mail me about new notifications"),
        default=False,
        help_text=_("The e-mail carries a link only, never anything about the service user."),
    )
    # Part of the session hash: replacing it signs the user out of every session at once.
    session_token = models.CharField(max_length=64, default="", editable=False)

    objects: ClassVar[PCMUserManager] = PCMUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        indexes = [models.Index(fields=["agency", "role"], name="user_agency_role_idx")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "pcm.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, self.password + self.session_token, secret=secret, algorithm="sha256"
        ).hexdigest()

    def rotate_session_token(self) -> None:
        """Invalidate every existing session of this user (sign out everywhere)."""
        self.session_token = secrets.token_hex(32)

    @property
    def is_caseworker(self) -> bool:
        return self.role == Role.CASEWORKER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR
