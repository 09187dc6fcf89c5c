"""PCM settings: one module, read from the environment, secure unless told otherwise.

Every value an operator may change is an environment variable named PCM_* (or DATABASE_URL).
Secrets can be given as a file with the *_FILE variant. Bad values fail loudly at start-up.
The defaults are the production ones; bin/run and the tests relax only what they must.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """The variable NAME, or the content of the file named by NAME_FILE, or DEFAULT."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("PCM_DEBUG", False)
# The demo shows a banner on every page saying that the data is synthetic.
DEMO = envbool("PCM_DEMO", False)
# Where the embedded database, generated secrets and benchmark results live (git ignores it).
DATA_DIR = Path(env("PCM_DATA_DIR", str(BASE_DIR / "var")))
# The keyring (data, index and audit keys) when PCM_KEYRING is not set: keep it off the database
# server's backups (docs/admin-guide.md). Created with fresh keys on first use.
PCM_KEYRING_PATH = Path(env("PCM_KEYRING_PATH", str(DATA_DIR / "keys" / "keyring.json")))

SECRET_KEY = env("PCM_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "PCM_SECRET_KEY (or PCM_SECRET_KEY_FILE) must be set; bin/run generates one in var/."
    )
ALLOWED_HOSTS = envlist("PCM_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("PCM_CSRF_TRUSTED_ORIGINS")

# HTTPS is on unless explicitly switched off for a local demo on http://127.0.0.1.
HTTPS = envbool("PCM_HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("PCM_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if envbool("PCM_BEHIND_PROXY", False):
    # Only when a reverse proxy sets this header and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "csp",
    "pcm.core",
    "pcm.locations",
    "pcm.accounts",
    "pcm.access",
    "pcm.audit",
    "pcm.vault",
    "pcm.people",
    "pcm.cases",
    "pcm.assessments",
    "pcm.plans",
    "pcm.casework",
    "pcm.closure",
    "pcm.supervision",
    "pcm.attachments",
    "pcm.retention",
    "pcm.jobs",
    "pcm.exports",
    "pcm.notifications",
    "pcm.administration",
    "pcm.services",
    "pcm.feedback",
    "pcm.referrals",
    "pcm.meal",
    "pcm.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pcm.accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pcm.accounts.middleware.RequireSecondFactorMiddleware",
    "pcm.accounts.middleware.LanguagePreferenceMiddleware",
    "pcm.accounts.middleware.AgencyTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pcm.urls"
WSGI_APPLICATION = "pcm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pcm" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pcm.core.context_processors.pcm",
            ],
        },
    },
]

# Database: the embedded SQLite file by default, PostgreSQL (or another) through DATABASE_URL.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("PCM_SQLITE_PATH", str(DATA_DIR / "pcm.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while one writer commits; synchronous=FULL makes a
                # committed transaction survive a power cut. IMMEDIATE takes the write lock at
                # the start of a transaction so two writers queue instead of failing mid-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# OWASP ASVS 2.1: at least 12 characters, checked against common passwords, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "pcm.accounts.passwords.MaximumLengthValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication: required unless a demo explicitly switches it off.
REQUIRE_2FA = envbool("PCM_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = env("PCM_OTP_ISSUER", "PCM")
BACKUP_CODE_COUNT = 10
# Sensitive actions (exports, break-glass, consent override, purge) ask for the password and a
# code again when the last confirmation is older than this (pcm.accounts.reauth).
PCM_REAUTH_SECONDS = envint("PCM_REAUTH_SECONDS", 300)
# How long emergency (break-glass) access to a case lasts (pcm.access).
PCM_BREAK_GLASS_MINUTES = envint("PCM_BREAK_GLASS_MINUTES", 120)

# Sessions: 30 minutes idle, 12 hours in all (enforced by SessionLifetimeMiddleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=envint("PCM_SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=envint("PCM_SESSION_MAX_HOURS", 12))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "pcm_session" if not HTTPS else "__Host-pcm_session"
CSRF_COOKIE_NAME = "pcm_csrftoken" if not HTTPS else "__Host-pcm_csrftoken"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pcm.core.views.csrf_failure"

# Lock-out: 5 failures for one username lock it for 15 minutes, whether or not it exists,
# so the lock-out itself reveals nothing about which accounts exist.
AXES_FAILURE_LIMIT = envint("PCM_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("PCM_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pcm.accounts.lockout.locked_out"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_HTTP_RESPONSE_CODE = 429
# Masked in axes' record of failed attempts: a code typed with a wrong password is still unused.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token"]
# axes.W006 warns that a lock without the IP address can be dodged by rotating user agents or
# cookies; a lock on the username cannot. Locking by IP would lock out a whole field office,
# whose staff often share one NAT address, after one person's typing mistakes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Content-Security-Policy: nothing from other origins, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Languages of the interface; Arabic switches the layout to right-to-left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
]
LOCALE_PATHS = [BASE_DIR / "pcm" / "locale"]
# Day-first dates and 24-hour times in English too, as field teams write them.
FORMAT_MODULE_PATH = ["pcm.formats"]
LANGUAGE_COOKIE_NAME = "pcm_language"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("PCM_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_HOST = env("PCM_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("PCM_EMAIL_PORT", 587)
EMAIL_HOST_USER = env("PCM_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("PCM_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("PCM_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env("PCM_EMAIL_FROM", "pcm@localhost")
# The address people open PCM at, for links in e-mails (no trailing slash).
PCM_BASE_URL = env("PCM_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = 60 * 60  # an hour: a reset link is a key to protection data

# Logs carry no personal data: request paths hold only opaque ids, never names or queries.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("PCM_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django logs the full request line of 4xx/5xx responses; search terms travel in POST
        # bodies and HTMX requests, never in the URL, so this stays free of names.
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
        # Test data generators chatter at DEBUG level.
        "factory": {"level": "INFO"},
        "faker": {"level": "INFO"},
    },
}
# PCM_LOG_FILE: also append the log to this file (bin/test scans the suite's log for names).
if env("PCM_LOG_FILE"):
    LOGGING["handlers"]["file"] = {  # type: ignore[index]
        "class": "logging.FileHandler",
        "filename": env("PCM_LOG_FILE"),
        "formatter": "plain",
        "encoding": "utf-8",
    }
    LOGGING["root"]["handlers"].append("file")  # type: ignore[index]

# Case lists.
CASES_PER_PAGE = 25

# Attachments (pcm.attachments): the largest file accepted. Uploads are held in memory only
# (never in a plaintext temporary file) up to this size, then encrypted to DATA_DIR/attachments.
PCM_ATTACHMENT_MAX_BYTES = envint("PCM_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = ["pcm.attachments.uploads.MemoryOnlyUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = PCM_ATTACHMENT_MAX_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = 5
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
