"""Role matrix entries for the notifications pages (each user sees only their own)."""

from __future__ import annotations

from tests.matrix import SIGNED_IN, Route

ROUTES: dict[str, Route] = {
    "notifications:list": Route(allowed=SIGNED_IN, methods=("GET",)),
    "notifications:mark_all_read": Route(allowed=SIGNED_IN, methods=("POST",), ok_statuses={302}),
}
