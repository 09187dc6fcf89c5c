"""Role matrix entries for the export page (supervisors and managers only)."""

from __future__ import annotations

from tests.matrix import Route

ROUTES: dict[str, Route] = {
    # Without a recent confirmation of identity, the allowed roles are sent to confirm first;
    # pcm/exports/tests/test_exports.py checks the page itself once confirmed.
    "exports:index": Route(allowed={"supervisor", "manager"}, ok_statuses={200, 302}),
}
