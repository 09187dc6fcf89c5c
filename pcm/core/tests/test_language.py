"""Interface languages: English, French, Arabic (right-to-left) and Ukrainian."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext


def choose(client: Client, language: str, next_url: str = "/accounts/sign-in/"):
    return client.post(reverse("core:set_language"), {"language": language, "next": next_url})


# A letter of each language's script, to see that the page really is in that language.
SCRIPTS = {
    "en": r"[A-Za-z]",
    "fr": r"[A-Za-zéèàç]",
    "ar": r"[\u0600-\u06FF]",
    "uk": r"[\u0400-\u04FF]",
}


@pytest.mark.parametrize(
    ("language", "direction"), [("en", "ltr"), ("fr", "ltr"), ("ar", "rtl"), ("uk", "ltr")]
)
def test_it_speaks_each_language_and_turns_arabic_right_to_left(db, language, direction):
    client = Client()
    assert choose(client, language).status_code == 302
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    with translation.override(language):
        title = gettext("Sign in to PCM")
    assert title in page
    assert re.search(SCRIPTS[language], title)
    if language != "en":
        assert title != "Sign in to PCM", f"'Sign in to PCM' is not translated into {language}"
    if direction == "rtl":
        assert "bootstrap.rtl.min.css" in page


def untranslated_entries(catalogue: str) -> list[str]:
    """The msgids of a .po text whose translations are empty or marked fuzzy."""
    missing = []
    for block in catalogue.split("\n\n")[1:]:  # the first block is the header
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            missing.append(block)
            continue
        translations: list[str] = []
        for line in lines:
            if line.startswith("msgstr"):
                translations.append(line.split(" ", 1)[1].strip('"'))
            elif line.startswith('"') and translations:
                translations[-1] += line.strip('"')
        if not translations or not all(translations):
            missing.append(block)
    return missing


@pytest.mark.parametrize("language", ["fr", "ar", "uk"])
def test_every_interface_text_is_translated(language):
    """No untranslated or fuzzy entry in the catalogue (a string left in English is a bug)."""
    catalogue = Path(settings.BASE_DIR) / "pcm/locale" / language / "LC_MESSAGES/django.po"
    missing = untranslated_entries(catalogue.read_text(encoding="utf-8"))
    assert not missing, f"{len(missing)} untranslated in {language}, e.g. {missing[:2]}"


def test_it_remembers_the_language_for_the_user_on_every_device(personas, client_for):
    choose(client_for(personas.caseworker), "ar", "/cases/")
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.preferred_language == "ar"
    page = client_for(personas.caseworker).get(reverse("cases:list")).content.decode()
    assert 'dir="rtl"' in page


def test_it_ignores_an_unknown_language_and_a_foreign_next_address(db):
    client = Client()
    response = choose(client, "xx", "https://evil.example/")
    assert response["Location"] == "/"
    assert 'lang="en"' in client.get(reverse("accounts:login")).content.decode()


_PY_LITERAL = re.compile(r"""\b_\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")
_TEMPLATE_LITERAL = re.compile(r"""{%\s*translate\s+"([^"]+)"(?:\s+context\s+"[^"]+")?\s*%}""")


def test_the_catalogues_know_every_simple_interface_string():
    """Strings marked in code or templates but never extracted (makemessages not run) would
    show in English: every one-line literal must be a msgid of the French catalogue."""
    root = Path(settings.BASE_DIR) / "pcm"
    catalogue = (root / "locale/fr/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    known = {
        "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match)).replace('\\"', '"')
        for match in re.findall(r'^msgid (".*"\n(?:".*"\n)*)', catalogue, re.MULTILINE)
    }
    wanted = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for literal in _PY_LITERAL.findall(path.read_text(encoding="utf-8")):
            wanted.add(ast.literal_eval(f'"{literal}"'))
    for path in root.rglob("*.html"):
        wanted |= set(_TEMPLATE_LITERAL.findall(path.read_text(encoding="utf-8")))
    missing = sorted(text for text in wanted if text not in known)
    assert not missing, f"run makemessages and translate: {missing[:5]}"
