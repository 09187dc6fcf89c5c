"""POST data for the plan's draft form, as the browser sends it."""

from __future__ import annotations

from typing import Any


def draft_form(
    goals: list[str],
    actions: list[dict[str, Any]],
    *,
    based_on: tuple[int, int] | None = None,
    review_on: str = "",
    initial_goals: int = 0,
    initial_actions: int = 0,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "review_on": review_on,
        "based_on_number": str(based_on[0]) if based_on else "",
        "based_on_version": str(based_on[1]) if based_on else "",
        "goals-TOTAL_FORMS": str(len(goals)),
        "goals-INITIAL_FORMS": str(initial_goals),
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "actions-TOTAL_FORMS": str(len(actions)),
        "actions-INITIAL_FORMS": str(initial_actions),
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
    }
    for index, goal in enumerate(goals):
        data[f"goals-{index}-description"] = goal
    for index, action in enumerate(actions):
        row = {"owner": "caseworker", "status": "to_do", "due_on": "", "goal": "", "key": ""}
        row.update(action)
        for name, value in row.items():
            data[f"actions-{index}-{name}"] = value
    return data
