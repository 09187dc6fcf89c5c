"""The browser helpers, for test modules that import them from here.

The fixtures themselves (`browser`, `page`) live in tests/browser/fixtures.py, loaded once for
the whole suite by the root conftest: a second copy would start a second Playwright.
"""

from __future__ import annotations

from tests.browser.fixtures import CHROMIUM, sign_in, totp_code

__all__ = ["CHROMIUM", "sign_in", "totp_code"]
