"""Role matrix entries for the URLs of pcm.assessments."""

from __future__ import annotations

from tests.matrix import Route

ROUTES: dict[str, Route] = {}
