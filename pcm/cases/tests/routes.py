"""Role matrix entries for the URLs of pcm.cases added after the foundation (the foundation's
own are in tests/test_role_matrix.py)."""

from __future__ import annotations

from tests.matrix import Route, hidden_cases, own_case

ROUTES: dict[str, Route] = {
    # The case's supervisor or a manager of its agency; an empty form is refused with a message.
    "cases:identity_in_lists": Route(
        allowed={"supervisor", "manager"},
        foreign=hidden_cases,
        own=own_case,
        methods=("POST",),
        ok_statuses={302},
    ),
    "cases:edit_person": Route(
        allowed={"caseworker", "supervisor"},
        foreign=hidden_cases,
        own=own_case,
        ok_statuses={200, 400},  # GET shows the form; an empty POST is refused for its content
    ),
}
