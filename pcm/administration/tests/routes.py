"""Role matrix entries for the URLs of pcm.administration added after the foundation (the
foundation's own are in tests/test_role_matrix.py)."""

from __future__ import annotations

from tests.matrix import Route

ROUTES: dict[str, Route] = {
    # The agency's manager and administrator, for their own agency; an empty form is refused.
    "administration:field_visibility": Route(
        allowed={"manager", "administrator"}, ok_statuses={200, 400}
    ),
}
