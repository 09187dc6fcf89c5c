"""Scoring of the PHQ-9 distress screen and the Washington Group short set, by their authors.

Plain functions over plain values, so that forms, pages, MEAL and tests share one definition.
PHQ-9: Kroenke, Spitzer & Williams (2001), nine items scored 0 to 3, total 0 to 27, severity
bands 0-4, 5-9, 10-14, 15-19, 20-27; item 9 (thoughts of self-harm) above 0 calls for an immediate
safety assessment whatever the total. WG-SS: the Washington Group's recommended identifier,
at least one of six domains answered "a lot of difficulty" or "cannot do at all".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

PHQ9_ITEM_COUNT = 9
PHQ9_MAX_ANSWER = 3
PHQ9_MAX_TOTAL = PHQ9_ITEM_COUNT * PHQ9_MAX_ANSWER
SELF_HARM_ITEM = 9  # numbered from 1, as on the questionnaire

PHQ9_QUESTION = _(
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)
PHQ9_ITEMS = (
    _("Little interest or pleasure in doing things"),
    _("Feeling down, depressed, or hopeless"),
    _("Trouble falling or staying asleep, or sleeping too much"),
    _("Feeling tired or having little energy"),
    _("Poor appetite or overeating"),
    _(
        "Feeling bad about yourself — or that you are a failure or have let yourself or your "
        "family down"
    ),
    _("Trouble concentrating on things, such as reading the newspaper or watching television"),
    _(
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
        "being so fidgety or restless that you have been moving around a lot more than usual"
    ),
    _("Thoughts that you would be better off dead or of hurting yourself in some way"),
)


class Phq9Answer(models.IntegerChoices):
    NOT_AT_ALL = 0, _("Not at all")
    SEVERAL_DAYS = 1, _("Several days")
    MORE_THAN_HALF = 2, _("More than half the days")
    NEARLY_EVERY_DAY = 3, _("Nearly every day")


class Phq9Severity(models.TextChoices):
    MINIMAL = "minimal", _("Minimal")
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    MODERATELY_SEVERE = "moderately_severe", _("Moderately severe")
    SEVERE = "severe", _("Severe")


# (lowest total of the band, band), highest band first.
_SEVERITY_FLOORS = (
    (20, Phq9Severity.SEVERE),
    (15, Phq9Severity.MODERATELY_SEVERE),
    (10, Phq9Severity.MODERATE),
    (5, Phq9Severity.MILD),
)


def phq9_total(answers: Sequence[int]) -> int:
    """The PHQ-9 total (0 to 27) of nine answers of 0 to 3; ValueError for anything else."""
    if len(answers) != PHQ9_ITEM_COUNT:
        raise ValueError(f"the PHQ-9 has {PHQ9_ITEM_COUNT} items, got {len(answers)} answers")
    for answer in answers:
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise ValueError(f"PHQ-9 answers are whole numbers, got {answer!r}")
        if not 0 <= answer <= PHQ9_MAX_ANSWER:
            raise ValueError(f"PHQ-9 answers are 0 to {PHQ9_MAX_ANSWER}, got {answer}")
    return sum(answers)


def phq9_severity(total: int) -> Phq9Severity:
    """The published severity band of a PHQ-9 total; ValueError outside 0 to 27."""
    if not 0 <= total <= PHQ9_MAX_TOTAL:
        raise ValueError(f"a PHQ-9 total is 0 to {PHQ9_MAX_TOTAL}, got {total}")
    for floor, band in _SEVERITY_FLOORS:
        if total >= floor:
            return band
    return Phq9Severity.MINIMAL


def phq9_self_harm_alert(answers: Sequence[int]) -> bool:
    """Whether the answers call for an immediate safety assessment (item 9 above 0)."""
    phq9_total(answers)  # validates the answers
    return answers[SELF_HARM_ITEM - 1] > 0


class Difficulty(models.TextChoices):
    """The four answers of every Washington Group question."""

    NONE = "none", _("No, no difficulty")
    SOME = "some", _("Yes, some difficulty")
    A_LOT = "a_lot", _("Yes, a lot of difficulty")
    CANNOT = "cannot", _("Cannot do at all")


# (field name on the assessment, domain, question as the Washington Group words it)
WG_DOMAINS = (
    ("wg_seeing", _("Seeing"), _("Do you have difficulty seeing, even if wearing glasses?")),
    ("wg_hearing", _("Hearing"), _("Do you have difficulty hearing, even if using a hearing aid?")),
    (
        "wg_mobility",
        _("Walking or climbing steps"),
        _("Do you have difficulty walking or climbing steps?"),
    ),
    (
        "wg_cognition",
        _("Remembering or concentrating"),
        _("Do you have difficulty remembering or concentrating?"),
    ),
    (
        "wg_self_care",
        _("Self-care"),
        _("Do you have difficulty (with self-care such as) washing all over or dressing?"),
    ),
    (
        "wg_communication",
        _("Communicating"),
        _(
            "Using your usual (customary) language, do you have difficulty communicating, for "
            "example understanding or being understood?"
        ),
    ),
)
WG_DOMAIN_COUNT = len(WG_DOMAINS)
_DISABILITY_ANSWERS = frozenset({Difficulty.A_LOT, Difficulty.CANNOT})


def wg_has_disability(answers: Iterable[str]) -> bool:
    """The WG-SS disability identifier: any domain "a lot of difficulty" or "cannot do at all".

    ANSWERS are the six domains' answers (Difficulty values); ValueError for anything else.
    """
    given = list(answers)
    if len(given) != WG_DOMAIN_COUNT:
        raise ValueError(f"the WG-SS has {WG_DOMAIN_COUNT} domains, got {len(given)} answers")
    valid = set(Difficulty.values)
    for answer in given:
        if answer not in valid:
            raise ValueError(f"not a Washington Group answer: {answer!r}")
    return any(answer in _DISABILITY_ANSWERS for answer in given)
