"""Service users: the adults PCM supports. Identifying fields live here and only here."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcm.vault.fields import EncryptedCharField, EncryptedTextField

if TYPE_CHECKING:
    from pcm.accounts.models import User


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Prefers not to say")


class DisplacementStatus(models.TextChoices):
    IDP = "idp", _("Internally displaced person")
    REFUGEE = "refugee", _("Refugee")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    RETURNEE = "returnee", _("Returnee")
    STATELESS = "stateless", _("Stateless")
    HOST_COMMUNITY = "host_community", _("Host community (not displaced)")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    """Languages a service user speaks (extendable per context)."""

    ARABIC = "ar", _("Arabic")
    KURDISH = "ku", _("Kurdish")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    HAUSA = "ha", _("Hausa")
    KANURI = "kr", _("Kanuri")
    BURMESE = "my", _("Burmese")
    ROHINGYA = "rhg", _("Rohingya")
    SOMALI = "so", _("Somali")
    PERSIAN = "fa", _("Persian (Dari/Farsi)")
    PASHTO = "ps", _("Pashto")
    TURKISH = "tr", _("Turkish")
    SPANISH = "es", _("Spanish")
    OTHER = "other", _("Other")


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> PersonQuerySet:
        """The people USER may see, by the access policy."""
        from pcm.access.policy import people_visible_to

        return people_visible_to(user, self)


class Person(models.Model):
    """A service user, registered by one agency."""

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    given_name = EncryptedCharField(_("given name"), max_length=150)
    family_name = EncryptedCharField(_("family name"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    date_of_birth_is_estimated = models.BooleanField(
        _("date of birth is estimated"),
        default=False,
        help_text=_("Set when only an estimated age is known."),
    )
    phone = EncryptedCharField(_("phone number"), max_length=32, blank=True)
    address = EncryptedTextField(_("exact address"), blank=True)
    id_document_number = EncryptedCharField(
        _("identity document number"), max_length=60, blank=True
    )
    location = models.ForeignKey(
        "locations.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    displacement_status = models.CharField(
        _("displacement status"), max_length=32, choices=DisplacementStatus.choices
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    registered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # When retention or an erasure request erased the identifying fields.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # Incremented by every edit; an edit that started from an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("service user")
        verbose_name_plural = _("service users")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages]


class PersonToken(models.Model):
    """One blind-index hash of a person's name or phone (see pcm.vault.blind)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    digest = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["digest", "person"], name="person_token_digest_idx")]
        constraints = [
            models.UniqueConstraint(fields=["person", "digest"], name="person_token_unique")
        ]

    def __str__(self) -> str:
        return f"index entry of person {self.person_id}"


class DuplicateReason(models.TextChoices):
    NAME_DOB_LOCATION = "name_dob_location", _("Same name, close date of birth, same location")
    PHONE = "phone", _("Same phone number")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    LINKED = "linked", _("Same person: linked")
    DISMISSED = "dismissed", _("Different people")


class DuplicateFlag(models.Model):
    """Two registrations of one agency that may be the same person, found by blind indexes.

    PERSON is the later registration, CANDIDATE the earlier one. A flag is shown only to users
    who may see both people; resolving it links them (the same person) or dismisses it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("service user"), on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        Person,
        verbose_name=_("possibly the same as"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DuplicateReason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    created_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    resolved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # Why it was linked or dismissed; free text, so encrypted like every note.
    resolution_note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["person", "candidate"], name="duplicate_flag_unique"),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("candidate")), name="duplicate_flag_two_people"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="duplicate_flag_status_idx"),
            models.Index(fields=["candidate", "status"], name="duplicate_flag_candidate_idx"),
        ]

    def __str__(self) -> str:
        return f"possible duplicate {self.public_id}"
