"""Security headers, no request leaving the machine, and the production settings check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


def test_every_page_forbids_other_origins_and_framing(personas, client_for):
    response = client_for(personas.caseworker).get(reverse("cases:list"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "http" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_or_asset_loads_anything_from_the_internet():
    pattern = re.compile(r"""(src|href)=["']?(https?:)?//""", re.IGNORECASE)
    offenders = []
    for path in list(ROOT.glob("pcm/**/templates/**/*.html")) + list(
        ROOT.glob("pcm/templates/**/*.html")
    ):
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    for path in ROOT.glob("pcm/**/static/**/*.css"):
        if re.search(r"url\(\s*['\"]?(https?:)?//", path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert not offenders


def test_no_inline_script_or_style_that_the_policy_would_block():
    for path in ROOT.glob("pcm/**/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert " style=" not in text, path
        assert "<style" not in text, path


def test_the_pages_use_the_vendored_assets_and_each_one_is_served(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', page)
    assert "vendor/bootstrap/bootstrap.min.css" in assets
    assert "vendor/htmx/htmx.min.js" in assets
    for asset in assets:
        assert finders.find(asset), f"{asset} is referenced but not found by staticfiles"


def test_sensitive_responses_are_not_cached(client):
    response = client.get(reverse("accounts:login"))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def _manage(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PCM_") and key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_production_settings_pass_djangos_deployment_check(tmp_path):
    result = _manage(
        {
            "PCM_SECRET_KEY": "a-long-random-production-secret-" + "k" * 40 + "-Zq9#xT7!",
            "PCM_ALLOWED_HOSTS": "pcm.example.org",
            "PCM_DATA_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage({"PCM_DATA_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "PCM_SECRET_KEY" in result.stderr


def test_a_bad_setting_value_fails_loudly(tmp_path):
    result = _manage(
        {"PCM_SECRET_KEY": "x", "PCM_HTTPS": "maybe", "PCM_DATA_DIR": str(tmp_path)}, "check"
    )
    assert result.returncode != 0
    assert "PCM_HTTPS must be" in result.stderr


def test_the_embedded_database_survives_a_power_cut(tmp_path):
    """WAL journal with synchronous=FULL: a committed transaction is on disk."""
    database = tmp_path / "pcm.sqlite3"
    result = _manage(
        {"PCM_SECRET_KEY": "x", "PCM_HTTPS": "0", "PCM_SQLITE_PATH": str(database)},
        "shell",
        "-c",
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA synchronous').fetchone()[0])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["wal", "2"]  # 2 is FULL


def test_an_expired_form_gets_a_page_that_says_what_to_do(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "layla", "password": "x"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_an_unknown_host_gets_a_400_not_a_server_error(db):
    response = Client().get(reverse("accounts:login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
