"""For the actions of other apps that could add or change text on a closed case."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pcm.cases.models import Case
from pcm.core.errors import ActionRefused


def refuse_if_anonymised(case: Case) -> None:
    """Refuse any change to an anonymised case: its text was erased for good."""
    if case.anonymised_at is not None:
        raise ActionRefused(
            _(
                "This case is anonymised: its content was erased for good and nothing can be "
                "added or changed. If the person needs help again, register them and open a "
                "new case."
            )
        )
