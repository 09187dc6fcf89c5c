"""Session lifetime, the second-factor gate and the user's language, applied to every request."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from pcm.accounts.models import User
from pcm.accounts.twofactor import has_confirmed_totp

SIGNED_IN_AT = "pcm_signed_in_at"
LAST_SEEN_AT = "pcm_last_seen_at"
# Writing the session on every request costs a query; a minute's precision is enough.
_LAST_SEEN_PRECISION = 60.0

Handler = Callable[[HttpRequest], HttpResponse]


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _session_ended_message(idle: bool) -> str:
    if idle:
        minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
        return ngettext(
            "Your session ended after %(minutes)d minute without activity. Please sign in again.",
            "Your session ended after %(minutes)d minutes without activity. Please sign in again.",
            minutes,
        ) % {"minutes": minutes}
    hours = int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() // 3600)
    return ngettext(
        "Your session ended after %(hours)d hour. Please sign in again.",
        "Your session ended after %(hours)d hours. Please sign in again.",
        hours,
    ) % {"hours": hours}


class SessionLifetimeMiddleware:
    """End a session after 30 minutes without a request, and 12 hours after sign-in."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen_at = session.get(LAST_SEEN_AT, now)
            idle = now - last_seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            too_long = now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or too_long:
                logout(request)
                messages.info(request, _session_ended_message(idle))
                login_url = reverse("accounts:login")
                return _redirect(request, f"{login_url}?{urlencode({'next': request.path})}")
            if now - last_seen_at >= _LAST_SEEN_PRECISION or LAST_SEEN_AT not in session:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)


# Pages a signed-in user may reach before passing the second factor.
_SECOND_FACTOR_EXEMPT = (
    "accounts:verify",
    "accounts:enrol",
    "accounts:logout",
    "core:set_language",
)


class RequireSecondFactorMiddleware:
    """Send a signed-in user who has not passed TOTP to verification or enrolment."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._exempt_paths: frozenset[str] | None = None

    def _exempt(self, request: HttpRequest) -> bool:
        if self._exempt_paths is None:
            self._exempt_paths = frozenset(reverse(name) for name in _SECOND_FACTOR_EXEMPT)
        return request.path in self._exempt_paths or request.path.startswith(settings.STATIC_URL)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_2FA
            and isinstance(user, User)
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            and not self._exempt(request)
        ):
            target = "accounts:verify" if has_confirmed_totp(user) else "accounts:enrol"
            return _redirect(request, reverse(target))
        return self.get_response(request)


class AgencyTimeZoneMiddleware:
    """Show times in the agency's time zone; they are stored in UTC."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.agency is not None:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.agency.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class LanguagePreferenceMiddleware:
    """Use the language a signed-in user chose, on any device they sign in from."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
