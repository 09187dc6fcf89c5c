"""URLs of sign-in, second factor, security settings and password reset."""

from __future__ import annotations

from django.urls import path

from pcm.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/verify/", views.verify, name="verify"),
    path("sign-in/enrol/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="logout"),
    path("sign-out/everywhere/", views.sign_out_everywhere, name="logout_everywhere"),
    path("confirm/", views.confirm, name="confirm"),
    path("security/", views.security, name="security"),
    path("security/backup-codes/", views.regenerate_backup_codes, name="backup_codes"),
    path("security/email/", views.email_notifications, name="email_notifications"),
    path("security/password/", views.password_change, name="password_change"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
