"""Role matrix entries for the re-authentication page of pcm.accounts."""

from __future__ import annotations

from tests.matrix import SIGNED_IN, Route

ROUTES: dict[str, Route] = {
    # "Confirm it's you": the signed-in user's own password and code, nothing else.
    "accounts:confirm": Route(allowed=SIGNED_IN, ok_statuses={200}),
}
