"""TOTP enrolment and verification, and one-time backup codes (django-otp devices)."""

from __future__ import annotations

import base64
import enum

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType

ENROLMENT_DEVICE_NAME = "enrolment"
AUTHENTICATOR_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"


def has_confirmed_totp(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (created on first need, reused after)."""
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, name=ENROLMENT_DEVICE_NAME
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=ENROLMENT_DEVICE_NAME)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed in, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// URI (no image library, no external request)."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=4, title="QR code")
    return svg


def confirm_enrolment(request: HttpRequest, user: User, token: str) -> list[str] | Outcome:
    """Confirm the pending authenticator with TOKEN; return fresh backup codes, or why not."""
    device = pending_totp_device(user)
    if is_throttled(device):
        return Outcome.THROTTLED
    if not device.verify_token(token.strip().replace(" ", "")):
        return Outcome.WRONG
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.name = AUTHENTICATOR_DEVICE_NAME
        device.confirmed = True
        device.save()
        codes = regenerate_backup_codes(user)
        record_event(AuditEventType.TWO_FACTOR_ENROLLED, actor=user, target=user)
    otp_login(request, device)
    request.session.cycle_key()
    return codes


def regenerate_backup_codes(user: User) -> list[str]:
    """Replace the user's backup codes with new one-time codes and return them (shown once)."""
    backup, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    backup.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    return codes


def remaining_backup_codes(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


class Outcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"


def is_throttled(device: TOTPDevice) -> bool:
    """django-otp doubles a waiting time after each wrong code, against guessing."""
    allowed, _ = device.verify_is_allowed()
    return not allowed


def verify_second_factor(request: HttpRequest, user: User, token: str) -> Outcome:
    """Check a TOTP code or a backup code (used up on success) and mark the session verified."""
    token = token.strip().replace(" ", "").lower()
    device: TOTPDevice | StaticDevice | None
    if token.isdigit():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and is_throttled(device):
            return Outcome.THROTTLED
    else:
        # Backup codes hold letters, so a TOTP code is never spent against them (and a backup
        # code never counts as a wrong TOTP code).
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(token):
        record_event(AuditEventType.TWO_FACTOR_FAILED, actor=user, target=user)
        return Outcome.WRONG
    otp_login(request, device)
    # A new session id once the second factor raises the session's privilege.
    request.session.cycle_key()
    record_event(
        AuditEventType.TWO_FACTOR_VERIFIED,
        actor=user,
        target=user,
        detail={"method": "backup_code" if isinstance(device, StaticDevice) else "totp"},
    )
    return Outcome.VERIFIED


def reset_second_factor(user: User, *, acting_user: User) -> None:
    """Remove all of USER's devices (lost phone); they enrol again at next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user.rotate_session_token()
        user.save(update_fields=["session_token"])
        record_event(
            AuditEventType.TWO_FACTOR_RESET, actor=acting_user, target=user, agency=user.agency
        )
