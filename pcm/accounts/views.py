"""Sign-in with a second factor, enrolment, backup codes, sign-out (here and everywhere)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from pcm.accounts import actions, lockout, reauth, twofactor
from pcm.accounts.forms import ConfirmIdentityForm, EnrolmentForm, SignInForm, TokenForm
from pcm.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from pcm.accounts.models import User
from pcm.audit.actions import record_event
from pcm.audit.models import AuditEventType
from pcm.core.http import current_user


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        # login() gives the session a new id, so a planted session id is worthless.
        login(request, user)
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = time.time()
        target = _safe_next(request)
        if settings.REQUIRE_2FA:
            step = "accounts:verify" if twofactor.has_confirmed_totp(user) else "accounts:enrol"
            return redirect(f"{reverse(step)}?next={target}")
        return redirect(target)
    return render(request, "accounts/sign_in.html", {"form": form, "next": _safe_next(request)})


def _wrong_code_message(outcome: twofactor.Outcome) -> str:
    if outcome is twofactor.Outcome.THROTTLED:
        return _(
            "Too many wrong codes in a row. Wait a minute, then enter the code your app "
            "shows at that moment."
        )
    return _(
        "This code is not valid. Codes change every 30 seconds: enter the one your "
        "app shows now, or a backup code you have not used."
    )


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not twofactor.has_confirmed_totp(user):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = twofactor.verify_second_factor(request, user, form.cleaned_data["token"])
        if outcome is twofactor.Outcome.VERIFIED:
            return redirect(_safe_next(request))
        form.add_error("token", _wrong_code_message(outcome))
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request)})


@sensitive_post_parameters("password", "token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """ "Confirm it's you": the password and a code again, then back to the sensitive page."""
    user = current_user(request)
    target = reauth.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    with_code = reauth.needs_code(user)
    form = ConfirmIdentityForm(request.POST or None, with_code=with_code)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = reauth.confirm_identity(
                request, user, form.cleaned_data["password"], form.cleaned_data.get("token", "")
            )
            if outcome is reauth.Confirmation.CONFIRMED:
                return redirect(target or reverse(settings.LOGIN_REDIRECT_URL))
            if outcome is reauth.Confirmation.LOCKED_OUT and not request.user.is_authenticated:
                # This failure reached the limit: the session is over.
                return lockout.locked_out(request)
            if outcome is reauth.Confirmation.LOCKED_OUT:
                minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
                form.add_error(
                    None,
                    _(
                        "Your account is locked for %(minutes)d minutes after too many failed "
                        "attempts. Try again later, or ask your administrator to unlock it."
                    )
                    % {"minutes": minutes},
                )
                status = settings.AXES_HTTP_RESPONSE_CODE
            elif outcome is reauth.Confirmation.THROTTLED:
                form.add_error(None, _wrong_code_message(twofactor.Outcome.THROTTLED))
            else:
                form.add_error(
                    None,
                    _(
                        "The password or the code is not correct. Check both and try again; "
                        "after several failed attempts you are signed out and the account is "
                        "locked for a while."
                    ),
                )
    context = {
        "form": form,
        "next": target or "",
        "with_code": with_code,
        "minutes": max(1, reauth.window_seconds() // 60),
    }
    return render(request, "accounts/confirm.html", context, status=status)


@sensitive_post_parameters("token")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if twofactor.has_confirmed_totp(user) and not request.user.is_verified():  # type: ignore[union-attr]
        # Replacing an authenticator needs the current one first.
        return redirect("accounts:verify")
    device = twofactor.pending_totp_device(user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(request, user, form.cleaned_data["token"])
        if isinstance(codes, list):
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next": _safe_next(request), "first_time": True},
            )
        form.add_error(
            "token",
            _wrong_code_message(codes)
            if codes is twofactor.Outcome.THROTTLED
            else _(
                "This code does not match. Check that the app shows PCM with your username "
                "and enter the code it shows now."
            ),
        )
    context = {
        "form": form,
        "qr_svg": twofactor.provisioning_qr_svg(device),
        "secret": twofactor.base32_secret(device),
        "next": _safe_next(request),
    }
    return render(request, "accounts/enrol.html", context)


@never_cache
@login_required
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    context = {
        "has_totp": twofactor.has_confirmed_totp(user),
        "backup_codes_left": twofactor.remaining_backup_codes(user),
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def email_notifications(request: HttpRequest) -> HttpResponse:
    """Switch e-mail notifications on or off (they carry a link only)."""
    enabled = request.POST.get("email_notifications") == "on"
    actions.do_set_email_notifications(current_user(request), enabled=enabled)
    return redirect("accounts:security")


@never_cache
@login_required
@require_POST
def regenerate_backup_codes(request: HttpRequest) -> HttpResponse:
    codes = actions.do_regenerate_backup_codes(current_user(request))
    return render(
        request,
        "accounts/backup_codes.html",
        {"codes": codes, "next": reverse("accounts:security"), "first_time": False},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        record_event(AuditEventType.SIGN_OUT, actor=request.user, target=request.user)
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("accounts:login")


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this user, on every device, this one included."""
    actions.do_sign_out_everywhere(current_user(request))
    logout(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):  # type: ignore[no-untyped-def]  # Django's untyped signature
        response = super().form_valid(form)
        user = current_user(self.request)
        update_session_auth_hash(self.request, user)
        record_event(AuditEventType.PASSWORD_CHANGED, actor=user, target=user)
        messages.success(
            self.request, _("Your password is changed. Other devices have been signed out.")
        )
        return response


password_change = login_required(PasswordChangeView.as_view())

# Password reset: Django's views answer the same whether or not the address is known.
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
