"""Re-authentication before sensitive actions: "Confirm it's you".

Sensitive actions (exports of personal data, break-glass, consent override, purge) ask for the
password and the second factor again when the user has not confirmed them in the last
`settings.PCM_REAUTH_SECONDS` (5 minutes by default). Usage, after `login_required`:

    from pcm.accounts.reauth import require_recent_confirmation

    @login_required
    @require_recent_confirmation
    @require_http_methods(["GET", "POST"])
    def export(request, public_id): ...

Guard the GET of a form page as well as its POST, so that the user confirms before filling the
form in. Without a recent confirmation the decorator redirects to the "Confirm it's you" page
with `?next=<the page's path>` (for a POST: the same-site page the form was sent from, as the
form's data cannot be carried over; an htmx request gets an `HX-Redirect`). After confirming,
the user comes back to that path.

Refuse users who may never do the action before this decorator (a role check in a decorator
above it), so they are not asked to confirm for nothing. In the role matrix
(`<app>/tests/routes.py`), a guarded GET page answers 302 to a signed-in client that has not
confirmed: give its Route `ok_statuses={200, 302}`. In tests, give a signed-in client a recent
confirmation with:

    from pcm.accounts.reauth import mark_confirmed

    session = client.session
    mark_confirmed(session)
    session.save()

A wrong password or code is audited (`pcm.accounts.events.ReauthEvent.FAILED`) and counts
toward the account's lock-out exactly like a failed sign-in; the failure that reaches the limit
also ends the session.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from pcm.accounts import twofactor
from pcm.accounts.events import ReauthEvent
from pcm.accounts.models import User
from pcm.audit.actions import record_event

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

# When the user last confirmed their password and second factor (seconds since the epoch).
CONFIRMED_AT = "pcm_reauth_confirmed_at"

View = Callable[..., HttpResponse]


class Confirmation(enum.Enum):
    CONFIRMED = "confirmed"
    WRONG = "wrong"  # the password or the code (the answer does not say which)
    THROTTLED = "throttled"  # wrong codes in a row: django-otp makes the user wait
    LOCKED_OUT = "locked_out"  # too many failures: the account is locked for a while


def window_seconds() -> int:
    return int(settings.PCM_REAUTH_SECONDS)


def mark_confirmed(session: SessionBase) -> None:
    """Record in SESSION that its user has just confirmed their identity."""
    session[CONFIRMED_AT] = time.time()


def confirmed_recently(request: HttpRequest) -> bool:
    """Whether the signed-in user confirmed their identity within the window."""
    confirmed_at = request.session.get(CONFIRMED_AT)
    if not isinstance(confirmed_at, int | float):
        return False
    age = time.time() - confirmed_at
    return 0 <= age <= window_seconds()


def needs_code(user: User) -> bool:
    """A second factor is asked for whenever the user has one (always, where 2FA is required)."""
    return bool(settings.REQUIRE_2FA) or twofactor.has_confirmed_totp(user)


def safe_next(request: HttpRequest, target: str | None) -> str | None:
    """TARGET if it is a path on this site (not the confirmation page itself), else None."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 32 or char == "\\" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    if parts.path == reverse("accounts:confirm"):
        return None
    return target


def confirm_url(next_path: str | None) -> str:
    url = reverse("accounts:confirm")
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _return_path(request: HttpRequest) -> str | None:
    """Where to come back after confirming: this page, or for a POST the page it came from."""
    if request.method in ("GET", "HEAD"):
        return safe_next(request, request.path)
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc == request.get_host():
        return safe_next(request, parts.path)
    return None


def require_recent_confirmation(view: View) -> View:
    """Decorate a sensitive view: without a confirmation in the last PCM_REAUTH_SECONDS, send
    the user to "Confirm it's you" (?next=<path>) and back. Put it after login_required."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not isinstance(request.user, User):
            return redirect_to_login(request.get_full_path())
        if confirmed_recently(request):
            return view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            messages.warning(
                request,
                _(
                    "For your safety, confirm it's you before this action. Your form was not "
                    "sent: fill it in again after confirming."
                ),
            )
        return _redirect(request, confirm_url(_return_path(request)))

    return wrapper


def _throttled(user: User, token: str) -> bool:
    """A TOTP code while django-otp makes the user wait (checked before anything else)."""
    if not token.strip().replace(" ", "").isdigit():
        return False
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device is not None and twofactor.is_throttled(device)


def _failed(request: HttpRequest, user: User, what: str) -> Confirmation:
    """Audit a failure and count it toward the lock-out; at the limit, end the session."""
    record_event(
        ReauthEvent.FAILED, actor=user, target=user, agency=user.agency, detail={"failed": what}
    )
    credentials = {"username": user.get_username()}
    AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return Confirmation.LOCKED_OUT
    return Confirmation.WRONG


def confirm_identity(request: HttpRequest, user: User, password: str, token: str) -> Confirmation:
    """Check USER's password and second factor (a TOTP or an unused backup code) again.

    On success the session records the time (see `confirmed_recently`). A backup code is used up
    only when the password is right."""
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials=credentials):
        record_event(
            ReauthEvent.FAILED,
            actor=user,
            target=user,
            agency=user.agency,
            detail={"failed": "locked_out"},
        )
        return Confirmation.LOCKED_OUT
    with_code = needs_code(user)
    if with_code and _throttled(user, token):
        record_event(
            ReauthEvent.FAILED,
            actor=user,
            target=user,
            agency=user.agency,
            detail={"failed": "throttled"},
        )
        return Confirmation.THROTTLED
    if not user.check_password(password):
        return _failed(request, user, "password")
    method = "password"
    if with_code:
        outcome = twofactor.verify_second_factor(request, user, token)
        if outcome is twofactor.Outcome.THROTTLED:
            return Confirmation.THROTTLED
        if outcome is not twofactor.Outcome.VERIFIED:
            return _failed(request, user, "code")
        method = "totp" if token.strip().replace(" ", "").isdigit() else "backup_code"
    mark_confirmed(request.session)
    axes_reset(username=user.get_username())
    record_event(
        ReauthEvent.CONFIRMED,
        actor=user,
        target=user,
        agency=user.agency,
        detail={"method": method},
    )
    return Confirmation.CONFIRMED
