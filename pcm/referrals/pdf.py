"""The referral form as PDF (WeasyPrint), built from the same template as the printable page.

Nothing is fetched while rendering: the style sheet is read from the app's static folder and
every other URL is refused, so a PDF never reaches out to the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.template.loader import render_to_string
from django.utils import translation

STYLESHEET = Path(__file__).parent / "static" / "referrals" / "form.css"


def _no_fetching(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError("the referral form loads nothing")


def render_form(context: dict[str, Any]) -> bytes:
    # Imported here: it loads Pango, which pages do not need. It ships no type information.
    from weasyprint import CSS, HTML

    html = render_to_string(
        "referrals/form_pdf.html",
        {**context, "rtl": translation.get_language_bidi()},
    )
    document = HTML(string=html, url_fetcher=_no_fetching, base_url=None)
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))]))
